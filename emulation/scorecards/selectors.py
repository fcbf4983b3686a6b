"""Reads of scorecards that are reused: a scorecard with its tree, and the ranking.

Each makes a fixed number of queries whatever the number of criteria and units.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from clusters.models import ClusterYear, Unit
from clusters.selectors import members_in_year, vietnamese_key

from .models import CriteriaSet, Criterion, Evidence, GradeBand, Score, Scorecard, ScoringPolicy
from .totals import Sheet, compute

LAYERS = ("self", "reviewed", "effective")


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


def sheet_of(criteria: list[Criterion], scores: dict[int, Score], layer: str) -> Sheet:
    return compute(
        criteria,
        lambda criterion_id: (
            layer_value(scores[criterion_id], layer) if criterion_id in scores else None
        ),
    )


@dataclass
class RankingRow:
    unit: Unit
    scorecard: Scorecard | None
    sheet: Sheet
    rank: int | None = None
    grade: str = ""
    tied_with_previous: bool = False


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


def ranking(*, cluster_year: ClusterYear, layer: str = "effective") -> list[RankingRow]:
    """Every member unit of the year with its totals, rank and grade.

    Units without a scorecard are listed last, unranked. Equal sort keys share a rank.
    """
    criteria_set = cluster_year.criteria_sets.filter(status=CriteriaSet.PUBLISHED).first()
    members = members_in_year(cluster=cluster_year.cluster, year=cluster_year.year)
    policy = ScoringPolicy.objects.filter(cluster_id=cluster_year.cluster_id).first()
    tie_breaks = policy.tie_breaks if policy else []
    bands = list(GradeBand.objects.filter(cluster_id=cluster_year.cluster_id))
    if criteria_set is None:
        return [RankingRow(unit=u, scorecard=None, sheet=Sheet()) for u in members]
    criteria = criteria_of(criteria_set)
    scorecards = {
        s.unit_id: s
        for s in Scorecard.objects.filter(cluster_year=cluster_year).select_related("unit")
    }
    scores: dict[int, dict[int, Score]] = defaultdict(dict)
    for score in Score.objects.filter(
        scorecard__cluster_year=cluster_year, criterion__criteria_set=criteria_set
    ):
        scores[score.scorecard_id][score.criterion_id] = score
    rows, unscored = [], []
    for unit in members:
        scorecard = scorecards.get(unit.pk)
        if scorecard is None:
            unscored.append(RankingRow(unit=unit, scorecard=None, sheet=Sheet()))
            continue
        sheet = sheet_of(criteria, scores[scorecard.pk], layer)
        rows.append(RankingRow(unit=unit, scorecard=scorecard, sheet=sheet))
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
    return rows + unscored
