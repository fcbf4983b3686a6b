"""Next year's leadership elected at a conference by one-choice polls.

A poll whose `elects_role` is set elects that role for the year after the conference's year.
Once the elections of every role of the cluster are published, the secretariat records the
result through clusters.services.confirm_leadership (the clusters app knows nothing of polls).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clusters.models import ClusterYear, LeadershipAssignment, LeadershipRole, Unit
from clusters.services import confirm_leadership, propose_leadership

from ..models import Poll
from . import counting

# Stored as the reason when the elected unit departs from the rotation proposal (data, not UI).
ELECTION_REASON = "Bầu tại hội nghị, phiếu kín"


@dataclass
class RoleElection:
    role: LeadershipRole
    poll: Poll | None = None
    unit: Unit | None = None
    proposed: Unit | None = None
    problem: str = ""

    @property
    def departs(self) -> bool:
        return self.unit is not None and (self.proposed is None or self.proposed.pk != self.unit.pk)


@dataclass
class ElectionPlan:
    poll: Poll
    year: int
    roles: list[RoleElection] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # why it cannot be applied
    applied: bool = False  # next year's leadership already records exactly this

    @property
    def ready(self) -> bool:
        return not self.problems


def elected_unit(poll: Poll) -> tuple[Unit | None, str]:
    """The unit a published one-choice election elected, or None and the reason in words."""
    if poll.kind != Poll.ONE_CHOICE:
        return None, _("An election of the leadership is a one-choice poll.")
    if not poll.is_published:
        return None, _("The result of this election has not been published.")
    elected = [r for r in counting.count(poll=poll).options if r.elected]
    if len(elected) != 1:
        return None, _("This election did not elect exactly one option.")
    option = poll.options.select_related("unit").filter(pk=elected[0].option_id).first()
    if option is None or option.unit is None:
        return None, _("The elected option is not a unit.")
    return option.unit, ""


def election_plan(*, poll: Poll) -> ElectionPlan:
    """What applying the conference's elections would record for next year. Reads only."""
    conference = poll.conference
    cluster = conference.cluster_year.cluster
    plan = ElectionPlan(poll=poll, year=conference.cluster_year.year + 1)
    if poll.elects_role_id is None:
        plan.problems.append(_("This poll does not elect a leadership role."))
        return plan
    proposal = {
        h.role.pk: h.unit for h in propose_leadership(cluster=cluster, year=plan.year).holders
    }
    elections = (
        Poll.objects.filter(conference=conference, elects_role__isnull=False)
        .exclude(status=Poll.Status.VOID)
        .select_related("elects_role")
        .order_by("pk")
    )
    latest: dict[int | None, Poll] = {}  # per role: the last published election, else the last one
    for election in elections:
        current = latest.get(election.elects_role_id)
        if current is None or election.is_published or not current.is_published:
            latest[election.elects_role_id] = election
    missing = []
    for role in cluster.roles.order_by("rank"):
        row = RoleElection(role=role, poll=latest.get(role.pk), proposed=proposal.get(role.pk))
        if row.poll is None or not row.poll.is_published:
            missing.append(role.name)
        else:
            row.unit, row.problem = elected_unit(row.poll)
            if row.problem:
                plan.problems.append(f"{role.name}: {row.problem}")
        plan.roles.append(row)
    if missing:
        plan.problems.insert(
            0,
            _(
                "The election of %(roles)s has not been published yet: every role must be "
                "elected before the result is recorded."
            )
            % {"roles": ", ".join(missing)},
        )
    if plan.ready:
        recorded = {
            a.role_id: (a.unit_id, a.decided_at_id)
            for a in LeadershipAssignment.objects.filter(
                cluster_year__cluster=cluster, cluster_year__year=plan.year
            )
        }
        plan.applied = recorded == {row.role.pk: (row.unit.pk, conference.pk) for row in plan.roles}
    return plan


@transaction.atomic
def apply_election(*, poll: Poll, user) -> ClusterYear:
    """Record the units elected at the poll's conference as next year's leadership.

    Side effects: through confirm_leadership, replaces next year's leadership assignments
    (creating that cluster year if needed, decided at the conference) and emails the new
    holders' officers. Refused with a ValidationError, nothing written, when a role has no
    published election or confirm_leadership refuses (e.g. a unit not a member next year).
    Applying the same result again changes nothing.
    """
    poll = Poll.objects.select_related("conference__cluster_year__cluster").get(pk=poll.pk)
    plan = election_plan(poll=poll)
    if plan.problems:
        raise ValidationError(plan.problems)
    conference = poll.conference
    cluster = conference.cluster_year.cluster
    if plan.applied:
        return ClusterYear.objects.get(cluster=cluster, year=plan.year)
    return confirm_leadership(
        cluster=cluster,
        year=plan.year,
        choices={row.role.pk: row.unit for row in plan.roles},
        reasons={row.role.pk: ELECTION_REASON for row in plan.roles},
        decided_at=conference,
        user=user,
    )
