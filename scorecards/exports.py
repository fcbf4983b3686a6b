"""The ranking as an Excel workbook: a summary sheet and one sheet per top-level group with the
three score layers (self, reviewed, final) side by side. Numbers are written as numbers."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from common.formatting import points
from common.spreadsheets import (
    BOX,
    header_cell,
    number_cell,
    set_widths,
    sheet_title,
    title_rows,
)

from .models import Criterion
from .selectors import RankingTable, sheet_of
from .totals import children_map


def _title_rows(sheet, table: RankingTable, subtitle: str, width: int) -> None:
    cluster_year = table.cluster_year
    title_rows(
        sheet,
        _("Emulation scoring results %(year)s – %(cluster)s")
        % {"year": cluster_year.year, "cluster": cluster_year.cluster.name},
        subtitle,
        width,
    )


def _summary(workbook: Workbook, table: RankingTable, status: str) -> None:
    sheet = workbook.worksheets[0]
    sheet.title = sheet_title(_("Summary"), set())
    headers = [
        _("Rank"),
        _("Unit"),
        _("Base points"),
        _("Bonus points"),
        _("Deductions"),
        _("Total"),
        _("Grade"),
    ]
    _title_rows(sheet, table, status, len(headers))
    for column, header in enumerate(headers, start=1):
        header_cell(sheet.cell(row=3, column=column), header)
    for index, row in enumerate(table.rows, start=4):
        sheet.cell(row=index, column=1, value=row.rank).border = BOX
        sheet.cell(row=index, column=2, value=row.unit.short_name).border = BOX
        if row.scorecard is None:
            sheet.cell(row=index, column=7, value=_("no scorecard")).border = BOX
            continue
        for column, value in enumerate(
            (row.sheet.base, row.sheet.bonus, row.sheet.deductions, row.sheet.total), start=3
        ):
            number_cell(sheet.cell(row=index, column=column), value)
        sheet.cell(row=index, column=7, value=row.grade).border = BOX
    set_widths(sheet, {"A": 8, "B": 28, "C": 13, "D": 13, "E": 13, "F": 13, "G": 16})
    sheet.freeze_panes = "C4"


def _leaves(node: Criterion, tree: dict) -> list[Criterion]:
    if not node.is_group:
        return [node]
    return [leaf for child in tree.get(node.pk, []) for leaf in _leaves(child, tree)]


def _group_sheet(workbook: Workbook, table: RankingTable, top: Criterion, tree, sheets, taken):
    sheet = workbook.create_sheet(sheet_title(f"{top.number}. {top.text}", taken))
    leaves = _leaves(top, tree)
    layers = [_("Self"), _("Reviewed"), _("Final")]
    width = 2 + 3 * (len(leaves) + (1 if top.is_group else 0))
    _title_rows(
        sheet,
        table,
        _("Group %(number)s. %(text)s (maximum %(max)s)")
        % {
            "number": top.number,
            "text": top.text,
            "max": points(top.max_points),
        },
        width,
    )
    header_cell(sheet.cell(row=3, column=1), _("Rank"))
    header_cell(sheet.cell(row=3, column=2), _("Unit"))
    sheet.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
    sheet.merge_cells(start_row=3, start_column=2, end_row=4, end_column=2)
    titles = [
        _("%(number)s. %(text)s (maximum %(max)s)")
        % {
            "number": leaf.number,
            "text": leaf.text,
            "max": points(leaf.max_points),
        }
        for leaf in leaves
    ]
    if top.is_group:
        titles.append(_("Total of group %(number)s") % {"number": top.number})
    for position, title in enumerate(titles):
        first = 3 + 3 * position
        header_cell(sheet.cell(row=3, column=first), title)
        sheet.merge_cells(start_row=3, start_column=first, end_row=3, end_column=first + 2)
        for offset, layer in enumerate(layers):
            header_cell(sheet.cell(row=4, column=first + offset), layer)
            sheet.column_dimensions[get_column_letter(first + offset)].width = 11
    for index, row in enumerate(table.rows, start=5):
        sheet.cell(row=index, column=1, value=row.rank).border = BOX
        sheet.cell(row=index, column=2, value=row.unit.short_name).border = BOX
        if row.scorecard is None:
            continue
        column = 3
        for leaf in leaves:
            score = row.scores.get(leaf.pk)
            values = (
                (score.self_score, score.reviewed_score, score.final_score)
                if score is not None
                else (None, None, None)
            )
            for value in values:
                number_cell(sheet.cell(row=index, column=column), value)
                column += 1
        if top.is_group:
            for layer_sheet in sheets[row.unit.pk]:
                number_cell(sheet.cell(row=index, column=column), layer_sheet.nodes.get(top.pk))
                column += 1
    sheet.row_dimensions[3].height = 60
    set_widths(sheet, {"A": 8, "B": 28})
    sheet.freeze_panes = "C5"


def ranking_workbook(*, table: RankingTable, published: bool) -> bytes:
    """The .xlsx bytes of the ranking: a summary sheet and one sheet per top-level group."""
    workbook = Workbook()
    status = _("Ranking published.") if published else _("Ranking not published yet.")
    _summary(workbook, table, status)
    tree = children_map(table.criteria)
    sheets = {
        row.unit.pk: [
            sheet_of(table.criteria, row.scores, layer)
            for layer in ("self", "reviewed", "effective")
        ]
        for row in table.rows
        if row.scorecard is not None
    }
    taken = {workbook.worksheets[0].title.lower()}
    for top in tree.get(None, []):
        _group_sheet(workbook, table, top, tree, sheets, taken)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
