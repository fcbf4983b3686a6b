"""The ranking as an Excel workbook: a summary sheet and one sheet per top-level group with the
three score layers (self, reviewed, final) side by side. Numbers are written as numbers."""

import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from common.formatting import points

from .models import Criterion
from .selectors import RankingTable, sheet_of
from .totals import children_map

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
NUMBER_FORMAT = "General"  # 55.5 and 40, shown with the reader's own decimal separator
INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = INVALID_SHEET_CHARS.sub("-", text).strip()[:31].strip() or "Sheet"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def _title_rows(sheet, table: RankingTable, subtitle: str, width: int) -> None:
    cluster_year = table.cluster_year
    sheet.cell(
        row=1,
        column=1,
        value=_("Emulation scoring results %(year)s – %(cluster)s")
        % {"year": cluster_year.year, "cluster": cluster_year.cluster.name},
    ).font = Font(bold=True, size=14)
    sheet.cell(row=2, column=1, value=subtitle).font = Font(italic=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(width, 1))


def _header(cell, value) -> None:
    cell.value = value
    cell.font = BOLD
    cell.fill = HEADER_FILL
    cell.alignment = WRAP
    cell.border = BOX


def _number(cell, value) -> None:
    cell.value = value  # a Decimal or None: stored as a number, or left empty
    cell.number_format = NUMBER_FORMAT
    cell.border = BOX


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
        _header(sheet.cell(row=3, column=column), header)
    for index, row in enumerate(table.rows, start=4):
        sheet.cell(row=index, column=1, value=row.rank).border = BOX
        sheet.cell(row=index, column=2, value=row.unit.short_name).border = BOX
        if row.scorecard is None:
            sheet.cell(row=index, column=7, value=_("no scorecard")).border = BOX
            continue
        for column, value in enumerate(
            (row.sheet.base, row.sheet.bonus, row.sheet.deductions, row.sheet.total), start=3
        ):
            _number(sheet.cell(row=index, column=column), value)
        sheet.cell(row=index, column=7, value=row.grade).border = BOX
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 28
    for letter in "CDEF":
        sheet.column_dimensions[letter].width = 13
    sheet.column_dimensions["G"].width = 16
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
    _header(sheet.cell(row=3, column=1), _("Rank"))
    _header(sheet.cell(row=3, column=2), _("Unit"))
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
        _header(sheet.cell(row=3, column=first), title)
        sheet.merge_cells(start_row=3, start_column=first, end_row=3, end_column=first + 2)
        for offset, layer in enumerate(layers):
            _header(sheet.cell(row=4, column=first + offset), layer)
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
                _number(sheet.cell(row=index, column=column), value)
                column += 1
        if top.is_group:
            for layer_sheet in sheets[row.unit.pk]:
                _number(sheet.cell(row=index, column=column), layer_sheet.nodes.get(top.pk))
                column += 1
    sheet.row_dimensions[3].height = 60
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 28
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
