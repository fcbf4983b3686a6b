"""The secretariat's board: the member units x the year's stages, the counts, what waits for
the secretariat itself and the next deadline. The standing deputy's officers get the same queue
for the leader's own unit (clusters.rules.reviews_unit), without the board."""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clusters.models import ClusterYear, Unit
from clusters.rules import reviews_unit

from .progress import (
    REVIEW,
    STAGES,
    Deadline,
    Stage,
    YearProgress,
    leader_of,
    next_deadline,
)


@dataclass
class QueueItem:
    """Something handed in by a unit that waits for the viewer's decision."""

    cluster_year: ClusterYear
    unit: Unit
    label: str | Promise
    url: str
    # The leader's own scorecard or report, which the standing deputy reviews.
    for_leader: bool


def review_queue(user, year: YearProgress) -> list[QueueItem]:
    """What the account reviews in the year and is waiting: scorecards to review, the units'
    answers to adjustments, reports to accept. No query (after progress.prime_leadership)."""
    cy = year.cluster_year
    leader = leader_of(cy)
    items = []
    for up in year.units:
        if not reviews_unit(user, cy, up.unit.pk):
            continue
        for_leader = up.unit.pk == leader
        card = up.scorecard
        if card is not None and card.is_under_review:
            review_url = reverse("scorecards:review", kwargs={"scorecard": card.uuid})
            if not card.is_reviewed:
                items.append(
                    QueueItem(cy, up.unit, _("Review the scorecard"), review_url, for_leader)
                )
            if getattr(card, "answers", 0):
                items.append(
                    QueueItem(
                        cy,
                        up.unit,
                        _("Read the unit's answers to adjustments (%(count)s)")
                        % {"count": getattr(card, "answers", 0)},
                        review_url,
                        for_leader,
                    )
                )
        if up.report is not None and up.report.awaits_review:
            items.append(
                QueueItem(
                    cy, up.unit, _("Accept the report"), up.report.get_absolute_url(), for_leader
                )
            )
    return items


@dataclass
class SecretariatBoard:
    progress: YearProgress
    queue: list[QueueItem]
    next_deadline: Deadline | None
    stages: list[Stage] = field(default_factory=lambda: list(STAGES))

    @property
    def cluster_year(self) -> ClusterYear:
        return self.progress.cluster_year


def secretariat_board(user, year: YearProgress, *, today: datetime.date) -> SecretariatBoard:
    cy = year.cluster_year
    for up in year.units:
        if up.scorecard is not None and not reviews_unit(user, cy, up.unit.pk):
            # The leader's own scorecard is the standing deputy's to review: the secretariat's
            # cell opens the scorecard itself, which it may read.
            review_cell = next(cell for cell in up.cells if cell.stage == REVIEW)
            if review_cell.url:
                review_cell.url = up.scorecard.get_absolute_url()
    return SecretariatBoard(
        progress=year,
        queue=review_queue(user, year),
        next_deadline=next_deadline(year.cluster_year, today),
    )
