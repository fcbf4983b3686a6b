"""A unit officer's tasks for the year: sign the pledge, score, answer an adjustment, write the
report, nominate; each with its deadline and state, the overdue ones first."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from clusters.models import ClusterYear, Unit
from scorecards.selectors_engagement import my_units_in_year

from .progress import (
    NOMINATIONS,
    PLEDGE,
    REPORT,
    SCORECARD,
    Cell,
    UnitProgress,
    YearProgress,
    stage_deadline,
)


@dataclass
class Task:
    label: str | Promise
    cell: Cell
    deadline: datetime.date | None

    @property
    def overdue(self) -> bool:
        return self.cell.overdue

    @property
    def done(self) -> bool:
        return self.cell.done


@dataclass
class UnitDesk:
    cluster_year: ClusterYear
    unit: Unit
    tasks: list[Task]

    @property
    def open_count(self) -> int:
        return sum(1 for task in self.tasks if not task.done)


TASK_LABELS = {
    PLEDGE: _("Sign the pledge"),
    SCORECARD: _("Score the criteria and submit the scorecard"),
    REPORT: _("Write and submit the unit report"),
    NOMINATIONS: _("Nominate for awards"),
}


def _order(task: Task) -> tuple:
    """Overdue first, then what is still to do, then what is done; each by its deadline."""
    rank = 0 if task.overdue else (2 if task.done else 1)
    return (rank, task.deadline or datetime.date.max)


def unit_tasks(year: YearProgress, up: UnitProgress) -> list[Task]:
    cy = year.cluster_year
    cells = {cell.stage: cell for cell in up.cells}
    tasks = []
    for stage in (PLEDGE, SCORECARD, REPORT, NOMINATIONS):
        cell = cells[stage]
        if stage == PLEDGE and year.pledge is None:
            continue  # nothing to sign until the secretariat posts the pledge
        if stage == NOMINATIONS and year.nomination_round is None:
            continue  # the round is not open yet
        if stage == SCORECARD and up.scorecard is None:
            # The officer's own page opens the unit's scorecard (the list is the secretariat's).
            cell.url = (
                reverse(
                    "scorecards:my_scorecard", kwargs={"cluster": cy.cluster.uuid, "year": cy.year}
                )
                + f"?unit={up.unit.uuid}"
            )
        tasks.append(Task(TASK_LABELS[stage], cell, stage_deadline(cy, stage)))
    card = up.scorecard
    unanswered = getattr(card, "unanswered", 0)
    if card is not None and card.is_handed_in and not card.is_final and unanswered:
        # The unit may answer each adjustment once, until the secretariat finalises.
        tasks.append(
            Task(
                _("Answer an adjustment of the review"),
                Cell(
                    "answer",
                    _("%(count)s adjusted") % {"count": unanswered},
                    "text-bg-warning",
                    card.get_absolute_url(),
                    done=False,
                ),
                None,
            )
        )
    return sorted(tasks, key=_order)


def unit_desks(user, year: YearProgress) -> list[UnitDesk]:
    """The account's member units in the year, each with its tasks."""
    mine = {
        unit.pk for unit in my_units_in_year(user, year.cluster_year, [u.unit for u in year.units])
    }
    return [
        UnitDesk(cluster_year=year.cluster_year, unit=up.unit, tasks=unit_tasks(year, up))
        for up in year.units
        if up.unit.pk in mine
    ]
