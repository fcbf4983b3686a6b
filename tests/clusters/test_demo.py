"""The demo data: Cluster No. 4 as published, loaded idempotently."""

import datetime
import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from clusters import rules as cluster_rules
from clusters.demo import DEMO_PASSWORD, load_demo_data
from clusters.models import Conference, LeadershipAssignment, Unit
from clusters.selectors import members_in_year

MEMBERS_2020 = [
    "Bà Rịa - Vũng Tàu",
    "Bình Dương",
    "Bình Phước",
    "Bình Thuận",
    "Đồng Nai",
    "Lâm Đồng",
    "Long An",
    "Ninh Thuận",
    "Tây Ninh",
    "Tiền Giang",
    "TP. Hồ Chí Minh",
]
MEMBERS_2026 = ["Đồng Nai", "Đồng Tháp", "Khánh Hòa", "Lâm Đồng", "Tây Ninh", "TP. Hồ Chí Minh"]


@pytest.fixture
def demo(settings):
    # The loader checks and sets passwords; the default hasher would make this test slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return load_demo_data()


def _row_counts() -> dict[str, int]:
    """Rows of every model, history tables included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_the_eleven_published_members_in_2020(demo):
    units = members_in_year(cluster=demo["cluster"], year=2020)
    assert [unit.short_name for unit in units] == MEMBERS_2020
    assert {unit.valid_until for unit in units} == {datetime.date(2025, 6, 30)}
    by_short_name = {unit.short_name: unit.name for unit in units}
    assert by_short_name["Tây Ninh"] == "Ban Tổ chức Tỉnh ủy Tây Ninh"
    assert by_short_name["TP. Hồ Chí Minh"] == "Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh"


@pytest.mark.django_db
def test_the_six_successors_in_2026(demo):
    units = members_in_year(cluster=demo["cluster"], year=2026)
    assert [unit.short_name for unit in units] == MEMBERS_2026
    assert {unit.valid_from for unit in units} == {datetime.date(2025, 7, 1)}
    assert {unit.valid_until for unit in units} == {None}


@pytest.mark.django_db
def test_successions_follow_the_2025_reorganisation(demo):
    successor_of = {
        unit.short_name: unit.successor.short_name
        for unit in Unit.objects.filter(valid_until=datetime.date(2025, 6, 30))
    }
    assert successor_of == {
        "TP. Hồ Chí Minh": "TP. Hồ Chí Minh",
        "Bình Dương": "TP. Hồ Chí Minh",
        "Bà Rịa - Vũng Tàu": "TP. Hồ Chí Minh",
        "Long An": "Tây Ninh",
        "Tây Ninh": "Tây Ninh",
        "Đồng Nai": "Đồng Nai",
        "Bình Phước": "Đồng Nai",
        "Lâm Đồng": "Lâm Đồng",
        "Bình Thuận": "Lâm Đồng",
        "Tiền Giang": "Đồng Tháp",
        "Ninh Thuận": "Khánh Hòa",
    }
    assert set(
        Unit.objects.filter(valid_until=datetime.date(2025, 6, 30)).values_list(
            "succession_kind", flat=True
        )
    ) == {Unit.MERGED}


@pytest.mark.django_db
def test_2021_leadership_as_published(demo):
    assignments = LeadershipAssignment.objects.filter(cluster_year=demo["years"][2021]).order_by(
        "role__rank"
    )
    assert [(a.role.name, a.role.kind, a.unit.short_name) for a in assignments] == [
        ("Cụm trưởng", "leader", "Bà Rịa - Vũng Tàu"),
        ("Cụm phó Thường trực", "standing_deputy", "Tây Ninh"),
        ("Cụm phó", "deputy", "Bình Thuận"),
    ]
    conference = demo["conferences"]["2020_year_end"]
    assert {a.decided_at_id for a in assignments} == {conference.pk}
    assert {a.note for a in assignments} == {"Theo thông tin đã công bố"}
    assert {a.unit.valid_until for a in assignments} == {datetime.date(2025, 6, 30)}


@pytest.mark.django_db
def test_invented_leadership_is_marked(demo):
    notes = list(
        LeadershipAssignment.objects.filter(
            cluster_year__cluster=demo["cluster"], cluster_year__year__lte=2020
        )
        .order_by("cluster_year__year", "role__rank")
        .values_list("cluster_year__year", "unit__short_name", "note")
    )
    invented = "Giả định cho dữ liệu mẫu"
    assert [(year, unit) for year, unit, _ in notes] == [
        (2018, "Long An"),
        (2018, "Đồng Nai"),
        (2018, "Tây Ninh"),
        (2019, "Đồng Nai"),
        (2019, "Tây Ninh"),
        (2019, "Bà Rịa - Vũng Tàu"),
        (2020, "Tây Ninh"),
        (2020, "Bà Rịa - Vũng Tàu"),
        (2020, "Lâm Đồng"),
    ]
    assert [note for year, _, note in notes if year < 2020] == [invented] * 6
    assert notes[6][2].startswith("Suy ra từ thông tin đã công bố")
    assert [note for _, _, note in notes[7:]] == [invented] * 2


@pytest.mark.django_db
def test_2020_year_end_conference(demo):
    conference = demo["conferences"]["2020_year_end"]
    assert conference.kind == Conference.YEAR_END
    assert conference.date == datetime.date(2020, 12, 4)
    assert conference.place == "Tây Ninh"
    assert conference.host_unit == demo["units"]["Tây Ninh"]
    assert sorted(u.short_name for u in conference.attending_units.all()) == sorted(MEMBERS_2020)
    assert conference.delegates.count() == 11
    assert sorted(p.unit.short_name for p in conference.delegates.all()) == sorted(MEMBERS_2020)
    assert {p.full_name for p in conference.counting_committee.all()} == {
        "Đỗ Thị Thanh Hương",
        "Lê Thị Thu Hà",
        "Tạ Quang Vinh",
    }
    assert "Lâm Đồng" in conference.summary and "14 cá nhân" in conference.summary


@pytest.mark.django_db
def test_loading_twice_changes_nothing(demo):
    before = _row_counts()
    again = load_demo_data()
    assert again["stats"] == {"created": 0, "updated": 0, "changed": []}
    assert _row_counts() == before
    assert before["clusters.Unit"] == 20  # 11 former members, 6 successors, 3 invented
    assert before["clusters.Membership"] == 20
    assert before["clusters.Person"] == 23
    assert before[get_user_model()._meta.label] == 10
    assert again["cluster"].pk == demo["cluster"].pk


@pytest.mark.django_db
def test_demo_accounts_hold_their_roles(demo):
    User = get_user_model()
    users = {user.username: user for user in User.objects.all()}
    assert sorted(users) == [
        "admin",
        "brvt",
        "cum5",
        "daibieu",
        "giamsat",
        "kiemphieu",
        "kiemphieu2",
        "kiemphieu3",
        "lamdong",
        "tayninh",
    ]
    assert all(user.check_password(DEMO_PASSWORD) for user in users.values())
    assert [u for u, user in users.items() if user.is_superuser] == ["admin"]
    years = demo["years"]
    conference = demo["conferences"]["2020_year_end"]

    def fresh(username):  # the role scope is cached on the user object
        return User.objects.get(username=username)

    assert cluster_rules.is_secretariat(fresh("brvt"), years[2021])
    assert not cluster_rules.is_secretariat(fresh("brvt"), years[2020])
    assert cluster_rules.is_secretariat(fresh("tayninh"), years[2020])
    assert not cluster_rules.is_secretariat(fresh("tayninh"), years[2021])
    assert cluster_rules.is_member_officer_in_year(fresh("lamdong"), years[2021])
    assert not cluster_rules.is_secretariat(fresh("lamdong"), years[2021])
    assert cluster_rules.is_supervisor(fresh("giamsat"), demo["cluster"])
    assert not cluster_rules.is_supervisor(fresh("giamsat"), demo["cluster_5"])
    assert cluster_rules.is_counting_committee(fresh("kiemphieu"), conference)
    assert cluster_rules.is_delegate(fresh("daibieu"), conference)
    assert not cluster_rules.is_delegate(fresh("kiemphieu"), conference)
    assert not cluster_rules.is_member_officer_in_year(fresh("cum5"), years[2021])
    assert cluster_rules.is_secretariat(fresh("cum5"), demo["cluster_5"].years.get(year=2021))


@pytest.mark.slow  # the whole demo, through the command
@pytest.mark.django_db
def test_command_prints_the_logins_and_refuses_without_debug(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo", stdout=io.StringIO())
    assert not get_user_model().objects.exists()

    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "brvt       / demo12345 — Thư ký Cụm 2021" in out.getvalue()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Không có thay đổi" in out.getvalue()
