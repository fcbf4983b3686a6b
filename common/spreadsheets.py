"""The look of every Excel workbook the apps write (openpyxl): header cells, boxed number and text
cells, the two title rows over a table, column widths, and sheet names Excel accepts.

Numbers are written as numbers (a Decimal is stored as a number, None leaves the cell empty), so
the reader's Excel shows them with its own decimal separator and can add them up."""

import io
import re
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
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


# --- Reading an uploaded workbook ------------------------------------------------------------
# Uploads are hostile until proven otherwise: before openpyxl sees a byte, the zip is inspected
# (entry count, unpacked size and compression ratio against zip bombs; macros and links to other
# workbooks refused). scorecards' criteria import has the same checks with its own messages.

MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_ZIP_ENTRIES = 300
MAX_COMPRESSION_RATIO = 150  # a sheet of repeated text compresses ~10-30x; bombs ~1000x


def inspect_xlsx(data: bytes) -> None:
    """Refuse what is not a plain .xlsx workbook, zip bombs, macros and links to other
    workbooks, with a message for the user (ValidationError)."""
    not_xlsx = ValidationError(_("This file is not an Excel workbook (.xlsx)."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
        names = {entry.filename.lower() for entry in entries}
        content_types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as error:
        raise not_xlsx from error
    too_big = ValidationError(_("The file unpacks to far more data than such a list holds."))
    if len(entries) > MAX_ZIP_ENTRIES:
        raise too_big
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES or any(
        entry.file_size > 1024 * 1024
        and entry.file_size / max(entry.compress_size, 1) > MAX_COMPRESSION_RATIO
        for entry in entries
    ):
        raise too_big
    if "xl/workbook.xml" not in names:
        raise not_xlsx
    if any(n.endswith("vbaproject.bin") for n in names) or b"macroEnabled" in content_types:
        raise ValidationError(
            _("Workbooks with macros are not accepted: save the file as a plain Excel workbook.")
        )
    if any(n.startswith("xl/externallinks/") for n in names):
        raise ValidationError(_("The workbook is linked to other files: break the links first."))


def read_xlsx_rows(data: bytes, *, max_rows: int, max_columns: int = 20):
    """The rows of the first sheet of an .xlsx (already checked by inspect_xlsx), as lists of
    cell values, streamed (read_only), formulas read as formulas and never evaluated, links
    never followed. At most `max_rows` rows are read (ValidationError beyond)."""
    try:
        workbook = load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    except Exception as error:  # hostile input: any parser failure is "not a workbook"
        raise ValidationError(_("The file could not be read as an Excel workbook.")) from error
    try:
        sheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
        if not sheets:
            raise ValidationError(_("The workbook has no sheet."))
        rows = []
        for number, cells in enumerate(sheets[0].iter_rows(max_col=max_columns), start=1):
            if number > max_rows:
                raise ValidationError(
                    _("The sheet has more than %(limit)s rows.") % {"limit": max_rows}
                )
            rows.append([(cell.value, cell.data_type) for cell in cells])
        return rows
    except ValidationError:
        raise
    except Exception as error:  # a malformed sheet part (broken XML, bad styles, ...)
        raise ValidationError(_("The file could not be read as an Excel workbook.")) from error
    finally:
        workbook.close()
