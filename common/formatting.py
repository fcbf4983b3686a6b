"""Numbers and dates written the Vietnamese way, once for the whole project.

Two audiences:

- Pages, messages and e-mails follow the interface language (Vietnamese for the users, "7,5";
  the English interface writes "7.5"): `plain`, `points`, `short_date`, `time_and_date`.
- Official papers (the Word and PDF documents and their charts) are Vietnamese whatever the
  interface language: `vn_number`, `vn_percent`, `vn_amount`, `long_date`.

No thousands separator anywhere except `vn_amount` (the project's USE_THOUSAND_SEPARATOR is off).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.formats import get_format


def plain(value: Decimal | None) -> Decimal | None:
    """7.50 -> 7.5 and 20.00 -> 20 (never 2E+1): a number as people write it, for a template or
    a form to localise."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _digits(value: Decimal, separator: str) -> str:
    """The value's digits with no trailing zeros, `separator` for the decimal point."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", separator)


def points(value: Decimal | None, *, empty: str = "") -> str:
    """A score or a maximum in the interface language: 55,5 and 60 in Vietnamese (never 60,00);
    `empty` for no value. Called thousands of times on a big ranking table, so it only swaps the
    decimal separator."""
    if value is None:
        return empty
    return _digits(value, get_format("DECIMAL_SEPARATOR"))


def short_date(day: datetime.date) -> str:
    """04/12/2020: the day-first date of Vietnamese papers, in either interface language."""
    return f"{day:%d/%m/%Y}"


def time_and_date(moment: datetime.datetime) -> str:
    """09:30 04/12/2020, in the current time zone."""
    return f"{timezone.localtime(moment):%H:%M %d/%m/%Y}"


def vn_number(value: Decimal, places: int = 2) -> str:
    """A number on a Vietnamese paper: 81.8181… -> "81,82" (rounded half up to `places`,
    decimal comma, no trailing zeros: 92.50 -> "92,5", 99.00 -> "99")."""
    value = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return _digits(value, ",")


def vn_percent(value: Decimal) -> str:
    """A share on a Vietnamese paper, always with two decimals: 81,82%, 100,00%."""
    value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value}".replace(".", ",") + "%"


def vn_amount(value: Decimal) -> str:
    """A figure on a Vietnamese paper, with grouping: 1250 -> "1.250", 12.5 -> "12,5",
    1234.56 -> "1.234,56"."""
    text = _digits(Decimal(value).quantize(Decimal("0.01")), ".")
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sign + ".".join(groups or ["0"]) + ("," + fraction if fraction else "")


def long_date(day: datetime.date | None, *, year: int | None = None) -> str:
    """The date in words of a Party document: "ngày 04 tháng 12 năm 2020" (day and month below
    10 padded). Without a day, the blank to fill in by hand: "ngày      tháng      năm 2021"."""
    if day is None:
        return f"ngày      tháng      năm {year}"
    return f"ngày {day:%d} tháng {day:%m} năm {day.year}"
