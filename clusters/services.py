"""Writes of the cluster structure: the pages change clusters, years, conferences and people
through these functions only.

The plain edits at the end take the instance a validated form has filled in (the form checks
the input: deadlines not before the year, a conference in its year, units and people of the
year's members) and record it with its history, in one transaction."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.formatting import short_date
from notifications.models import Kind
from notifications.services import notify

from .models import (
    Cluster,
    ClusterYear,
    Conference,
    LeadershipAssignment,
    LeadershipRole,
    Membership,
    OfficerTerm,
    Person,
    Unit,
    year_end,
    year_start,
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
class SkippedUnit:
    """A member the proposal passed over, and why, in words. `leader_only`: skipped for the
    leader role alone (it led recently), so it may still be proposed as a deputy."""

    unit: Unit
    reason: str
    leader_only: bool = False


@dataclass
class LeadershipProposal:
    year: int
    holders: list[ProposedHolder]
    members: list[Unit]
    warnings: list[str]
    skipped: list[SkippedUnit] = field(default_factory=list)

    def skipped_reason(self, unit: Unit) -> str:
        """Why the whole-year rule skipped `unit` ("" when it did not)."""
        return next(
            (s.reason for s in self.skipped if s.unit.pk == unit.pk and not s.leader_only), ""
        )


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


def not_whole_year_reason(unit: Unit, year: int, units_by_id: dict[int, Unit]) -> str:
    """Why `unit` does not exist on every day of `year`, in words ("" when it does)."""
    start, end = unit.valid_from, unit.valid_until
    starts_late = start is not None and start > year_start(year)
    ends_early = end is not None and end < year_end(year)
    values = {"unit": unit.short_name, "year": year}
    if end is not None and ends_early and unit.successor_id:
        values |= {
            "successor": units_by_id[unit.successor_id].short_name,
            "day": short_date(end + datetime.timedelta(days=1)),
        }
        if unit.succession_kind == Unit.RENAMED:
            return (
                _(
                    "%(unit)s was renamed to %(successor)s from %(day)s, so it does not exist "
                    "for the whole of %(year)s"
                )
                % values
            )
        return (
            _(
                "%(unit)s was merged into %(successor)s from %(day)s, so it does not exist for "
                "the whole of %(year)s"
            )
            % values
        )
    if start is not None and end is not None and starts_late and ends_early:
        values |= {"start": short_date(start), "end": short_date(end)}
        return (
            _("%(unit)s only exists from %(start)s to %(end)s, not for the whole of %(year)s")
            % values
        )
    if start is not None and starts_late:
        values["day"] = short_date(start)
        return _("%(unit)s only exists from %(day)s, not for the whole of %(year)s") % values
    if end is not None and ends_early:
        values["day"] = short_date(end)
        return _("%(unit)s only exists until %(day)s, not for the whole of %(year)s") % values
    return ""


def _recent_leader_reason(
    unit: Unit, led: dict[int, list[int]], units_by_id: dict[int, Unit], n_years: int
) -> str:
    """Why `unit` is skipped for the leader role: it, or a predecessor whose turns it
    inherits, led in the last `n_years` years ("" when neither did)."""
    parts = []
    lineage = [pk for pk in _lineage_ids(unit, units_by_id) if led.get(pk)]
    # The unit's own turns first, then its predecessors' by the year they led.
    for unit_id in sorted(lineage, key=lambda pk: (pk != unit.pk, min(led[pk]), pk)):
        years = led[unit_id]
        values = {"years": ", ".join(str(y) for y in sorted(years)), "n": n_years}
        if unit_id == unit.pk:
            parts.append(
                _("%(unit)s led the cluster in %(years)s (within the last %(n)s years)")
                % (values | {"unit": unit.short_name})
            )
        else:
            parts.append(
                _(
                    "%(unit)s inherits the turn of %(predecessor)s, which led the cluster in "
                    "%(years)s (within the last %(n)s years)"
                )
                % (
                    values
                    | {"unit": unit.short_name, "predecessor": units_by_id[unit_id].short_name}
                )
            )
    return "; ".join(parts)


def propose_leadership(*, cluster: Cluster, year: int) -> LeadershipProposal:
    """Suggest the holders of each role for `year` from the rotation order.

    Walks the rotation from the unit after last year's leader, skipping units that will not be
    members in `year`, members that do not exist on every day of `year` (merged away, renamed
    or created during it), and, for the leader role, units (or their predecessors) that led in
    the last `cluster.recent_leader_years` years. Deputies are the next units in the rotation.
    `skipped` says which members were passed over and why; `members` still lists them all, so
    that the secretariat may choose one with a reason.
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
    in_order = [u for u in order[start:] + order[:start] if u.pk in member_ids]
    units_by_id = {unit.pk: unit for unit in Unit.objects.all()}

    # A unit merged away or created during the year cannot hold a role for all of it.
    skipped, candidates = [], []
    for unit in in_order:
        if reason := not_whole_year_reason(units_by_id[unit.pk], year, units_by_id):
            skipped.append(SkippedUnit(unit=unit, reason=reason))
        else:
            candidates.append(unit)

    led: dict[int, list[int]] = {}
    if cluster.recent_leader_years:
        for led_year, unit_id in past_leaders.items():
            led.setdefault(unit_id, []).append(led_year)
    recent = {
        unit.pk: reason
        for unit in candidates
        if (reason := _recent_leader_reason(unit, led, units_by_id, cluster.recent_leader_years))
    }

    holders, taken = [], set()
    for role in roles:
        chosen, why = None, ""
        for unit in candidates:
            if unit.pk in taken:
                continue
            if role.kind == LeadershipRole.LEADER and unit.pk in recent:
                continue
            chosen = unit
            why = _("next in the rotation order")
            break
        if chosen is None:
            # Everyone led recently: fall back to the rotation order alone.
            chosen = next((u for u in candidates if u.pk not in taken), None)
            why = _("next in the rotation order (all members led recently)") if chosen else ""
            if chosen is not None and role.kind == LeadershipRole.LEADER:
                recent = {}  # nobody was passed over for having led
        if chosen is None:
            warnings.append(_("Not enough members for the role %(role)s.") % {"role": role.name})
        else:
            taken.add(chosen.pk)
        holders.append(ProposedHolder(role=role, unit=chosen, why=why))
    skipped += [
        SkippedUnit(unit=unit, reason=recent[unit.pk], leader_only=True)
        for unit in candidates
        if unit.pk in recent
    ]
    return LeadershipProposal(
        year=year, holders=holders, members=members, warnings=warnings, skipped=skipped
    )


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
    proposal needs a reason; so does a member the proposal skipped because it does not exist
    for the whole year, and the refusal says why it was skipped. Replaces any earlier
    assignments of that year, and notifies the officers of the new holders
    (leadership_recipient_users), in the app and by email, in the same transaction.
    """
    cluster_year, _created = ClusterYear.objects.select_for_update().get_or_create(
        cluster=cluster, year=year
    )
    if cluster_year.is_closed:
        raise ValidationError(_("The year %(year)s is closed.") % {"year": year})
    proposed_leadership = propose_leadership(cluster=cluster, year=year)
    proposal = {h.role.pk: h.unit for h in proposed_leadership.holders}
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
            if skipped := proposed_leadership.skipped_reason(unit):
                message = _("%(reason)s: give the reason for choosing it.") % {"reason": skipped}
            else:
                message = _("Give the reason for departing from the rotation proposal.")
            errors.setdefault(f"reason_{role.pk}", []).append(message)
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


def _person_name(user) -> str:
    person = getattr(user, "person", None)
    return person.full_name if person else (user.get_full_name() or user.get_username())


def _sentence(items: list[str]) -> str:
    """Items joined by semicolons, the first letter capitalised."""
    text = "; ".join(items)
    return text[:1].upper() + text[1:]


def check_unit_existence(
    *,
    unit: Unit,
    valid_from: datetime.date | None,
    valid_until: datetime.date | None,
    end_dependents: bool,
) -> tuple[list[Membership], list[OfficerTerm]]:
    """Check that a unit existing from `valid_from` to `valid_until` still covers its
    memberships (years), officer terms (days), leadership roles (cluster years) and its
    predecessors' succession. Reads only.

    What runs past the new last day can be ended on it (`end_dependents`): returns the
    memberships and terms to end. Raises ValidationError keyed "valid_from" / "valid_until"
    naming everything that falls outside, and what cannot be ended (a role held in a later
    year, a membership or term that starts after the new last day).
    """
    if unit.pk is None:
        return [], []
    memberships = list(unit.memberships.select_related("cluster").order_by("start_year", "pk"))
    terms = list(unit.officer_terms.select_related("user__person").order_by("start_date", "pk"))
    leadership = list(
        unit.leadership.select_related("cluster_year__cluster", "role").order_by(
            "cluster_year__year", "role__rank"
        )
    )
    errors: dict[str, list[str]] = {}

    if valid_from is not None:
        before = [
            _("a membership of %(cluster)s from %(year)s")
            % {"cluster": m.cluster.name, "year": m.start_year}
            for m in memberships
            if m.start_year < valid_from.year
        ]
        before += [
            _("the role %(role)s of %(cluster)s in %(year)s")
            % {
                "role": a.role.name,
                "cluster": a.cluster_year.cluster.name,
                "year": a.cluster_year.year,
            }
            for a in leadership
            if a.cluster_year.year < valid_from.year
        ]
        before += [
            _("the officer term of %(name)s from %(day)s")
            % {"name": _person_name(t.user), "day": short_date(t.start_date)}
            for t in terms
            if t.start_date < valid_from
        ]
        before += [
            _("the predecessor %(unit)s, which ceased on %(day)s")
            % {"unit": p.short_name, "day": short_date(p.valid_until)}
            for p in unit.predecessors.order_by("valid_until", "pk")
            if p.valid_until and p.valid_until + datetime.timedelta(days=1) < valid_from
        ]
        if before:
            errors["valid_from"] = [
                _("%(items)s: they begin before %(day)s. Change them first.")
                % {"items": _sentence(before), "day": short_date(valid_from)}
            ]

    to_end_memberships: list[Membership] = []
    to_end_terms: list[OfficerTerm] = []
    if valid_until is not None:
        last_year = valid_until.year
        endable, blocking = [], []
        for m in memberships:
            if m.end_year is not None and m.end_year <= last_year:
                continue
            values = {"cluster": m.cluster.name, "year": m.end_year or m.start_year}
            if m.start_year > last_year:
                blocking.append(_("a membership of %(cluster)s from %(year)s") % values)
            else:
                to_end_memberships.append(m)
                endable.append(
                    _("a membership of %(cluster)s until %(year)s") % values
                    if m.end_year
                    else _("a membership of %(cluster)s with no last year") % values
                )
        blocking += [
            _("the role %(role)s of %(cluster)s in %(year)s")
            % {
                "role": a.role.name,
                "cluster": a.cluster_year.cluster.name,
                "year": a.cluster_year.year,
            }
            for a in leadership
            if a.cluster_year.year > last_year
        ]
        for t in terms:
            if t.end_date is not None and t.end_date <= valid_until:
                continue
            name = _person_name(t.user)
            if t.start_date > valid_until:
                blocking.append(
                    _("the officer term of %(name)s from %(day)s")
                    % {"name": name, "day": short_date(t.start_date)}
                )
            else:
                to_end_terms.append(t)
                endable.append(
                    _("the officer term of %(name)s until %(day)s")
                    % {"name": name, "day": short_date(t.end_date)}
                    if t.end_date
                    else _("the officer term of %(name)s with no end") % {"name": name}
                )
        day = short_date(valid_until)
        if endable and not end_dependents:
            errors.setdefault("valid_until", []).append(
                _(
                    "%(items)s: they run past %(day)s. Tick “Also end them” to end them on "
                    "%(day)s, or choose a later day."
                )
                % {"items": _sentence(endable), "day": day}
            )
        if blocking:
            errors.setdefault("valid_until", []).append(
                _(
                    "%(items)s: they come after %(day)s and cannot be ended on it. Change them "
                    "first."
                )
                % {"items": _sentence(blocking), "day": day}
            )
    if errors:
        raise ValidationError(errors)
    return to_end_memberships, to_end_terms


@transaction.atomic
def save_unit(*, unit: Unit, end_dependents: bool = False, user) -> Unit:
    """Record a unit as edited by `user`, keeping its existence consistent
    (`check_unit_existence`): with `end_dependents`, the memberships and officer terms that
    run past the new last day end on it, each with its history (who, and why)."""
    if unit.pk is not None:
        Unit.objects.select_for_update().filter(pk=unit.pk).first()
    memberships, terms = check_unit_existence(
        unit=unit,
        valid_from=unit.valid_from,
        valid_until=unit.valid_until,
        end_dependents=end_dependents,
    )
    reason = _("Ended with the existence of %(unit)s") % {"unit": unit.short_name}
    until = cast(datetime.date, unit.valid_until)  # something to end means a last day
    for membership in memberships:
        membership.end_year = until.year
        membership._history_user = user
        membership._change_reason = reason[:100]
        membership.save(update_fields=["end_year"])
    for term in terms:
        term.end_date = until
        term._history_user = user
        term._change_reason = reason[:100]
        term.save(update_fields=["end_date"])
    unit._history_user = user
    unit.save()
    return unit


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
