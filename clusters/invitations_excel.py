"""A list of people to invite, from Excel (.xlsx): full name, unit, email, position.

The secretariat sends the member units a sheet and gets it back filled in; its column headers
are Vietnamese text, as in the file people exchange (English headers are accepted too). The unit
is matched by its name or short name among the year's member units, without case or extra
spaces. Reading writes nothing: each row comes back as it will be invited, or with what is
wrong with it (unknown unit, bad email, address in use or already invited, the same address
twice in the file).
"""

import datetime
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.spreadsheets import inspect_xlsx, read_xlsx_rows
from common.uploads import sniff, validate_document, validate_size

from .models import Unit
from .services_accounts import InvitationRow, email_problem, normalize_email, start_date_problem

COL_NAME = "Họ và tên"
COL_UNIT = "Đơn vị"
COL_EMAIL = "Email"
COL_POSITION = "Chức vụ"
COLUMNS = [COL_NAME, COL_UNIT, COL_EMAIL, COL_POSITION]
REQUIRED_COLUMNS = [COL_NAME, COL_UNIT, COL_EMAIL]

MAX_FILE_MB = 2
MAX_ROWS = 1000  # a cluster's officers are a few dozen
HEADER_SEARCH_ROWS = 10
MAX_CELL_CHARS = 300  # longer cells are cut; a name or a position this long is refused
MAX_NAME_CHARS = 150  # Person.full_name
MAX_POSITION_CHARS = 200  # Person.position


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


_HEADERS = {
    COL_NAME: {"họ và tên", "họ tên", "full name", "name"},
    COL_UNIT: {"đơn vị", "unit"},
    COL_EMAIL: {"email", "e-mail", "thư điện tử"},
    COL_POSITION: {"chức vụ", "position"},
}


def read_upload(uploaded) -> bytes:
    """The bytes of an uploaded .xlsx, after the checks by size and content."""
    validate_document(uploaded)
    validate_size(uploaded, MAX_FILE_MB)
    if sniff(uploaded) != "xlsx":
        raise ValidationError(_("Only an Excel workbook (.xlsx) can be imported here."))
    uploaded.seek(0)
    data = uploaded.read()
    inspect_xlsx(data)
    return data


@dataclass
class PreviewRow:
    row: int
    full_name: str
    unit_text: str
    email: str
    position: str
    unit: Unit | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ParsedInvitations:
    rows: list[PreviewRow]

    @property
    def valid_rows(self) -> list[InvitationRow]:
        return [
            InvitationRow(
                row=r.row, unit=r.unit, full_name=r.full_name, email=r.email, position=r.position
            )
            for r in self.rows
            if r.ok and r.unit is not None
        ]

    @property
    def bad_count(self) -> int:
        return sum(1 for r in self.rows if not r.ok)


def _text(value, data_type: str) -> str:
    if data_type == "f":
        raise ValueError(_("holds a formula: type the value itself"))
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())[:MAX_CELL_CHARS]


def _find_header(rows) -> tuple[int, dict[str, int]]:
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for position, (value, _type) in enumerate(cells):
            if not isinstance(value, str):
                continue
            for column, names in _HEADERS.items():
                if _norm(value) in names:
                    found.setdefault(column, position)
        if all(column in found for column in REQUIRED_COLUMNS):
            return index, found
    raise ValidationError(
        _(
            "No header row found: the first sheet needs the columns %(columns)s in one of its "
            "first %(rows)s rows."
        )
        % {"columns": ", ".join(f"“{c}”" for c in COLUMNS), "rows": HEADER_SEARCH_ROWS}
    )


def parse_invitations(
    data: bytes, *, units: list[Unit], start_date: datetime.date
) -> ParsedInvitations:
    """Read the rows of the list (the bytes of read_upload) against the year's member `units`
    and the start date of the terms. A problem of the whole file raises ValidationError; each
    row carries its own problems. Nothing is written."""
    rows = read_xlsx_rows(data, max_rows=MAX_ROWS + HEADER_SEARCH_ROWS)
    header, columns = _find_header(rows)
    by_name: dict[str, Unit] = {}
    for unit in units:
        by_name.setdefault(_norm(unit.name), unit)
        by_name.setdefault(_norm(unit.short_name), unit)
    seen: dict[str, int] = {}
    parsed: list[PreviewRow] = []
    for number, cells in enumerate(rows[header + 1 :], start=header + 2):
        values: dict[str, str] = {}
        problems: list[str] = []
        for column in COLUMNS:
            position = columns.get(column)
            cell = cells[position] if position is not None and position < len(cells) else None
            try:
                values[column] = _text(*cell) if cell else ""
            except ValueError as error:
                values[column] = ""
                problems.append(
                    _("The column “%(column)s” %(problem)s.") % {"column": column, "problem": error}
                )
        if not any(values.values()) and not problems:
            continue  # an empty row
        row = PreviewRow(
            row=number,
            full_name=values[COL_NAME],
            unit_text=values[COL_UNIT],
            email=normalize_email(values[COL_EMAIL]),
            position=values[COL_POSITION],
            problems=problems,
        )
        if not row.full_name:
            row.problems.append(_("The full name is missing."))
        elif len(row.full_name) > MAX_NAME_CHARS:
            row.problems.append(
                _("The full name is longer than %(limit)s characters.") % {"limit": MAX_NAME_CHARS}
            )
        row.unit = by_name.get(_norm(row.unit_text))
        if row.unit is None:
            row.problems.append(
                _("“%(unit)s” is not a member unit of the cluster this year.")
                % {"unit": row.unit_text}
                if row.unit_text
                else _("The unit is missing.")
            )
        elif problem := start_date_problem(row.unit, start_date):
            row.problems.append(problem)
        if len(row.position) > MAX_POSITION_CHARS:
            row.problems.append(
                _("The position is longer than %(limit)s characters.")
                % {"limit": MAX_POSITION_CHARS}
            )
        if not row.email:
            row.problems.append(_("The email address is missing."))
        elif row.email in seen:
            row.problems.append(_("The same address is on row %(row)s.") % {"row": seen[row.email]})
        else:
            seen[row.email] = number
            if problem := email_problem(row.email):
                row.problems.append(problem)
        parsed.append(row)
    if not parsed:
        raise ValidationError(_("The sheet has no one to invite under its header row."))
    return ParsedInvitations(rows=parsed)
