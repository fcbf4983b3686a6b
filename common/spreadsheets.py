"""The look of every Excel workbook the apps write (openpyxl): header cells, boxed number and text
cells, the two title rows over a table, column widths, and sheet names Excel accepts.

Numbers are written as numbers (a Decimal is stored as a number, None leaves the cell empty), so
the reader's Excel shows them with its own decimal separator and can add them up."""

import re

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
ITALIC = Font(italic=True)
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
TOP_WRAP = Alignment(wrap_text=True, vertical="top")
GENERAL = "General"  # 55.5 and 40 as they are
TWO_DECIMALS = "0.00"  # 55.50 and 40.00
INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook
    (`taken` holds the lowercased names already used, and receives this one)."""
    base = INVALID_SHEET_CHARS.sub("-", text).strip()[:31].strip() or "Sheet"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def title_rows(sheet, title: str, subtitle: str, width: int) -> None:
    """The title (bold, large) in row 1 and the subtitle (italic) in row 2, each merged over the
    table's `width` columns."""
    sheet.cell(row=1, column=1, value=title).font = TITLE_FONT
    sheet.cell(row=2, column=1, value=subtitle).font = ITALIC
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(width, 1))


def header_cell(cell, value) -> None:
    """A column header: bold on the header fill, wrapped and centred, boxed."""
    cell.value = value
    cell.font = BOLD
    cell.fill = HEADER_FILL
    cell.alignment = WRAP
    cell.border = BOX


def number_cell(cell, value, number_format: str = GENERAL) -> None:
    """A boxed number cell (a Decimal, an int or None for an empty cell)."""
    cell.value = value
    cell.number_format = number_format
    cell.border = BOX


def text_cell(cell, value, *, bold: bool = False) -> None:
    """A boxed text cell, wrapped at the top."""
    cell.value = value
    cell.border = BOX
    cell.alignment = TOP_WRAP
    if bold:
        cell.font = BOLD


def set_widths(sheet, columns: dict[str, float]) -> None:
    """Set the widths of columns given by letter: {"A": 8, "B": 28}."""
    for letter, width in columns.items():
        sheet.column_dimensions[letter].width = width
