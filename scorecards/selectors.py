"""Reads of scorecards that are reused: a scorecard with its tree, and the ranking.

Each makes a fixed number of queries whatever the number of criteria and units.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from clusters.models import ClusterYear, Unit
from clusters.selectors import members_in_year, vietnamese_key

from .models import CriteriaSet, Criterion, Evidence, GradeBand, Score, Scorecard
from .totals import Sheet, compute, maxima

LAYERS = ("self", "reviewed", "effective")
# What rankings read of a score: the three layers. Rankings load thousands of scores, so the
# texts (explanations, reasons) are left out; reading one of them would cost a query per score.
SCORE_LAYER_FIELDS = (
    "id",
    "scorecard_id",
    "criterion_id",
    "self_score",
    "reviewed_score",
    "final_score",
)


def layer_value(score: Score, layer: str) -> Decimal | None:
    if layer == "self":
        return score.self_score
    if layer == "reviewed":
        return score.reviewed_score if score.reviewed_score is not None else score.self_score
    return score.effective


def criteria_of(criteria_set: CriteriaSet) -> list[Criterion]:
    return list(criteria_set.criteria.order_by("position"))


def scorecard_scores(scorecard: Scorecard) -> dict[int, Score]:
    """The scorecard's scores by criterion id, with their evidence."""
    scores = scorecard.scores.prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at"))
    )
    return {score.criterion_id: score for score in scores}


def sheet_of(
    criteria: list[Criterion],
    scores: dict[int, Score],
    layer: str,
    typed: dict[int, Decimal | None] | None = None,
) -> Sheet:
    """The totals of one score layer. `typed` (criterion id -> value) stands in for the saved
    value of some criteria: what the officer has typed on the scorecard page and not saved."""
    typed = typed or {}

    def value(criterion_id: int) -> Decimal | None:
        if criterion_id in typed:
            return typed[criterion_id]
        return layer_value(scores[criterion_id], layer) if criterion_id in scores else None

    return compute(criteria, value)


@dataclass
class RankingRow:
    unit: Unit
    scorecard: Scorecard | None
    sheet: Sheet
    rank: int | None = None
    grade: str = ""
    tied_with_previous: bool = False
    scores: dict[int, Score] = field(default_factory=dict)  # criterion id -> score


@dataclass
class RankingTable:
    """The ranking of a cluster year with everything its pages and exports show."""

    cluster_year: ClusterYear
    layer: str
    criteria_set: CriteriaSet | None
    criteria: list[Criterion]
    rows: list[RankingRow]
    tie_breaks: list[str]
    bands: list[GradeBand]


def tie_break_label(key: str) -> str:
    if key == "base":
        return _("higher base points")
    if key == "deductions":
        return _("fewer deductions")
    if key == "bonus":
        return _("more bonus points")
    if key.startswith("group:"):
        return _("a higher score in group %(number)s") % {"number": key.split(":", 1)[1]}
    return key


def sort_key(sheet: Sheet, tie_breaks: list[str]) -> tuple:
    """Descending total, then each configured tie-break."""
    key: list = [-sheet.total]
    for rule in tie_breaks:
        if rule == "base":
            key.append(-sheet.base)
        elif rule == "deductions":
            key.append(sheet.deductions)
        elif rule == "bonus":
            key.append(-sheet.bonus)
        elif rule.startswith("group:"):
            key.append(-sheet.groups.get(rule.split(":", 1)[1], Decimal("0")))
    return tuple(key)


def grade_for(total: Decimal, bands: list[GradeBand]) -> str:
    for band in bands:  # highest threshold first
        if total >= band.min_total:
            return band.name
    return ""


def rank_rows(rows: list[RankingRow], tie_breaks: list[str], bands: list[GradeBand]) -> None:
    """Sort in place and set rank, grade and ties. Equal sort keys share a rank and are listed
    in Vietnamese alphabetical order."""
    rows.sort(
        key=lambda row: (sort_key(row.sheet, tie_breaks), vietnamese_key(row.unit.short_name))
    )
    previous_key = None
    for position, row in enumerate(rows, start=1):
        key = sort_key(row.sheet, tie_breaks)
        if key == previous_key:
            row.rank = rows[position - 2].rank
            row.tied_with_previous = True
        else:
            row.rank = position
        previous_key = key
        row.grade = grade_for(row.sheet.total, bands)


def ranking_settings(cluster_year: ClusterYear) -> tuple[list[str], list[GradeBand]]:
    """The tie-break order and the grade bands (highest first) that rank the year: those its
    ranking was published with (1 query), else the cluster's of today (2 queries)."""
    found = (
        ClusterYear.objects.filter(pk=cluster_year.pk)
        .values(
            "ranking_publication__tie_breaks",
            "ranking_publication__grade_bands",
            "cluster__scoring_policy__tie_breaks",
        )
        .first()
    )
    snapshot: dict[str, Any] = dict(found or {})
    if snapshot.get("ranking_publication__grade_bands") is not None:
        published = [
            GradeBand(cluster_id=cluster_year.cluster_id, name=name, min_total=Decimal(minimum))
            for name, minimum in snapshot["ranking_publication__grade_bands"]
        ]
        return snapshot["ranking_publication__tie_breaks"] or [], published
    bands = list(GradeBand.objects.filter(cluster_id=cluster_year.cluster_id))
    return snapshot.get("cluster__scoring_policy__tie_breaks") or [], bands


def ranking_table(*, cluster_year: ClusterYear, layer: str = "effective") -> RankingTable:
    """Every member unit of the year with its totals, rank, grade and scores (8 queries).

    Units without a submitted scorecard are listed last, unranked.
    """
    criteria_set = cluster_year.criteria_sets.filter(status=CriteriaSet.Status.PUBLISHED).first()
    members = members_in_year(cluster=cluster_year.cluster, year=cluster_year.year)
    tie_breaks, bands = ranking_settings(cluster_year)
    table = RankingTable(
        cluster_year=cluster_year,
        layer=layer,
        criteria_set=criteria_set,
        criteria=[],
        rows=[],
        tie_breaks=tie_breaks,
        bands=bands,
    )
    if criteria_set is None:
        table.rows = [RankingRow(unit=u, scorecard=None, sheet=Sheet()) for u in members]
        return table
    table.criteria = criteria = criteria_of(criteria_set)
    scorecards = {s.unit_id: s for s in Scorecard.objects.filter(cluster_year=cluster_year)}
    scores: dict[int, dict[int, Score]] = defaultdict(dict)
    # Plain id lists rather than joins: the planner handles them well at any size.
    for score in Score.objects.filter(
        scorecard_id__in=[s.pk for s in scorecards.values()],
        criterion_id__in=[c.pk for c in criteria],
    ).only(*SCORE_LAYER_FIELDS):
        scores[score.scorecard_id][score.criterion_id] = score
    rows: list[RankingRow] = []
    unscored: list[RankingRow] = []
    for unit in members:
        scorecard = scorecards.get(unit.pk)
        if scorecard is None:
            unscored.append(RankingRow(unit=unit, scorecard=None, sheet=Sheet()))
            continue
        scorecard.unit = unit  # already loaded, with its successors
        card_scores = scores[scorecard.pk]
        sheet = sheet_of(criteria, card_scores, layer)
        row = RankingRow(unit=unit, scorecard=scorecard, sheet=sheet, scores=card_scores)
        # A draft is work in progress: shown with its scores, but not ranked until submitted.
        (unscored if scorecard.status == Scorecard.Status.DRAFT else rows).append(row)
    rank_rows(rows, tie_breaks, bands)
    table.rows = rows + unscored
    return table


def ranking(*, cluster_year: ClusterYear, layer: str = "effective") -> list[RankingRow]:
    """Every member unit of the year with its totals, rank and grade.

    Units without a submitted scorecard are listed last, unranked. Equal sort keys share a rank.
    """
    return ranking_table(cluster_year=cluster_year, layer=layer).rows


def max_total(criteria: list[Criterion]) -> Decimal:
    """The highest total possible: the maxima of the base and bonus points."""
    family = maxima(criteria)
    return family["base"] + family["bonus"]


@dataclass
class TrendSeries:
    """One unit's totals over the years, as a share (%) of each year's highest possible total."""

    unit: Unit
    successor: Unit | None  # the unit it was merged into or renamed to, at the end of the chain
    shares: dict[int, Decimal | None] = field(default_factory=dict)  # year -> percent
    totals: dict[int, Decimal | None] = field(default_factory=dict)  # year -> points

    @property
    def is_predecessor(self) -> bool:
        return self.successor is not None

    @property
    def label(self) -> str:
        if self.successor is None:
            return self.unit.short_name
        if self.successor.short_name == self.unit.short_name:
            # e.g. the Lâm Đồng board before 1 July 2025, merged into the new Lâm Đồng board
            return _("%(unit)s (before the merger)") % {"unit": self.unit.short_name}
        if self.unit.succession_kind == Unit.RENAMED and self.unit.successor_id == (
            self.successor.pk
        ):
            message = _("%(unit)s (now %(successor)s)")
        else:
            message = _("%(unit)s (now part of %(successor)s)")
        return message % {"unit": self.unit.short_name, "successor": self.successor.short_name}


@dataclass
class Trend:
    years: list[int]
    max_totals: dict[int, Decimal]
    series: list[TrendSeries]


def trend(*, cluster_years: list[ClusterYear]) -> Trend:
    """Each unit's final total over the given years (4 queries whatever the number of years).

    Years without published criteria are left out. Predecessors of merged or renamed units are
    kept as their own series, ordered right after their successor's.
    """
    by_id = {cy.pk: cy for cy in cluster_years}
    sets = {
        cs.cluster_year_id: cs
        for cs in CriteriaSet.objects.filter(
            cluster_year_id__in=by_id, status=CriteriaSet.Status.PUBLISHED
        )
    }
    criteria: dict[int, list[Criterion]] = defaultdict(list)
    for criterion in Criterion.objects.filter(criteria_set__in=sets.values()).order_by("position"):
        criteria[criterion.criteria_set_id].append(criterion)
    scorecards = list(
        Scorecard.objects.filter(cluster_year_id__in=sets).select_related(
            "unit__successor__successor__successor"
        )
    )
    scores: dict[int, dict[int, Score]] = defaultdict(dict)
    for score in Score.objects.filter(
        scorecard_id__in=[s.pk for s in scorecards],
        criterion_id__in=[c.pk for year_criteria in criteria.values() for c in year_criteria],
    ).only(*SCORE_LAYER_FIELDS):
        scores[score.scorecard_id][score.criterion_id] = score
    years = sorted(by_id[pk].year for pk in sets)
    maxima = {by_id[pk].year: max_total(criteria[cs.pk]) for pk, cs in sets.items()}
    series: dict[int, TrendSeries] = {}
    for scorecard in scorecards:
        year = by_id[scorecard.cluster_year_id].year
        unit = scorecard.unit
        if unit.pk not in series:
            final = unit.final_successor()
            series[unit.pk] = TrendSeries(unit=unit, successor=final if final != unit else None)
        sheet = sheet_of(
            criteria[sets[scorecard.cluster_year_id].pk], scores[scorecard.pk], "effective"
        )
        if sheet.missing:  # an unfinished scorecard (unpublished years only): no point yet
            continue
        total = sheet.total
        series[unit.pk].totals[year] = total
        maximum = maxima[year]
        series[unit.pk].shares[year] = (
            (total * 100 / maximum).quantize(Decimal("0.1")) if maximum else None
        )

    def order(item: TrendSeries):
        anchor = item.successor or item.unit
        return (
            vietnamese_key(anchor.short_name),
            item.is_predecessor,
            vietnamese_key(item.unit.short_name),
        )

    return Trend(years=years, max_totals=maxima, series=sorted(series.values(), key=order))
