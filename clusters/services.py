"""Writes of the cluster structure: the pages change clusters, years, conferences and people
through these functions only.

The plain edits at the end take the instance a validated form has filled in (the form checks
the input: deadlines not before the year, a conference in its year, units and people of the
year's members) and record it with its history, in one transaction."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.models import Kind
from notifications.services import notify

from .models import (
    Cluster,
    ClusterYear,
    Conference,
    LeadershipAssignment,
    LeadershipRole,
    Person,
    Unit,
)
from .selectors import leadership_recipient_users, members_in_year

# The task that confirming the leadership once queued, by name: clusters.tasks still declares it,
# so that a message queued before the notifications app is still handled; confirm_leadership now
# notifies in its own transaction instead (nothing lost when the broker is down).
NOTIFY_LEADERSHIP_CONFIRMED_TASK = "clusters.tasks.notify_leadership_confirmed"


def leadership_notice(cluster_year: ClusterYear) -> tuple[str, str]:
    """The subject and body of the email telling of the leadership confirmed for a year, in
    Vietnamese (LANGUAGE_CODE) whoever confirmed it."""
    assignments = list(
        cluster_year.leadership.select_related("role", "unit").order_by("role__rank")
    )
    with translation.override(settings.LANGUAGE_CODE):
        context = {"cluster_year": cluster_year, "assignments": assignments}
        subject = render_to_string("clusters/email/leadership_subject.txt", context).strip()
        body = render_to_string("clusters/email/leadership_body.txt", context)
    return subject, body


@dataclass
class ProposedHolder:
    role: LeadershipRole
    unit: Unit | None
    why: str


@dataclass
class LeadershipProposal:
    year: int
    holders: list[ProposedHolder]
    members: list[Unit]
    warnings: list[str]


def _lineage_ids(unit: Unit, units_by_id: dict[int, Unit]) -> set[int]:
    """The unit and all its predecessors (a merged board inherits its predecessors' turns)."""
    ids, frontier = {unit.pk}, [unit.pk]
    predecessors: dict[int, list[int]] = {}
    for other in units_by_id.values():
        if other.successor_id:
            predecessors.setdefault(other.successor_id, []).append(other.pk)
    while frontier:
        current = frontier.pop()
        for pred in predecessors.get(current, []):
            if pred not in ids:
                ids.add(pred)
                frontier.append(pred)
    return ids


def propose_leadership(*, cluster: Cluster, year: int) -> LeadershipProposal:
    """Suggest the holders of each role for `year` from the rotation order.

    Walks the rotation from the unit after last year's leader, skipping units that will not be
    members in `year` and, for the leader role, units (or their predecessors) that led in the
    last `cluster.recent_leader_years` years. Deputies are the next units in the rotation.
    """
    roles = list(cluster.roles.order_by("rank"))
    members = members_in_year(cluster=cluster, year=year)
    member_ids = {unit.pk for unit in members}
    warnings = []
    rotation = [slot.unit for slot in cluster.rotation.select_related("unit").order_by("position")]
    rotation_ids = [unit.pk for unit in rotation]
    missing = [unit for unit in members if unit.pk not in rotation_ids]
    if missing:
        warnings.append(
            _("Not in the rotation order, placed at its end: %(units)s.")
            % {"units": ", ".join(unit.short_name for unit in missing)}
        )
    order = rotation + missing

    past_leaders = dict(
        LeadershipAssignment.objects.filter(
            cluster_year__cluster=cluster,
            cluster_year__year__lt=year,
            cluster_year__year__gte=year - max(cluster.recent_leader_years, 1),
            role__kind=LeadershipRole.LEADER,
        ).values_list("cluster_year__year", "unit_id")
    )
    last_leader = past_leaders.get(year - 1)
    start = rotation_ids.index(last_leader) + 1 if last_leader in rotation_ids else 0
    candidates = [u for u in order[start:] + order[:start] if u.pk in member_ids]
    units_by_id = {unit.pk: unit for unit in Unit.objects.all()}
    recent_ids = set(past_leaders.values()) if cluster.recent_leader_years else set()

    holders, taken = [], set()
    for role in roles:
        chosen, why = None, ""
        for unit in candidates:
            if unit.pk in taken:
                continue
            if role.kind == LeadershipRole.LEADER and _lineage_ids(unit, units_by_id) & recent_ids:
                continue
            chosen = unit
            why = _("next in the rotation order")
            break
        if chosen is None:
            # Everyone led recently: fall back to the rotation order alone.
            chosen = next((u for u in candidates if u.pk not in taken), None)
            why = _("next in the rotation order (all members led recently)") if chosen else ""
        if chosen is None:
            warnings.append(_("Not enough members for the role %(role)s.") % {"role": role.name})
        else:
            taken.add(chosen.pk)
        holders.append(ProposedHolder(role=role, unit=chosen, why=why))
    return LeadershipProposal(year=year, holders=holders, members=members, warnings=warnings)


@transaction.atomic
def confirm_leadership(
    *,
    cluster: Cluster,
    year: int,
    choices: dict[int, Unit],
    reasons: dict[int, str],
    decided_at: Conference | None,
    user,
) -> ClusterYear:
    """Record next year's holders; create that cluster year (planning) if it does not exist.

    `choices` and `reasons` are keyed by role id. A choice that differs from the rotation
    proposal needs a reason. Replaces any earlier assignments of that year, and notifies the
    officers of the new holders (leadership_recipient_users), in the app and by email, in the
    same transaction.
    """
    cluster_year, _created = ClusterYear.objects.select_for_update().get_or_create(
        cluster=cluster, year=year
    )
    if cluster_year.is_closed:
        raise ValidationError(_("The year %(year)s is closed.") % {"year": year})
    proposal = {h.role.pk: h.unit for h in propose_leadership(cluster=cluster, year=year).holders}
    member_ids = {unit.pk for unit in members_in_year(cluster=cluster, year=year)}
    errors: dict[str, list[str]] = {}
    seen: dict[int, int] = {}
    for role in cluster.roles.order_by("rank"):
        unit = choices.get(role.pk)
        field = f"role_{role.pk}"
        if unit is None:
            errors.setdefault(field, []).append(_("Choose a unit."))
            continue
        if unit.pk not in member_ids:
            errors.setdefault(field, []).append(
                _("%(unit)s is not a member of the cluster in %(year)s.")
                % {"unit": unit.short_name, "year": year}
            )
        if unit.pk in seen:
            errors.setdefault(field, []).append(
                _("%(unit)s already holds another role this year.") % {"unit": unit.short_name}
            )
        seen[unit.pk] = role.pk
        proposed = proposal.get(role.pk)
        if (proposed is None or proposed.pk != unit.pk) and not reasons.get(role.pk, "").strip():
            errors.setdefault(f"reason_{role.pk}", []).append(
                _("Give the reason for departing from the rotation proposal.")
            )
    if decided_at is not None and decided_at.cluster_year.cluster_id != cluster.pk:
        errors.setdefault("decided_at", []).append(_("This conference is of another cluster."))
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    cluster_year.leadership.all().delete()
    for role in cluster.roles.order_by("rank"):
        unit = choices[role.pk]
        proposed = proposal.get(role.pk)
        departs = proposed is None or proposed.pk != unit.pk
        LeadershipAssignment.objects.create(
            cluster_year=cluster_year,
            role=role,
            unit=unit,
            decided_at=decided_at,
            override_reason=reasons.get(role.pk, "").strip() if departs else "",
            confirmed_by=user,
            confirmed_at=now,
        )
    subject, body = leadership_notice(cluster_year)
    notify(
        users=leadership_recipient_users(cluster_year, today=timezone.localdate()),
        kind=Kind.LEADERSHIP_CONFIRMED,
        message=gettext_lazy("The leadership of %(cluster)s for %(year)s is confirmed."),
        params={"cluster": cluster.name, "year": year},
        url=cluster_year.get_absolute_url(),
        email_subject=subject,
        email_body=body,
    )
    return cluster_year


@transaction.atomic
def save_cluster_year(*, cluster_year: ClusterYear, user) -> ClusterYear:
    """Record a year's status, plan, deadlines and notes as edited by `user`."""
    cluster_year._history_user = user
    cluster_year.save()
    return cluster_year


@transaction.atomic
def save_conference(
    *,
    conference: Conference,
    attending_units: Iterable[Unit],
    attendees: Iterable[Person],
    delegates: Iterable[Person],
    counting_committee: Iterable[Person],
    user,
) -> Conference:
    """Create or update a conference of its cluster year, with who attends it, the voting
    delegates and the vote-counting committee, as edited by `user`."""
    conference._history_user = user
    conference.save()
    conference.attending_units.set(attending_units)
    conference.attendees.set(attendees)
    conference.delegates.set(delegates)
    conference.counting_committee.set(counting_committee)
    return conference


@transaction.atomic
def save_person(*, person: Person, user) -> Person:
    """Create or update a person of a unit, as edited by `user`."""
    person._history_user = user
    person.save()
    return person
