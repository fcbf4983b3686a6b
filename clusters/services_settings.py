"""Writes of a cluster's settings (Thiết lập cụm) and the new-cluster wizard's one write.

The settings pages of clusters change the leadership roles, the rotation order and the rotation
rule through these functions; each runs in one transaction and names the user in the history.
The rules that a wizard step also checks before anything is saved (`role_problems`,
`rotation_problems`) are pure functions here, so that a step and the service say the same.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Cluster,
    ClusterYear,
    LeadershipAssignment,
    LeadershipRole,
    Membership,
    RotationSlot,
    Supervision,
    Unit,
)
from .services_accounts import invite

# The roles a new cluster starts with (editable in the wizard).
USUAL_ROLES = [
    ("Trưởng cụm", LeadershipRole.LEADER),
    ("Phó cụm thường trực", LeadershipRole.STANDING_DEPUTY),
    ("Phó cụm", LeadershipRole.DEPUTY),
]


@dataclass
class RoleRow:
    """One row of the roles page: an existing role (or None for a new one), as edited."""

    role: LeadershipRole | None
    name: str
    kind: str
    delete: bool = False


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def role_problems(rows: Sequence[tuple[str, str]]) -> dict[str, str]:
    """What is wrong with a cluster's roles, given as (name, kind) in their order: messages
    keyed "<row index>-name" or "<row index>-kind", or "roles" for the whole list."""
    problems: dict[str, str] = {}
    if not rows:
        return {"roles": _("A cluster needs at least one leadership role.")}
    seen: dict[str, int] = {}
    leaders = []
    for index, (name, kind) in enumerate(rows):
        key = _name_key(name)
        if not key:
            problems[f"{index}-name"] = _("Enter the name of the role.")
        elif key in seen:
            problems[f"{index}-name"] = _(
                "Another role is already named “%(name)s” (row %(row)s): two roles cannot "
                "have the same name."
            ) % {"name": name.strip(), "row": seen[key] + 1}
        else:
            seen[key] = index
        if kind == LeadershipRole.LEADER:
            leaders.append(index)
    if not leaders:
        problems["roles"] = _("One role must be of the kind “leader”.")
    for index in leaders[1:]:
        problems[f"{index}-kind"] = _("A cluster has exactly one leader role.")
    return problems


def rotation_problems(positions: Sequence[int | None]) -> dict[str, str]:
    """What is wrong with the positions typed for the rotation (None: left out), keyed by the
    row index: the kept positions must be 1, 2, … without a gap or a repeat."""
    problems: dict[str, str] = {}
    seen: dict[int, int] = {}
    for index, position in enumerate(positions):
        if position is None:
            continue
        if position in seen:
            problems[str(index)] = _("Position %(position)s is already given to row %(row)s.") % {
                "position": position,
                "row": seen[position] + 1,
            }
        else:
            seen[position] = index
    kept = len(seen)
    for index, position in enumerate(positions):
        if position is not None and str(index) not in problems and not 1 <= position <= kept:
            problems[str(index)] = _("Number the units from 1 to %(count)s, without a gap.") % {
                "count": kept
            }
    if not kept:
        problems["rotation"] = _("Put at least one unit in the rotation.")
    return problems


def _raise(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError({key: [message] for key, message in problems.items()})


@transaction.atomic
def save_roles(*, cluster: Cluster, rows: list[RoleRow], user) -> list[LeadershipRole]:
    """Replace the cluster's leadership roles by `rows`, in their order (the rank), as edited by
    `user`: rows with a role update it, rows without create one, rows marked `delete` delete
    theirs. Refused (keyed "<row>-<field>"): two roles of the same name, not exactly one leader,
    deleting a role that a year's leadership holds. Nothing is saved when refused."""
    Cluster.objects.select_for_update().get(pk=cluster.pk)
    kept = [row for row in rows if not row.delete]
    problems = {}
    kept_problems = role_problems([(row.name, row.kind) for row in kept])
    # role_problems numbers the kept rows; the page numbers every row.
    kept_index = [index for index, row in enumerate(rows) if not row.delete]
    for key, message in kept_problems.items():
        if "-" in key:
            position, name = key.split("-", 1)
            problems[f"{kept_index[int(position)]}-{name}"] = message
        else:
            problems[key] = message
    foreign = [r for r in rows if r.role is not None and r.role.cluster_id != cluster.pk]
    if foreign:
        problems["roles"] = _("A role belongs to another cluster.")
    deleted = {row.role.pk: index for index, row in enumerate(rows) if row.delete and row.role}
    held = LeadershipAssignment.objects.filter(role_id__in=deleted).values_list(
        "role_id", "cluster_year__year"
    )
    years: dict[int, list[int]] = {}
    for role_id, year in held:
        years.setdefault(role_id, []).append(year)
    for role_id, role_years in years.items():
        row = rows[deleted[role_id]]
        problems[f"{deleted[role_id]}-delete"] = _(
            "“%(name)s” was held in %(years)s: a role of a year's leadership cannot be deleted."
        ) % {"name": row.name, "years": ", ".join(str(y) for y in sorted(role_years))}
    _raise(problems)

    for row in rows:
        if row.delete and row.role is not None:
            row.role._history_user = user  # type: ignore[attr-defined]
            row.role.delete()
    # The old leader gives up its kind before the new one takes it (a partial unique
    # constraint, which PostgreSQL cannot defer).
    ordered = sorted(
        enumerate(kept, start=1), key=lambda pair: pair[1].kind == LeadershipRole.LEADER
    )
    saved: dict[int, LeadershipRole] = {}
    for rank, row in ordered:
        role = row.role or LeadershipRole(cluster=cluster)
        changed = (role.pk is None) or (role.name, role.kind, role.rank) != (
            " ".join(row.name.split()),
            row.kind,
            rank,
        )
        role.name, role.kind, role.rank = " ".join(row.name.split()), row.kind, rank
        if changed:
            role._history_user = user  # type: ignore[attr-defined]
            role.save()
        saved[rank] = role
    return [saved[rank] for rank in sorted(saved)]


@transaction.atomic
def save_rotation(*, cluster: Cluster, order: list[Unit], user) -> list[RotationSlot]:
    """Set the cluster's rotation order to `order` (first leads first), as edited by `user`:
    units left out leave the rotation. Refused when a unit appears twice or none is given."""
    Cluster.objects.select_for_update().get(pk=cluster.pk)
    if not order:
        _raise({"rotation": _("Put at least one unit in the rotation.")})
    if len({unit.pk for unit in order}) != len(order):
        _raise({"rotation": _("A unit appears twice in the rotation.")})
    slots = {slot.unit_id: slot for slot in cluster.rotation.all()}
    wanted = {unit.pk for unit in order}
    for unit_id, slot in slots.items():
        if unit_id not in wanted:
            slot._history_user = user  # type: ignore[attr-defined]
            slot.delete()
    result = []
    for position, unit in enumerate(order, start=1):
        slot = slots.get(unit.pk) or RotationSlot(cluster=cluster, unit=unit)
        if slot.pk is None or slot.position != position:
            slot.position = position
            slot._history_user = user  # type: ignore[attr-defined]
            slot.save()
        result.append(slot)
    return result


@transaction.atomic
def save_rotation_rule(*, cluster: Cluster, recent_leader_years: int, user) -> Cluster:
    """How many recent years keep a former leader out of the rotation proposal (0: none)."""
    if not 0 <= recent_leader_years <= 20:
        _raise({"recent_leader_years": _("Enter a number of years from 0 to 20.")})
    cluster.recent_leader_years = recent_leader_years
    cluster._history_user = user  # type: ignore[attr-defined]
    cluster.save(update_fields=["recent_leader_years"])
    return cluster


# The new-cluster wizard ---------------------------------------------------------------------


@dataclass
class NewUnit:
    short_name: str
    name: str
    province: str


@dataclass
class ClusterDraft:
    """Everything the wizard gathered. Units are named by keys: "new-<index in new_units>" for
    a unit to create, "unit-<id>" for an existing one."""

    number: int
    name: str
    sector: str
    supervising_body: str
    new_units: list[NewUnit]
    existing_unit_ids: list[int]
    start_year: int
    roles: list[tuple[str, str]]  # (name, kind), in rank order
    rotation: list[str]  # unit keys, first leads first
    year: int
    deadlines: dict[str, datetime.date | None]
    leadership: list[str | None]  # a unit key per role, in the roles' order
    emails: dict[str, str] = field(default_factory=dict)  # unit key -> officer's email
    names: dict[str, str] = field(default_factory=dict)  # unit key -> officer's full name


@dataclass
class CreatedCluster:
    cluster: Cluster
    cluster_year: ClusterYear
    # The officers invited (their invitations are emailed once the transaction commits).
    invitations: list[tuple[Unit, str]]


DEADLINES = ("pledge_deadline", "scorecard_deadline", "report_deadline", "nomination_deadline")


def invite_officers(
    *, cluster_year: ClusterYear, invitations: list[tuple[Unit, str, str]], user, base_url: str
) -> None:
    """Invite each unit's officer (unit, full name, email) to the cluster's first year, from
    the later of 1 January and the unit's first day. A refusal names the unit and is keyed
    "emails" (the wizard's officers step); the caller's transaction then saves nothing."""
    for unit, full_name, email in invitations:
        start = datetime.date(cluster_year.year, 1, 1)
        if unit.valid_from and unit.valid_from > start:
            start = unit.valid_from
        try:
            invite(
                unit=unit,
                email=email,
                full_name=full_name,
                start_date=start,
                invited_by=user,
                base_url=base_url,
            )
        except ValidationError as error:
            raise ValidationError(
                {
                    "emails": [
                        f"{unit.short_name}: {message}"
                        for messages in error.message_dict.values()
                        for message in messages
                    ]
                }
            ) from error


def unit_keys(draft: ClusterDraft) -> list[str]:
    return [f"new-{i}" for i in range(len(draft.new_units))] + [
        f"unit-{pk}" for pk in draft.existing_unit_ids
    ]


@transaction.atomic
def create_cluster(*, draft: ClusterDraft, user, base_url: str) -> CreatedCluster:
    """Create a cluster with everything of the wizard in one transaction: the cluster, the new
    units, the memberships from `start_year`, the roles, the rotation, the first year (in
    planning) with its leadership recorded as confirmed by `user`, and a supervision for a
    supervisor who creates it (so that they see it), and the invitations of the officers
    (`invite_officers`, emailed under `base_url` once it commits). Refused with messages
    keyed by the wizard's fields; nothing is saved."""
    problems: dict[str, str] = {}
    if Cluster.objects.filter(number=draft.number).exists():
        problems["number"] = _("Cluster number %(number)s already exists.") % {
            "number": draft.number
        }
    existing = {u.pk: u for u in Unit.objects.filter(pk__in=draft.existing_unit_ids)}
    if len(existing) != len(set(draft.existing_unit_ids)):
        problems["existing_units"] = _("A chosen unit no longer exists.")
    for unit in existing.values():
        if unit.valid_until is not None or not unit.exists_in_year(draft.start_year):
            problems["existing_units"] = _(
                "%(unit)s does not exist from %(year)s on: it cannot join the cluster."
            ) % {"unit": unit.short_name, "year": draft.start_year}
    keys = unit_keys(draft)
    if not keys:
        problems["units"] = _("Enter the member units, or choose existing ones.")
    names = [u.short_name.casefold() for u in draft.new_units] + [
        u.short_name.casefold() for u in existing.values()
    ]
    if len(set(names)) != len(names):
        problems["units"] = _("Two member units have the same short name.")
    for message in role_problems(draft.roles).values():
        problems.setdefault("roles", message)
    if sorted(draft.rotation) != sorted(keys):
        problems["rotation"] = _("Put every member unit in the rotation, once.")
    if draft.year < draft.start_year:
        problems["year"] = _("The first year cannot be before the members join (%(year)s).") % {
            "year": draft.start_year
        }
    chosen = [key for key in draft.leadership if key]
    if len(draft.leadership) != len(draft.roles) or len(chosen) != len(draft.roles):
        problems["leadership"] = _("Choose a unit for every role.")
    elif len(set(chosen)) != len(chosen):
        problems["leadership"] = _("A unit can hold only one role in a year.")
    elif not set(chosen) <= set(keys):
        problems["leadership"] = _("A unit of the leadership is not a member.")
    for name in DEADLINES:
        day = draft.deadlines.get(name)
        if day is not None and day.year < draft.year:
            problems[name] = _("The date cannot be before the year %(year)s.") % {
                "year": draft.year
            }
    _raise(problems)

    cluster = Cluster(
        number=draft.number,
        name=draft.name,
        sector=draft.sector,
        supervising_body=draft.supervising_body,
    )
    cluster._history_user = user  # type: ignore[attr-defined]
    cluster.save()
    units: dict[str, Unit] = {}
    for index, new in enumerate(draft.new_units):
        unit = Unit(short_name=new.short_name, name=new.name, province=new.province)
        unit._history_user = user
        unit.save()
        units[f"new-{index}"] = unit
    for pk in draft.existing_unit_ids:
        units[f"unit-{pk}"] = existing[pk]
    for unit in units.values():
        membership = Membership(cluster=cluster, unit=unit, start_year=draft.start_year)
        membership._history_user = user
        membership.save()
    roles = []
    for rank, (name, kind) in enumerate(draft.roles, start=1):
        role = LeadershipRole(cluster=cluster, name=" ".join(name.split()), kind=kind, rank=rank)
        role._history_user = user  # type: ignore[attr-defined]
        role.save()
        roles.append(role)
    for position, key in enumerate(draft.rotation, start=1):
        slot = RotationSlot(cluster=cluster, unit=units[key], position=position)
        slot._history_user = user  # type: ignore[attr-defined]
        slot.save()
    cluster_year = ClusterYear(
        cluster=cluster, year=draft.year, **{k: draft.deadlines.get(k) for k in DEADLINES}
    )
    cluster_year._history_user = user
    cluster_year.save()
    now = timezone.now()
    for role, holder in zip(roles, draft.leadership, strict=True):
        assignment = LeadershipAssignment(
            cluster_year=cluster_year,
            role=role,
            unit=units[holder or ""],
            confirmed_by=user,
            confirmed_at=now,
        )
        assignment._history_user = user  # type: ignore[attr-defined]
        assignment.save()
    if not user.is_superuser:
        supervision = Supervision(user=user, cluster=cluster)
        supervision._history_user = user  # type: ignore[attr-defined]
        supervision.save()
    invitations = [
        (units[key], draft.names.get(key, ""), email)
        for key in keys
        if (email := draft.emails.get(key, "").strip())
    ]
    invite_officers(
        cluster_year=cluster_year, invitations=invitations, user=user, base_url=base_url
    )
    return CreatedCluster(
        cluster=cluster,
        cluster_year=cluster_year,
        invitations=[(unit, email) for unit, _name, email in invitations],
    )
