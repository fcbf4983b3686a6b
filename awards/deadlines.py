"""The nomination deadline and the nominations waiting for the secretariat, for scorecards'
reminders and daily digest (listed in settings.REMINDER_SOURCES: scorecards cannot import
this app)."""

from django.utils.translation import gettext_lazy as _

from clusters.models import ClusterYear, Unit
from clusters.selectors import members_in_year
from scorecards.deadlines import Deadline, Waiting

from .models import Candidate, NominationRound


def _open_round(cluster_year: ClusterYear) -> NominationRound | None:
    return NominationRound.objects.filter(
        cluster_year=cluster_year, status=NominationRound.Status.OPEN
    ).first()


def units_without_nomination(cluster_year: ClusterYear) -> list[Unit] | None:
    """Members that have nominated none of their people in the year's open round; None when no
    round is open (nothing to nominate in, or the slate is final)."""
    nomination_round = _open_round(cluster_year)
    if nomination_round is None:
        return None
    done = set(
        Candidate.objects.filter(round=nomination_round, person__isnull=False).values_list(
            "person__unit_id", flat=True
        )
    )
    members = members_in_year(cluster=cluster_year.cluster, year=cluster_year.year)
    return [unit for unit in members if unit.pk not in done]


def _nominations_proposed(cluster_year: ClusterYear) -> int:
    return Candidate.objects.filter(
        round__cluster_year=cluster_year,
        round__status=NominationRound.Status.OPEN,
        status=Candidate.Status.PROPOSED,
    ).count()


DEADLINES = [
    Deadline(
        kind="nomination",
        field="nomination_deadline",
        label=_("Nominate the unit's people for awards"),
        pending=units_without_nomination,
        template="awards/email/reminder_nomination",
    )
]

WAITING = [
    Waiting(
        kind="nominations_proposed",
        label=_("Nominations proposed and not on the slate yet"),
        count=_nominations_proposed,
    )
]
