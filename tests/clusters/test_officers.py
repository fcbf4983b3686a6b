"""One rule for "officer of unit U in year Y" (clusters.selectors): a term that covers at least one
day of the year. The permissions, the reminders and the leadership email all ask it."""

import datetime

import pytest

from clusters.models import LeadershipRole
from clusters.selectors import (
    is_officer_of,
    leadership_recipients,
    officer_emails,
    officer_terms,
)
from tests.clusters.factories import (
    ClusterYearFactory,
    OfficerTermFactory,
    UnitFactory,
    UserFactory,
    assign,
    make_cluster,
)

pytestmark = pytest.mark.django_db

YEARS = range(2017, 2025)


def test_a_term_makes_an_officer_in_every_year_it_touches():
    unit, other = UnitFactory(), UnitFactory()
    term = OfficerTermFactory(
        unit=unit, start_date=datetime.date(2019, 7, 1), end_date=datetime.date(2021, 1, 31)
    )

    in_sql = [y for y in YEARS if officer_terms(unit_ids=[unit.pk], year=y).exists()]
    in_scope = [y for y in YEARS if is_officer_of(term.user, unit.pk, y)]

    assert in_sql == in_scope == [2019, 2020, 2021]
    assert not any(is_officer_of(term.user, other.pk, y) for y in YEARS)
    assert not is_officer_of(term.user, None, 2020)


def test_an_open_term_runs_on():
    unit = UnitFactory()
    term = OfficerTermFactory(unit=unit, start_date=datetime.date(2020, 12, 31))
    in_sql = [y for y in YEARS if officer_terms(unit_ids=[unit.pk], year=y).exists()]
    in_scope = [y for y in YEARS if is_officer_of(term.user, unit.pk, y)]
    assert in_sql == in_scope == [2020, 2021, 2022, 2023, 2024]


def test_emails_go_to_active_accounts_and_with_a_day_to_those_still_in_office():
    unit = UnitFactory()
    left = UserFactory(username="da_nghi")
    OfficerTermFactory(
        user=left,
        unit=unit,
        start_date=datetime.date(2018, 1, 1),
        end_date=datetime.date(2021, 3, 31),
    )
    OfficerTermFactory(
        user=UserFactory(username="moi", email=" Moi@Example.vn "),
        unit=unit,
        start_date=datetime.date(2021, 4, 1),
    )
    OfficerTermFactory(
        user=UserFactory(username="khoa", is_active=False),
        unit=unit,
        start_date=datetime.date(2021, 4, 1),
    )
    OfficerTermFactory(
        user=UserFactory(username="khong_thu", email=""),
        unit=unit,
        start_date=datetime.date(2021, 4, 1),
    )

    assert officer_emails(unit_ids=[unit.pk], year=2021) == {
        unit.pk: ["da_nghi@example.vn", "moi@example.vn"]
    }
    assert officer_emails(
        unit_ids=[unit.pk], year=2021, in_office_on=datetime.date(2021, 6, 1)
    ) == {unit.pk: ["moi@example.vn"]}
    assert officer_emails(unit_ids=[unit.pk], year=2017) == {}


def test_the_leadership_email_reaches_next_years_officers_and_those_in_office_now():
    """The leadership of 2022 is confirmed at the 2021 year-end conference: the leading units'
    officers for 2022 are told, and so are their 2021 officers still in office that day, even
    if their term ends with 2021; not those who left earlier, nor other units' officers."""
    cluster, units = make_cluster(4)
    leader, deputy, member, _ = units
    cluster_year = ClusterYearFactory(cluster=cluster, year=2022)
    assign(cluster_year, LeadershipRole.LEADER, leader)
    assign(cluster_year, LeadershipRole.STANDING_DEPUTY, deputy)

    def officer(username, unit, start, end=None):
        OfficerTermFactory(
            user=UserFactory(username=username), unit=unit, start_date=start, end_date=end
        )

    officer("left_in_june", leader, datetime.date(2019, 1, 1), datetime.date(2021, 6, 30))
    officer("until_year_end", leader, datetime.date(2020, 1, 1), datetime.date(2021, 12, 31))
    officer("from_january", leader, datetime.date(2022, 1, 1))
    officer("deputy", deputy, datetime.date(2018, 1, 1))
    officer("member", member, datetime.date(2018, 1, 1))

    at_the_conference = leadership_recipients(cluster_year, today=datetime.date(2021, 12, 10))
    assert at_the_conference == [
        "deputy@example.vn",
        "from_january@example.vn",
        "until_year_end@example.vn",
    ]
    # Recorded late, in March 2022: the officer whose term ended with 2021 is no longer told.
    recorded_late = leadership_recipients(cluster_year, today=datetime.date(2022, 3, 1))
    assert recorded_late == ["deputy@example.vn", "from_january@example.vn"]
