"""What the reminders know of the year's work: the deadlines that units must act before, and
what waits for the secretariat (the daily digest). A registry, filled by each app.

scorecards must not import the apps above it (awards, reports), yet their deadlines are
reminded by scorecards' job. So each app lists its own in a module named in
settings.REMINDER_SOURCES, which holds `DEADLINES` (a list of Deadline) and `WAITING` (a list
of Waiting); this module holds scorecards' own (the pledge and the scorecard).
"""

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.db.models import F
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clusters.models import ClusterYear, Unit

from .models import Score, Scorecard
from .selectors_engagement import units_not_signed, units_without_submitted_scorecard
from .services.criteria import published_for


@dataclass(frozen=True)
class Deadline:
    """A deadline of the cluster year that units must act before.

    `field` is the ClusterYear date field. `pending` returns the member units that have not
    acted yet, or None when the deadline does not apply yet (no pledge posted, no criteria
    published, no nomination round open). The unit's email is rendered from
    `<template>_subject.txt` and `<template>_body.txt`.
    """

    kind: str
    field: str
    label: str | Promise  # what the units must do, for the digest
    pending: Callable[[ClusterYear], list[Unit] | None]
    template: str


@dataclass(frozen=True)
class Waiting:
    """Something that waits for the secretariat: `count` says how many of it the year has."""

    kind: str
    label: str | Promise
    count: Callable[[ClusterYear], int]


def _sources() -> list:
    return [import_module(name) for name in settings.REMINDER_SOURCES]


def registered_deadlines() -> list[Deadline]:
    return [deadline for source in _sources() for deadline in getattr(source, "DEADLINES", [])]


def registered_waiting() -> list[Waiting]:
    return [waiting for source in _sources() for waiting in getattr(source, "WAITING", [])]


def _scorecard_pending(cluster_year: ClusterYear) -> list[Unit] | None:
    if published_for(cluster_year) is None:
        return None  # nothing to submit before the criteria are published
    return units_without_submitted_scorecard(cluster_year)


def _scorecards_to_review(cluster_year: ClusterYear) -> int:
    return Scorecard.objects.filter(
        cluster_year=cluster_year, status=Scorecard.Status.SUBMITTED
    ).count()


def _responses_to_hear(cluster_year: ClusterYear) -> int:
    """Units' answers to an adjustment with no final score decided yet (current version)."""
    return (
        Score.objects.filter(
            scorecard__cluster_year=cluster_year,
            criterion__criteria_set_id=F("scorecard__criteria_set_id"),
            final_score__isnull=True,
        )
        .exclude(scorecard__status=Scorecard.Status.FINALISED)
        .exclude(unit_response="")
        .count()
    )


DEADLINES = [
    Deadline(
        kind="pledge",
        field="pledge_deadline",
        label=_("Sign the emulation pledge"),
        pending=units_not_signed,
        template="scorecards/email/reminder_pledge",
    ),
    Deadline(
        kind="scorecard",
        field="scorecard_deadline",
        label=_("Submit the self-scoring scorecard"),
        pending=_scorecard_pending,
        template="scorecards/email/reminder_scorecard",
    ),
]

WAITING = [
    Waiting(
        kind="scorecards_to_review",
        label=_("Scorecards submitted and not reviewed yet"),
        count=_scorecards_to_review,
    ),
    Waiting(
        kind="responses_to_hear",
        label=_("Units' responses to an adjustment, awaiting a final score"),
        count=_responses_to_hear,
    ),
]
