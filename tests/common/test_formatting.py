"""Numbers and dates the Vietnamese way: the interface's (which follow the active language) and
the official papers' (Vietnamese whatever the language)."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from common.documents import place_date
from common.formatting import (
    long_date,
    plain,
    points,
    short_date,
    time_and_date,
    vn_amount,
    vn_number,
    vn_percent,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("7.50"), Decimal("7.5")),
        (Decimal("20.00"), Decimal("20")),
        (Decimal("0.00"), Decimal("0")),
        (Decimal("100"), Decimal("100")),
        (None, None),
    ],
)
def test_plain_drops_trailing_zeros_without_an_exponent(value, expected):
    result = plain(value)
    assert result == expected
    assert str(result) == str(expected)  # 20, never 2E+1


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (Decimal("7.50"), "7,5", "7.5"),
        (Decimal("60.00"), "60", "60"),
        (Decimal("6E+1"), "60", "60"),
        (Decimal("0.25"), "0,25", "0.25"),
        (Decimal("1234.50"), "1234,5", "1234.5"),
        (Decimal("-0.50"), "-0,5", "-0.5"),
        (Decimal("0"), "0", "0"),
    ],
)
def test_points_in_the_interface_language(value, vi, en):
    with translation.override("vi"):
        assert points(value) == vi
    with translation.override("en"):
        assert points(value) == en


def test_points_of_no_value():
    assert points(None) == ""
    assert points(None, empty="–") == "–"


def test_the_points_filter():
    template = Template("{% load formatting %}{{ a|points }} {{ b|points }} [{{ c|points }}]")
    context = Context({"a": Decimal("92.50"), "b": Decimal("10.00"), "c": None})
    with translation.override("vi"):
        assert template.render(context) == "92,5 10 []"
    with translation.override("en"):
        assert template.render(context) == "92.5 10 []"
    assert Template("{% load formatting %}[{{ missing|points }}]").render(Context()) == "[]"


def test_dates():
    assert short_date(datetime.date(2020, 12, 4)) == "04/12/2020"
    moment = datetime.datetime(2020, 12, 4, 2, 30, tzinfo=datetime.UTC)
    assert time_and_date(moment) == "09:30 04/12/2020"  # TIME_ZONE is Asia/Ho_Chi_Minh
    moment = datetime.datetime(2020, 12, 4, 23, 5, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    assert time_and_date(moment) == "23:05 04/12/2020"


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("81.81818"), 2, "81,82"),
        (Decimal("92.50"), 2, "92,5"),
        (Decimal("99.00"), 2, "99"),
        (Decimal("0.005"), 2, "0,01"),  # half up, not to the even digit
        (Decimal("0.004"), 2, "0"),
        (Decimal("-1.50"), 2, "-1,5"),
        (Decimal("97.25"), 1, "97,3"),
        (Decimal("97.0"), 1, "97"),
        (Decimal("66.666"), 0, "67"),
        (Decimal("1234.5"), 2, "1234,5"),
    ],
)
def test_numbers_on_papers(value, places, expected):
    with translation.override("en"):  # papers are Vietnamese whatever the interface language
        assert vn_number(value, places) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("81.81818"), "81,82%"),
        (Decimal("100"), "100,00%"),
        (Decimal("50.5"), "50,50%"),
        (Decimal("0.005"), "0,01%"),
    ],
)
def test_shares_on_papers_keep_two_decimals(value, expected):
    assert vn_percent(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1250"), "1.250"),
        (Decimal("12.50"), "12,5"),
        (Decimal("1234.56"), "1.234,56"),
        (Decimal("1234567"), "1.234.567"),
        (Decimal("-1250.5"), "-1.250,5"),
        (Decimal("0"), "0"),
        (Decimal("0.5"), "0,5"),
        (Decimal("999"), "999"),
    ],
)
def test_figures_on_papers_are_grouped(value, expected):
    assert vn_amount(value) == expected


def test_the_date_in_words_and_the_dateline():
    day = datetime.date(2020, 12, 4)
    assert long_date(day) == "ngày 04 tháng 12 năm 2020"
    assert long_date(None, year=2021) == "ngày      tháng      năm 2021"
    assert place_date("Tây Ninh", day) == "Tây Ninh, ngày 04 tháng 12 năm 2020"
    assert place_date("Tây Ninh", None, year=2021) == "Tây Ninh, ngày      tháng      năm 2021"
    assert place_date("", None, year=2021) == "Ngày      tháng      năm 2021"
    assert place_date("", day) == "Ngày 04 tháng 12 năm 2020"
