"""Where each member unit of a cluster year stands at each stage of the year, read for many
cluster years at once: a fixed number of queries whatever the number of years and units.

The stages are the year's work in order (docs/ARCHITECTURE.md, "The life of a cluster year"):
pledge, scorecard, review, report, nominations. Every board of the home page (secretariat,
unit officer, supervisor) is built from the `YearProgress` read here.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from awards.models import Candidate, NominationRound, Proposal
from clusters.models import ClusterYear, LeadershipAssignment, LeadershipRole, Membership, Unit
from clusters.selectors import vietnamese_key
from reports.models import UnitReport, YearSummary
from scorecards.models import Pledge, PledgeSignature, Scorecard, YearDeadline

PLEDGE = "pledge"
SCORECARD = "scorecard"
REVIEW = "review"
REPORT = "report"
NOMINATIONS = "nominations"


@dataclass(frozen=True)
class Stage:
    key: str
    label: str | Promise
    # The ClusterYear field of the stage's deadline; None for a stage without one.
    deadline_field: str | None
    # What a unit done with the stage is, in the counts ("8/11 signed").
    done_label: str | Promise


STAGES = [
    Stage(PLEDGE, _("Pledge"), "pledge_deadline", _("signed")),
    Stage(SCORECARD, _("Self-scoring"), "scorecard_deadline", _("submitted")),
    Stage(REVIEW, _("Review"), None, _("finalised")),
    Stage(REPORT, _("Unit report"), "report_deadline", _("submitted")),
    Stage(NOMINATIONS, _("Nominations"), "nomination_deadline", _("nominated")),
]


@dataclass(frozen=True)
class Deadline:
    label: str | Promise
    day: datetime.date
    stage: str | None = None


def deadlines_of(cluster_year: ClusterYear) -> list[Deadline]:
    """The year's deadlines, soonest first.

    The stages' deadlines and those the secretariat added (scorecards.YearDeadline, with
    `stage=None`), which `year_progress` loads for every year at once.
    """
    found = [
        Deadline(label=stage.label, day=day, stage=stage.key)
        for stage in STAGES
        if stage.deadline_field and (day := getattr(cluster_year, stage.deadline_field))
    ]
    extra = getattr(cluster_year, "_extra_deadlines", None)
    if extra is None:
        extra = list(YearDeadline.objects.filter(cluster_year=cluster_year))
    found += [Deadline(label=deadline.title, day=deadline.date) for deadline in extra]
    return sorted(found, key=lambda deadline: deadline.day)


def stage_deadline(cluster_year: ClusterYear, stage: str) -> datetime.date | None:
    field_name = next(s.deadline_field for s in STAGES if s.key == stage)
    return getattr(cluster_year, field_name) if field_name else None


def next_deadline(cluster_year: ClusterYear, today: datetime.date) -> Deadline | None:
    """The first deadline of the year that is today or later."""
    return next((d for d in deadlines_of(cluster_year) if d.day >= today), None)


@dataclass
class Cell:
    """One unit at one stage: its state in words, the badge, the page where the work is done."""

    stage: str
    label: str | Promise
    badge: str
    url: str
    done: bool
    overdue: bool = False
    # A count worth a word beside the state (answers to read, candidates proposed).
    note: str | Promise = ""


@dataclass
class UnitProgress:
    """What one member unit has handed in for the year."""

    unit: Unit
    signed: bool = False
    scorecard: Scorecard | None = None
    report: UnitReport | None = None
    candidates: int = 0
    cells: list[Cell] = field(default_factory=list)


@dataclass
class StageCount:
    stage: Stage
    done: int
    total: int
    deadline: datetime.date | None
    overdue: bool


@dataclass
class YearProgress:
    cluster_year: ClusterYear
    units: list[UnitProgress]
    pledge: Pledge | None
    nomination_round: NominationRound | None
    counts: list[StageCount] = field(default_factory=list)
    summary: YearSummary | None = None
    proposal: Proposal | None = None

    def of_unit(self, unit_id: int) -> UnitProgress | None:
        return next((u for u in self.units if u.unit.pk == unit_id), None)


def prime_leadership(cluster_years: list[ClusterYear]) -> None:
    """Load the holders of every year's roles in one query and cache them where
    clusters.selectors.leadership_unit_id looks, so that the permission checks of the boards
    (is_secretariat, reviews_unit) ask the database nothing more."""
    holders: dict[int, dict[str, int]] = {cy.pk: {} for cy in cluster_years}
    rows = LeadershipAssignment.objects.filter(cluster_year__in=cluster_years).values_list(
        "cluster_year_id", "role__kind", "unit_id"
    )
    for cluster_year_id, kind, unit_id in rows:
        holders[cluster_year_id][kind] = unit_id
    for cluster_year in cluster_years:
        cluster_year._holders_by_kind = holders[cluster_year.pk]


def leader_of(cluster_year: ClusterYear) -> int | None:
    return cluster_year._holders_by_kind.get(LeadershipRole.LEADER)


def _members(cluster_years: list[ClusterYear]) -> dict[int, list[Unit]]:
    by_cluster: dict[int, list[ClusterYear]] = {}
    for cy in cluster_years:
        by_cluster.setdefault(cy.cluster_id, []).append(cy)
    query = Q(pk__in=[])
    for cy in cluster_years:
        query |= Q(cluster_id=cy.cluster_id, start_year__lte=cy.year) & (
            Q(end_year__isnull=True) | Q(end_year__gte=cy.year)
        )
    members: dict[int, list[Unit]] = {cy.pk: [] for cy in cluster_years}
    for membership in Membership.objects.filter(query).select_related("unit"):
        for cy in by_cluster[membership.cluster_id]:
            if membership.covers(cy.year):
                members[cy.pk].append(membership.unit)
    for units in members.values():
        units.sort(key=lambda unit: vietnamese_key(unit.short_name))
    return members


# Adjusted scores of the criteria version in force (Score.is_adjusted, in SQL).
_ADJUSTED = (
    Q(scores__criterion__criteria_set_id=F("criteria_set_id"))
    & Q(scores__reviewed_score__isnull=False)
    & (Q(scores__self_score__isnull=True) | ~Q(scores__reviewed_score=F("scores__self_score")))
)


def year_progress(
    cluster_years: list[ClusterYear], *, with_sent: bool = False
) -> dict[int, YearProgress]:
    """Each cluster year's member units and what each has handed in, with the cells of the
    board and the counts per stage; with `with_sent`, also the year summary and the award
    proposal (what a supervisor receives). Eight queries (ten with `with_sent`), after
    `prime_leadership`."""
    if not cluster_years:
        return {}
    members = _members(cluster_years)
    extra_deadlines: dict[int, list[YearDeadline]] = {cy.pk: [] for cy in cluster_years}
    for deadline in YearDeadline.objects.filter(cluster_year__in=cluster_years):
        extra_deadlines[deadline.cluster_year_id].append(deadline)
    for cy in cluster_years:
        cy._extra_deadlines = extra_deadlines[cy.pk]  # type: ignore[attr-defined]  # deadlines_of
    pledges = {p.cluster_year_id: p for p in Pledge.objects.filter(cluster_year__in=cluster_years)}
    signed = set(
        PledgeSignature.objects.filter(pledge__cluster_year__in=cluster_years).values_list(
            "pledge__cluster_year_id", "unit_id"
        )
    )
    scorecards = {
        (s.cluster_year_id, s.unit_id): s
        for s in Scorecard.objects.filter(cluster_year__in=cluster_years).annotate(
            # The unit's answers to adjustments the secretariat has not decided on yet.
            answers=Count(
                "scores",
                filter=_ADJUSTED
                & ~Q(scores__unit_response="")
                & Q(scores__final_score__isnull=True),
            ),
            # Adjustments the unit has not answered (it may, once, before the card is final).
            unanswered=Count("scores", filter=_ADJUSTED & Q(scores__unit_response="")),
        )
    }
    reports = {
        (r.cluster_year_id, r.unit_id): r
        for r in UnitReport.objects.filter(cluster_year__in=cluster_years).only(
            "uuid", "cluster_year_id", "unit_id", "status"
        )
    }
    rounds = {
        r.cluster_year_id: r for r in NominationRound.objects.filter(cluster_year__in=cluster_years)
    }
    # A candidate counts for the unit it belongs to: itself, its person's or its entry's unit.
    candidates: dict[tuple[int, int], int] = {}
    rows = (
        Candidate.objects.filter(round__cluster_year__in=cluster_years)
        .exclude(status=Candidate.Status.WITHDRAWN)
        .values_list(
            "round__cluster_year_id", "unit_id", "person__unit_id", "campaign_entry__unit_id"
        )
    )
    for cluster_year_id, *unit_ids in rows:
        unit_id = next((u for u in unit_ids if u is not None), None)
        if unit_id is not None:
            key = (cluster_year_id, unit_id)
            candidates[key] = candidates.get(key, 0) + 1
    summaries: dict[int, YearSummary] = {}
    proposals: dict[int, Proposal] = {}
    if with_sent:
        summaries = {
            s.cluster_year_id: s for s in YearSummary.objects.filter(cluster_year__in=cluster_years)
        }
        proposals = {
            p.round.cluster_year_id: p
            for p in Proposal.objects.filter(round__cluster_year__in=cluster_years).select_related(
                "round"
            )
        }

    today = timezone.localdate()
    progress = {}
    by_pk = {cy.pk: cy for cy in cluster_years}
    for card in scorecards.values():
        card.cluster_year = by_pk[card.cluster_year_id]  # read by the rules and the URLs
    for report in reports.values():
        report.cluster_year = by_pk[report.cluster_year_id]
    for cy in cluster_years:
        for unit in members[cy.pk]:
            for handed_in in (scorecards.get((cy.pk, unit.pk)), reports.get((cy.pk, unit.pk))):
                if handed_in is not None:
                    handed_in.unit = unit  # read by the URLs and the templates
        units = [
            UnitProgress(
                unit=unit,
                signed=(cy.pk, unit.pk) in signed,
                scorecard=scorecards.get((cy.pk, unit.pk)),
                report=reports.get((cy.pk, unit.pk)),
                candidates=candidates.get((cy.pk, unit.pk), 0),
            )
            for unit in members[cy.pk]
        ]
        year = YearProgress(
            cluster_year=cy,
            units=units,
            pledge=pledges.get(cy.pk),
            nomination_round=rounds.get(cy.pk),
            summary=summaries.get(cy.pk),
            proposal=proposals.get(cy.pk),
        )
        for unit_progress in units:
            unit_progress.cells = _cells(year, unit_progress, today)
        year.counts = _counts(year, today)
        progress[cy.pk] = year
    return progress


def _passed(deadline: datetime.date | None, today: datetime.date) -> bool:
    return deadline is not None and today > deadline


def _cells(year: YearProgress, up: UnitProgress, today: datetime.date) -> list[Cell]:
    """The row of the board for one unit: a cell per stage, in the order of STAGES."""
    cy = year.cluster_year
    year_args = {"cluster": cy.cluster.uuid, "year": cy.year}

    def late(stage: str) -> bool:
        return _passed(stage_deadline(cy, stage), today)

    pledge_url = reverse("scorecards:pledge", kwargs=year_args)
    if year.pledge is None:
        pledge = Cell(PLEDGE, _("not posted"), "text-bg-light border", pledge_url, done=False)
    elif up.signed:
        pledge = Cell(PLEDGE, _("signed"), "text-bg-success", pledge_url, done=True)
    else:
        pledge = Cell(
            PLEDGE, _("not signed"), "text-bg-warning", pledge_url, False, overdue=late(PLEDGE)
        )

    card = up.scorecard
    if card is None:
        scorecard = Cell(
            SCORECARD,
            _("not opened"),
            "text-bg-light border",
            reverse("scorecards:scorecard_list", kwargs=year_args),
            done=False,
            overdue=late(SCORECARD),
        )
        review = Cell(REVIEW, "—", "text-bg-light border", "", done=False)
    else:
        scorecard = Cell(
            SCORECARD,
            card.get_status_display(),
            card.status_badge,
            card.get_absolute_url(),
            done=card.is_handed_in,
            overdue=not card.is_handed_in and late(SCORECARD),
        )
        review_url = reverse("scorecards:review", kwargs={"scorecard": card.uuid})
        if not card.is_handed_in:
            review = Cell(REVIEW, "—", "text-bg-light border", "", done=False)
        elif card.is_final:
            review = Cell(REVIEW, _("finalised"), "text-bg-success", review_url, done=True)
        elif card.is_reviewed:
            review = Cell(REVIEW, _("reviewed"), "text-bg-info", review_url, done=False)
        else:
            review = Cell(REVIEW, _("to review"), "text-bg-primary", review_url, done=False)
        answers = getattr(card, "answers", 0)  # annotated by year_progress
        if card.is_handed_in and not card.is_final and answers:
            review.note = _("%(count)s answers to read") % {"count": answers}

    report_url = reverse("reports:unit_report", kwargs={**year_args, "unit": up.unit.uuid})
    if up.report is None:
        report = Cell(
            REPORT, _("not written"), "text-bg-light border", report_url, False, late(REPORT)
        )
    else:
        report = Cell(
            REPORT,
            up.report.get_status_display(),
            up.report.status_badge,
            report_url,
            done=up.report.is_handed_in,
            overdue=not up.report.is_handed_in and late(REPORT),
        )

    nominations_url = reverse("awards:nominations", kwargs=year_args)
    if year.nomination_round is None:
        nominations = Cell(NOMINATIONS, _("not open"), "text-bg-light border", "", done=False)
    elif up.candidates:
        nominations = Cell(
            NOMINATIONS,
            _("%(count)s proposed") % {"count": up.candidates},
            "text-bg-success",
            nominations_url,
            done=True,
        )
    else:
        nominations = Cell(
            NOMINATIONS,
            _("none proposed"),
            "text-bg-light border",
            nominations_url,
            done=False,
            overdue=not year.nomination_round.is_final and late(NOMINATIONS),
        )
    return [pledge, scorecard, review, report, nominations]


def _counts(year: YearProgress, today: datetime.date) -> list[StageCount]:
    total = len(year.units)
    counts = []
    for index, stage in enumerate(STAGES):
        done = sum(1 for up in year.units if up.cells[index].done)
        deadline = stage_deadline(year.cluster_year, stage.key)
        counts.append(
            StageCount(
                stage=stage,
                done=done,
                total=total,
                deadline=deadline,
                # A stage is late where a unit's cell is (a round not open is nobody's fault).
                overdue=any(up.cells[index].overdue for up in year.units),
            )
        )
    return counts
