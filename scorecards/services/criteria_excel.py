"""The criteria as an Excel workbook (.xlsx): export, and a defensive import with a preview.

The file's layout is a document people exchange between provinces, so its column headers and
kind names are fixed Vietnamese text (not translated with the UI language): a file exported in
the English UI imports in the Vietnamese one and back.

Uploads are hostile until proven otherwise. Before openpyxl sees a byte, the upload is checked by
content and size (common.uploads), the zip is inspected (entry count, unpacked size and
compression ratio against zip bombs; macros and links to other workbooks refused), and openpyxl
then reads in streaming mode with defusedxml, a row limit, a column limit and a cell length limit.
"""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, PatternFill

from common import formatting
from common.spreadsheets import BOLD, TOP_WRAP
from common.uploads import sniff, validate_document, validate_size

from ..models import CriteriaSet, Criterion
from ..totals import children_map, group_maximum
from .criteria import NewCriterion, group_maximum_problem

# Columns, in the order of the exported file.
COL_NUMBER = "Số TT"
COL_PARENT = "Cấp cha"
COL_TEXT = "Nội dung tiêu chí"
COL_GUIDANCE = "Hướng dẫn"
COL_KIND = "Loại"
COL_MAX = "Điểm tối đa"
COL_EVIDENCE = "Bắt buộc minh chứng"
COLUMNS = [COL_NUMBER, COL_PARENT, COL_TEXT, COL_GUIDANCE, COL_KIND, COL_MAX, COL_EVIDENCE]
REQUIRED_COLUMNS = [COL_NUMBER, COL_PARENT, COL_TEXT, COL_KIND, COL_MAX]

KIND_LABELS = {
    Criterion.GROUP: "Nhóm tiêu chí",
    Criterion.POINTS: "Chấm điểm trong khung",
    Criterion.YES_NO: "Có/Không",
    Criterion.BONUS: "Điểm thưởng",
    Criterion.DEDUCTION: "Điểm trừ",
}
YES, NO = "Có", "Không"

# Limits of an import. A real criteria table is a few hundred rows and a few dozen kilobytes.
MAX_FILE_MB = 2
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_ZIP_ENTRIES = 300
MAX_COMPRESSION_RATIO = 150  # a sheet of repeated text compresses ~10-30x; bombs ~1000x
MAX_ROWS = 2000  # rows with content
MAX_SCANNED_ROWS = 20 * MAX_ROWS  # rows looked at, empty ones included
MAX_COLUMNS = 20
MAX_CELL_CHARS = 4000
MAX_NUMBER_CHARS = 20  # Criterion.number
MAX_POINTS = Decimal("99999.99")  # Criterion.max_points: 7 digits, 2 decimals
HEADER_SEARCH_ROWS = 10


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


_KIND_NAMES = {_norm(label): kind for kind, label in KIND_LABELS.items()}
_KIND_NAMES.update({_norm(kind): kind for kind in KIND_LABELS})  # group, points, yes_no, ...
_KIND_NAMES.update(
    {
        _norm("Nhóm"): Criterion.GROUP,
        _norm("Chấm điểm"): Criterion.POINTS,
        _norm("Có / Không"): Criterion.YES_NO,
        _norm("yes/no"): Criterion.YES_NO,
        _norm("bonus"): Criterion.BONUS,
        _norm("deduction"): Criterion.DEDUCTION,
    }
)
_YES_WORDS = {_norm(w) for w in (YES, "x", "yes", "true", "1", "bắt buộc")}
_NO_WORDS = {_norm(w) for w in (NO, "", "no", "false", "0")}


# --- Export ----------------------------------------------------------------------------------


def path_labels(criteria: list[Criterion]) -> dict[int, str]:
    """Each criterion's number path from the top, e.g. "I.1.a"."""
    by_id: dict[int | None, Criterion] = {c.pk: c for c in criteria}
    labels: dict[int, str] = {}

    def label(node: Criterion) -> str:
        if node.pk not in labels:
            parent = by_id.get(node.parent_id)
            labels[node.pk] = f"{label(parent)}.{node.number}" if parent else node.number
        return labels[node.pk]

    for node in criteria:
        label(node)
    return labels


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def export_workbook(*, criteria_set: CriteriaSet) -> bytes:
    """The criteria as an .xlsx file, one row per group or criterion in tree order."""
    criteria = list(criteria_set.criteria.all())
    tree = children_map(criteria)
    labels = path_labels(criteria)
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Bảng tiêu chí"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = BOLD
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ordered: list[Criterion] = []

    def walk(parent_id):
        for node in tree.get(parent_id, []):
            ordered.append(node)
            walk(node.pk)

    walk(None)
    for node in ordered:
        parent = labels[node.parent_id] if node.parent_id else ""
        row = [
            node.number,
            parent,
            _clean(node.text),
            _clean(node.guidance),
            KIND_LABELS[node.kind],
            node.max_points,
            YES if node.evidence_required else NO,
        ]
        sheet.append(row)
        cells = sheet[sheet.max_row]
        # Text that starts with "=" must stay text: openpyxl would otherwise write a formula.
        for index in (0, 1, 2, 3):
            cells[index].data_type = "s"
            cells[index].alignment = TOP_WRAP
        cells[5].number_format = "0.##" if node.max_points % 1 else "0"
        if node.is_group:
            for cell in cells:
                cell.font = BOLD
    for letter, width in zip("ABCDEFG", (8, 10, 60, 40, 22, 12, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# --- Import ----------------------------------------------------------------------------------


@dataclass
class PreviewRow:
    """A row of the file as it will be created (or as read, when it is bad)."""

    row: int
    depth: int
    number: str
    path: str
    text: str
    guidance: str
    kind: str | None
    kind_label: str
    max_points: Decimal | None
    max_raw: str
    evidence_required: bool | None
    bad: bool = False
    parent_path: str = ""
    key: tuple[str, ...] | None = None
    referenced: bool = False  # some row names it as its parent
    children: list["PreviewRow"] = field(default_factory=list)

    @property
    def is_group(self) -> bool:
        return self.kind == Criterion.GROUP


@dataclass
class BadRow:
    row: int
    message: str


@dataclass
class ParsedWorkbook:
    rows: list[PreviewRow]
    bad_rows: list[BadRow]

    @property
    def ok(self) -> bool:
        return not self.bad_rows and bool(self.rows)

    def new_criteria(self) -> list[NewCriterion]:
        return [
            NewCriterion(
                path=row.key,
                text=row.text,
                guidance=row.guidance,
                kind=row.kind,
                max_points=row.max_points,
                evidence_required=bool(row.evidence_required),
            )
            for row in self.rows
        ]


def read_upload(uploaded) -> bytes:
    """The bytes of an uploaded .xlsx, after the checks by size and content; ValidationError
    with a message for the user otherwise."""
    validate_document(uploaded)
    validate_size(uploaded, MAX_FILE_MB)
    if sniff(uploaded) != "xlsx":
        raise ValidationError(_("Only an Excel workbook (.xlsx) can be imported here."))
    uploaded.seek(0)
    return uploaded.read()


def _inspect_zip(data: bytes) -> None:
    """Refuse zip bombs, macros and links to other workbooks before openpyxl reads anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise ValidationError(_("This file is not an Excel workbook (.xlsx).")) from error
    too_big = ValidationError(
        _("The file unpacks to far more data than a criteria table holds; it was refused.")
    )
    if len(entries) > MAX_ZIP_ENTRIES:
        raise too_big
    unpacked = 0
    for entry in entries:
        unpacked += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if ratio > MAX_COMPRESSION_RATIO and entry.file_size > 1024 * 1024:
            raise too_big
    if unpacked > MAX_UNPACKED_BYTES:
        raise too_big
    names = {entry.filename.lower() for entry in entries}
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        raise ValidationError(_("This file is not an Excel workbook (.xlsx)."))
    try:
        content_types = archive.read("[Content_Types].xml")
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise ValidationError(_("This file is not an Excel workbook (.xlsx).")) from error
    if any(n.endswith("vbaproject.bin") for n in names) or b"macroEnabled" in content_types:
        raise ValidationError(
            _(
                "Workbooks with macros are not accepted: save the file as a plain Excel "
                "workbook (.xlsx) and upload it again."
            )
        )
    if any(n.startswith("xl/externallinks/") for n in names):
        raise ValidationError(
            _(
                "The workbook is linked to other files: break the links (Data > Edit Links), "
                "save it and upload it again."
            )
        )


class _BadCell(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _cell_text(cell, column: str, limit: int = MAX_CELL_CHARS) -> str:
    """A cell as text. Numbers become their usual writing (1, 1.1); formulas, dates and errors
    are bad values."""
    value = cell.value
    if cell.data_type == "f" or not isinstance(
        value, str | int | float | Decimal | bool | type(None) | datetime | date | time | timedelta
    ):
        raise _BadCell(
            _("The column “%(column)s” holds a formula: type the value itself.")
            % {"column": column}
        )
    if cell.data_type == "e":
        raise _BadCell(
            _("The column “%(column)s” holds an Excel error (%(value)s).")
            % {"column": column, "value": value}
        )
    if isinstance(value, datetime | date | time | timedelta):
        raise _BadCell(
            _("The column “%(column)s” holds a date: format the cell as text and type it again.")
            % {"column": column}
        )
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() else repr(value)
    else:
        text = str(value)
    text = text.strip()
    if len(text) > limit:
        raise _BadCell(
            _("The column “%(column)s” is longer than %(limit)s characters.")
            % {"column": column, "limit": limit}
        )
    return text


_NUMBER_RE = re.compile(r"^-?\d+([.,]\d+)?$")


def _points(cell) -> tuple[Decimal | None, str]:
    value = cell.value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        raw = number_format(value) if isinstance(value, float) else str(value)
        try:
            points = Decimal(str(value))
        except InvalidOperation as error:
            raise _BadCell(
                _("The maximum points “%(value)s” is not a number.") % {"value": raw}
            ) from error
    else:
        raw = _cell_text(cell, COL_MAX, limit=50)
        if raw == "":
            return None, ""
        if not _NUMBER_RE.match(raw.replace(" ", "")):
            raise _BadCell(_("The maximum points “%(value)s” is not a number.") % {"value": raw})
        points = Decimal(raw.replace(" ", "").replace(",", "."))
    if not points.is_finite():
        raise _BadCell(_("The maximum points “%(value)s” is not a number.") % {"value": raw})
    if points < 0:
        raise _BadCell(_("The maximum points cannot be negative."))
    if points != points.quantize(Decimal("0.01")):
        raise _BadCell(_("The maximum points can have at most two decimals."))
    if points > MAX_POINTS:
        raise _BadCell(
            _("The maximum points cannot be above %(max)s.")
            % {"max": formatting.points(MAX_POINTS)}
        )
    return points.quantize(Decimal("0.01")), raw


def _find_header(sheet_rows: list[tuple]) -> tuple[int, dict[str, int]] | None:
    for index, cells in enumerate(sheet_rows):
        columns: dict[str, int] = {}
        for position, cell in enumerate(cells):
            if isinstance(cell.value, str):
                columns.setdefault(_norm(cell.value), position)
        found = {name: columns[_norm(name)] for name in COLUMNS if _norm(name) in columns}
        if _norm(COL_NUMBER) in columns and _norm(COL_TEXT) in columns:
            return index, found
    return None


def parse_workbook(data: bytes) -> ParsedWorkbook:
    """Read the criteria rows of an .xlsx file (the bytes of read_upload).

    A problem with the whole file raises ValidationError; problems of single rows are listed
    in `bad_rows` with their row number in the sheet. Nothing is written anywhere.
    """
    _inspect_zip(data)
    try:
        # read_only: streams the sheet instead of building it in memory. Formulas are read as
        # formulas (data_only=False) so that they can be refused: with data_only=True openpyxl
        # would silently hand over whatever result Excel cached last time, or nothing. Nothing is
        # ever evaluated. keep_links=False: links to other workbooks are never followed.
        workbook = load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    except Exception as error:  # hostile input: any parser failure is "not a workbook"
        raise ValidationError(_("The file could not be read as an Excel workbook.")) from error
    try:
        return _parse_rows(workbook)
    except ValidationError:
        raise
    except Exception as error:  # a malformed sheet part (broken XML, bad styles, ...)
        raise ValidationError(_("The file could not be read as an Excel workbook.")) from error
    finally:
        workbook.close()


def _parse_rows(workbook) -> ParsedWorkbook:
    sheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
    if not sheets:
        raise ValidationError(_("The workbook has no sheet."))
    rows_iter = sheets[0].iter_rows(max_col=MAX_COLUMNS)
    head: list[tuple] = []
    header = None
    for cells in rows_iter:
        head.append(cells)
        header = _find_header(head[-1:])
        if header is not None or len(head) >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        raise ValidationError(
            _(
                "No header row found: the first sheet needs the columns %(columns)s in one of "
                "its first %(rows)s rows."
            )
            % {"columns": ", ".join(f"“{c}”" for c in COLUMNS), "rows": HEADER_SEARCH_ROWS}
        )
    columns = header[1]
    header_row = len(head)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ValidationError(
            _("The sheet has no column %(columns)s.")
            % {"columns": ", ".join(f"“{c}”" for c in missing)}
        )
    raw_rows: list[tuple[int, tuple]] = []
    scanned = header_row
    for cells in rows_iter:
        scanned += 1
        if scanned > MAX_SCANNED_ROWS + header_row:
            raise _too_many_rows()
        if all(cell.value is None or cell.value == "" for cell in cells):
            continue
        raw_rows.append((scanned, cells))
        if len(raw_rows) > MAX_ROWS:
            raise _too_many_rows()
    return _build(raw_rows, columns)


def _too_many_rows() -> ValidationError:
    return ValidationError(
        _("The sheet has more than %(limit)s rows; a criteria table is much shorter.")
        % {"limit": MAX_ROWS}
    )


class _EmptyCell:
    value = None
    data_type = "n"


def _build(raw_rows: list[tuple[int, tuple]], columns: dict[str, int]) -> ParsedWorkbook:
    rows: list[PreviewRow] = []
    bad: list[BadRow] = []
    by_path: dict[str, list[PreviewRow]] = {}
    by_key: dict[tuple[str, ...], PreviewRow] = {}

    for number, cells in raw_rows:

        def cell(column, cells=cells):
            position = columns.get(column)
            if position is None or position >= len(cells):
                return _EmptyCell()
            return cells[position]

        problems: list[str] = []

        def read(reader, *args, problems=problems):
            try:
                return reader(*args)
            except _BadCell as error:
                problems.append(error.message)
                return None

        own = read(_cell_text, cell(COL_NUMBER), COL_NUMBER, MAX_NUMBER_CHARS)
        parent_path = read(_cell_text, cell(COL_PARENT), COL_PARENT, 200)
        if parent_path is not None:
            parent_path = parent_path.rstrip(".").strip()
        text = read(_cell_text, cell(COL_TEXT), COL_TEXT)
        guidance = read(_cell_text, cell(COL_GUIDANCE), COL_GUIDANCE) or ""
        kind_raw = read(_cell_text, cell(COL_KIND), COL_KIND, 100)
        points = read(_points, cell(COL_MAX))
        max_points, max_raw = points if points else (None, "")
        evidence_raw = read(_cell_text, cell(COL_EVIDENCE), COL_EVIDENCE, 100)

        if own == "":
            problems.append(_("The number (“%(column)s”) is empty.") % {"column": COL_NUMBER})
        if text == "":
            problems.append(_("The criterion text is empty."))
        kind = None
        if kind_raw is not None:
            kind = _KIND_NAMES.get(_norm(kind_raw))
            if kind is None:
                problems.append(
                    _("Unknown kind “%(kind)s”: write one of %(kinds)s.")
                    % {
                        "kind": kind_raw,
                        "kinds": ", ".join(f"“{k}”" for k in KIND_LABELS.values()),
                    }
                )
        if points is not None and max_points is None and kind != Criterion.GROUP:
            problems.append(_("The maximum points are empty."))
        evidence = None
        if evidence_raw is not None:
            normalized = _norm(evidence_raw)
            if normalized in _YES_WORDS:
                evidence = True
            elif normalized in _NO_WORDS:
                evidence = False
            else:
                problems.append(
                    _("Write “%(yes)s” or “%(no)s” in the column “%(column)s”, not “%(value)s”.")
                    % {"yes": YES, "no": NO, "column": COL_EVIDENCE, "value": evidence_raw}
                )

        parent = None
        key = None
        if parent_path:
            candidates = by_path.get(parent_path, [])
            if not candidates:
                problems.append(
                    _("The parent “%(path)s” is not found in the rows above.")
                    % {"path": parent_path}
                )
            elif len(candidates) > 1:
                problems.append(
                    _("The parent “%(path)s” could mean rows %(rows)s: number them apart.")
                    % {"path": parent_path, "rows": ", ".join(str(c.row) for c in candidates)}
                )
            else:
                parent = candidates[0]
                parent.referenced = True
                if parent.kind not in (Criterion.GROUP, None):
                    problems.append(
                        _("The parent “%(path)s” (row %(row)s) is not a group.")
                        % {"path": parent_path, "row": parent.row}
                    )
        if own and parent_path is not None and (not parent_path or parent is not None):
            key = (parent.key if parent else ()) + (own,)
            if key in by_key:
                problems.append(
                    _("The number %(number)s is already used under the same parent (row %(row)s).")
                    % {"number": own, "row": by_key[key].row}
                )
                key = None

        path = f"{parent_path}.{own}" if parent_path and own else (own or "")
        row = PreviewRow(
            row=number,
            depth=(len(parent.key) if parent is not None and parent.key else 0),
            number=own or "",
            path=path,
            text=text or "",
            guidance=guidance,
            kind=kind,
            kind_label=KIND_LABELS.get(kind, kind_raw or ""),
            max_points=max_points,
            max_raw=max_raw,
            evidence_required=evidence,
            bad=bool(problems),
            parent_path=parent_path or "",
            key=key,
        )
        if key is not None:
            by_key[key] = row
            by_path.setdefault(path, []).append(row)
            if parent is not None:
                parent.children.append(row)
        rows.append(row)
        bad.extend(BadRow(row=number, message=message) for message in problems)

    # Groups: the children's maxima must add up to the group's; an empty maximum takes the sum.
    for row in reversed(rows):  # children before their group
        if not row.is_group or row.key is None:
            continue
        if not row.children:
            if not row.referenced:  # else the rows under it are bad themselves, and listed
                bad.append(
                    BadRow(row.row, _("Group %(number)s has no criteria.") % {"number": row.path})
                )
                row.bad = True
            continue
        maxima = [child.max_points for child in row.children if child.max_points is not None]
        if len(maxima) < len(row.children):
            continue
        if row.max_points is None:
            row.max_points = group_maximum(maxima)
        elif problem := group_maximum_problem(row.path, row.max_points, maxima):
            bad.append(BadRow(row.row, problem))
            row.bad = True
    for row in rows:
        if row.is_group and row.max_points is None and not row.bad:
            bad.append(BadRow(row.row, _("The maximum points are empty.")))
            row.bad = True
    if not rows:
        raise ValidationError(_("The sheet has no criteria under its header row."))
    bad.sort(key=lambda b: b.row)
    return ParsedWorkbook(rows=rows, bad_rows=bad)
