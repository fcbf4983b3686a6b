"""The ranking of a cluster year (xếp hạng, xếp loại): table, charts, units-by-criteria table,
publication, Excel export, printable view; and each unit's trend over the years."""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property, partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from clusters.models import Cluster, ClusterYear, LeadershipAssignment
from clusters.shortcuts import change_refusal, cluster_year_for
from common import formatting
from common.views import get_object_for

from ..exports import ranking_workbook
from ..models import Criterion
from ..selectors import (
    RankingRow,
    RankingTable,
    layer_value,
    ranking_table,
    tie_break_label,
    trend,
)
from ..services.ranking import publish_ranking
from ..totals import children_map, family_of

# The layer names in URLs, the selector's names for them, and their labels.
LAYERS = {
    "final": ("effective", gettext_lazy("Final scores")),
    "reviewed": ("reviewed", gettext_lazy("Reviewed scores")),
    "self": ("self", gettext_lazy("Self scores")),
}
# Colour bands of the units-by-criteria table, as a share of the maximum (as in DHIS2).
BANDS = [(Decimal("0.9"), "rk-90"), (Decimal("0.7"), "rk-70"), (Decimal("0.5"), "rk-50")]


points = partial(formatting.points, empty="–")  # a missing score shows as a dash


def share_class(value: Decimal | None, maximum: Decimal, inverted: bool = False) -> str:
    """The colour band of a score. For deductions the good share is what was not taken off."""
    if value is None or not maximum:
        return "rk-none"
    share = value / maximum
    if inverted:
        share = 1 - share
    for threshold, css in BANDS:
        if share >= threshold:
            return css
    return "rk-0"


@dataclass
class Cell:
    text: str
    css: str
    title: str


@dataclass
class GroupColumns:
    """A top-level group of the criteria and the leaves under it, as table columns."""

    criterion: Criterion
    leaves: list[Criterion]
    has_subtotal: bool
    inverted: bool  # deductions: less is better

    @property
    def colspan(self) -> int:
        return len(self.leaves) + (1 if self.has_subtotal else 0)


@dataclass
class TableRow:
    row: RankingRow
    url: str | None
    groups: list[list[Cell]] = field(default_factory=list)

    @cached_property
    def groups_html(self) -> list[SafeString]:
        """Each group's cells as HTML, built here: 2,000 cells through the template language
        cost most of the page's time."""
        return [
            mark_safe(
                "".join(
                    f'<td class="cell-num {cell.css}" title="{escape(cell.title)}">'
                    f"{escape(cell.text)}</td>"
                    for cell in cells
                )
            )
            for cells in self.groups
        ]


def _leaves(node: Criterion, tree: dict) -> list[Criterion]:
    if not node.is_group:
        return [node]
    return [leaf for child in tree.get(node.pk, []) for leaf in _leaves(child, tree)]


def group_columns(criteria: list[Criterion]) -> list[GroupColumns]:
    tree = children_map(criteria)
    for criterion in criteria:
        criterion.max_text = points(criterion.max_points)
    return [
        GroupColumns(
            criterion=top,
            leaves=_leaves(top, tree),
            has_subtotal=top.is_group,
            inverted=family_of(top, tree) == "deduction",
        )
        for top in tree.get(None, [])
    ]


def _scorecard_url(row: RankingRow) -> str | None:
    if row.scorecard is None:
        return None
    try:
        return reverse("scorecards:scorecard", kwargs={"scorecard": row.scorecard.uuid})
    except NoReverseMatch:  # the scorecard pages are not installed
        return None


def criteria_table(table: RankingTable, columns: list[GroupColumns]) -> list[TableRow]:
    """Units by criteria, each cell coloured by its share of the criterion's maximum."""
    rows = []
    for row in table.rows:
        table_row = TableRow(row=row, url=_scorecard_url(row))
        name = row.unit.short_name
        for group in columns:
            cells = []
            for leaf in group.leaves:
                score = row.scores.get(leaf.pk)
                value = layer_value(score, table.layer) if score is not None else None
                text = points(value)
                cells.append(
                    Cell(
                        text=text,
                        css=share_class(value, leaf.max_points, group.inverted),
                        title=f"{name} – {group.criterion.number}.{leaf.number}: "
                        f"{text} / {leaf.max_text}",
                    )
                )
            if group.has_subtotal:
                value = row.sheet.nodes.get(group.criterion.pk) if row.scorecard else None
                text = points(value)
                cells.append(
                    Cell(
                        text=text,
                        css=share_class(value, group.criterion.max_points, group.inverted)
                        + " rk-subtotal",
                        title=f"{name} – Σ {group.criterion.number}: "
                        f"{text} / {group.criterion.max_text}",
                    )
                )
            table_row.groups.append(cells)
        rows.append(table_row)
    return rows


def _layer(request, cluster_year: ClusterYear) -> str:
    """The chosen score layer; only those who see all scores may choose."""
    chosen = request.GET.get("layer", "final")
    if chosen not in LAYERS or not request.user.has_perm(
        "scorecards.view_all_scorecards", cluster_year
    ):
        return "final"
    return chosen


def _context(request, cluster_year: ClusterYear) -> dict:
    layer = _layer(request, cluster_year)
    table = ranking_table(cluster_year=cluster_year, layer=LAYERS[layer][0])
    columns = group_columns(table.criteria)
    criteria_rows = criteria_table(table, columns)
    ranked = [row for row in table.rows if row.rank is not None]
    return {
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        "table": table,
        "summary": [
            (
                row,
                points(row.sheet.base),
                points(row.sheet.bonus),
                points(row.sheet.deductions),
                points(row.sheet.total),
            )
            for row in table.rows
        ],
        "tie_breaks": [tie_break_label(key) for key in table.tie_breaks],
        "columns": columns,
        "criteria_rows": criteria_rows,
        "group_tables": [
            (group, [(table_row, table_row.groups_html[i]) for table_row in criteria_rows])
            for i, group in enumerate(columns)
        ],
        "layer": layer,
        "layer_label": LAYERS[layer][1],
        "layers": [(key, label) for key, (_name, label) in LAYERS.items()],
        "can_choose_layer": request.user.has_perm("scorecards.view_all_scorecards", cluster_year),
        "published": getattr(cluster_year, "ranking_publication", None),
        "can_publish": request.user.has_perm("scorecards.publish_ranking", cluster_year),
        "chart": {
            "labels": [row.unit.short_name for row in ranked],
            "totals": [float(row.sheet.total) for row in ranked],
            "label": _("Total"),
        },
    }


def _ranking_year(request, cluster, year) -> ClusterYear:
    return cluster_year_for(
        request.user, cluster, year, "scorecards.view_ranking", related=("ranking_publication",)
    )


@login_required
def ranking_view(request, cluster, year):
    cluster_year = _ranking_year(request, cluster, year)
    return render(request, "scorecards/ranking.html", _context(request, cluster_year))


@login_required
def ranking_print(request, cluster, year):
    cluster_year = _ranking_year(request, cluster, year)
    return render(request, "scorecards/ranking_print.html", _context(request, cluster_year))


@login_required
def ranking_export(request, cluster, year):
    cluster_year = _ranking_year(request, cluster, year)
    table = ranking_table(cluster_year=cluster_year)
    content = ranking_workbook(table=table, published=hasattr(cluster_year, "ranking_publication"))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"xep-hang-cum-{cluster_year.cluster.number}-{cluster_year.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def ranking_publish(request, cluster, year):
    cluster_year = _ranking_year(request, cluster, year)
    if refusal := change_refusal(request, cluster_year, "scorecards.publish_ranking"):
        return refusal
    url = reverse("scorecards:ranking", kwargs={"cluster": cluster, "year": year})
    if hasattr(cluster_year, "ranking_publication"):
        messages.info(request, _("The ranking is already published."))
        return redirect(url)
    errors = []
    if request.method == "POST":
        try:
            publish_ranking(cluster_year=cluster_year, user=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("The ranking of %(year)s is published: every member unit can now see it.")
                % {"year": year},
            )
            return redirect(url)
    return render(
        request,
        "scorecards/ranking_publish.html",
        {"cluster_year": cluster_year, "cluster": cluster_year.cluster, "errors": errors},
    )


def _visible_years(user, cluster: Cluster) -> list[tuple[ClusterYear, bool]]:
    """The cluster's years whose ranking the user may see: published ones, plus every year for
    those who see all scores. Leaders are loaded in one query so the checks cost none."""
    years = list(cluster.years.select_related("cluster", "ranking_publication").order_by("year"))
    holders: dict[int, dict[str, int]] = {year.pk: {} for year in years}
    for year_id, kind, unit_id in LeadershipAssignment.objects.filter(
        cluster_year__in=years
    ).values_list("cluster_year_id", "role__kind", "unit_id"):
        holders[year_id][kind] = unit_id
    visible = []
    for cluster_year in years:
        # The cache clusters.selectors.leadership_unit_id reads: no query per year.
        cluster_year._holders_by_kind = holders[cluster_year.pk]
        published = hasattr(cluster_year, "ranking_publication")
        if published or user.has_perm("scorecards.view_all_scorecards", cluster_year):
            visible.append((cluster_year, published))
    return visible


@login_required
def ranking_trend(request, cluster):
    cluster = get_object_for(request.user, "scorecards.view_criteria", Cluster, uuid=cluster)
    visible = _visible_years(request.user, cluster)
    result = trend(cluster_years=[cy for cy, _published in visible])
    published = {cy.year: is_published for cy, is_published in visible}
    years = [(year, published[year]) for year in result.years]
    return render(
        request,
        "scorecards/ranking_trend.html",
        {
            "cluster": cluster,
            "years": years,
            "any_unpublished": not all(is_published for _year, is_published in years),
            "max_totals": [points(result.max_totals[year]) for year in result.years],
            "rows": [
                (
                    series,
                    [
                        (
                            points(series.shares.get(year)),
                            points(series.totals.get(year)),
                        )
                        for year in result.years
                    ],
                )
                for series in result.series
            ],
            "chart": {
                "years": [
                    str(year) if is_published else f"{year}*" for year, is_published in years
                ],
                "series": [
                    {
                        "label": series.label,
                        "predecessor": series.is_predecessor,
                        "values": [
                            float(series.shares[year])
                            if series.shares.get(year) is not None
                            else None
                            for year in result.years
                        ],
                    }
                    for series in result.series
                ],
                "axis": _("Percentage of the highest possible total"),
            },
        },
    )


urlpatterns = [
    path("clusters/<uuid:cluster>/<int:year>/ranking/", ranking_view, name="ranking"),
    path(
        "clusters/<uuid:cluster>/<int:year>/ranking/publish/",
        ranking_publish,
        name="ranking_publish",
    ),
    path(
        "clusters/<uuid:cluster>/<int:year>/ranking/export.xlsx",
        ranking_export,
        name="ranking_export",
    ),
    path("clusters/<uuid:cluster>/<int:year>/ranking/print/", ranking_print, name="ranking_print"),
    path("clusters/<uuid:cluster>/trend/", ranking_trend, name="ranking_trend"),
]
