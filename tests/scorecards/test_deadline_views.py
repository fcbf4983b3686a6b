"""The deadlines page of a year: the secretariat adds, changes and removes its own deadlines and
sets the cluster's reminder days; bad input is told at its field, nothing half-saved; everyone
else is refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusters.demo import load_demo_data
from clusters.models import Cluster
from scorecards.models import YearDeadline
from scorecards.services import deadlines as services
from tests.clusters.factories import build_world
from tests.helpers import login, messages_of, year_kwargs
from tests.scorecards.factories import YearDeadlineFactory

REQUIRED = "Trường này là bắt buộc."


@pytest.fixture
def world(db, settings):
    settings.REMINDER_DAYS_BEFORE = [7, 3, 1]
    world = build_world(5)
    world.year.scorecard_deadline = datetime.date(2021, 11, 15)
    world.year.save()
    return world


def page(world, year=None) -> str:
    return reverse("scorecards:deadlines", kwargs=year_kwargs(year or world.year))


def days_url(world, year=None) -> str:
    return reverse("scorecards:reminder_days", kwargs=year_kwargs(year or world.year))


def test_the_secretariat_sees_every_deadline_and_the_reminder_days(world):
    YearDeadlineFactory(
        cluster_year=world.year,
        title="Gửi số liệu sơ kết 6 tháng",
        date=datetime.date(2021, 6, 20),
        note="Theo mẫu số 2.",
    )
    response = login(world.secretary).get(page(world))
    assert response.status_code == 200
    rows = [(row["day"], str(row["label"]), row["reminded_on"]) for row in response.context["rows"]]
    assert rows == [
        (
            datetime.date(2021, 6, 20),
            "Gửi số liệu sơ kết 6 tháng",
            [datetime.date(2021, 6, 13), datetime.date(2021, 6, 17), datetime.date(2021, 6, 19)],
        ),
        (
            datetime.date(2021, 11, 15),
            "Nộp bảng tự chấm điểm",
            [datetime.date(2021, 11, 8), datetime.date(2021, 11, 12), datetime.date(2021, 11, 14)],
        ),
    ]
    html = response.content.decode()
    assert "Thời hạn và nhắc việc năm 2021" in html
    assert "Theo mẫu số 2." in html
    assert "Hiện nay: 7 ngày trước hạn, 3 ngày trước hạn, 1 ngày trước hạn." in html
    assert "đặt trong thông tin năm" in html


def test_the_year_page_links_to_it_for_the_secretariat_only(world):
    year_page = world.year.get_absolute_url()
    assert page(world) in login(world.secretary).get(year_page).content.decode()
    assert page(world) not in login(world.officer_a).get(year_page).content.decode()


def test_the_secretariat_adds_a_deadline(world):
    response = login(world.secretary).post(
        page(world),
        {"title": "  Nộp ảnh tư liệu ", "date": "10/09/2021", "note": "Ảnh gốc, ghi rõ nguồn."},
    )
    assert response.status_code == 302
    assert response.url == page(world)
    deadline = YearDeadline.objects.get()
    assert (deadline.cluster_year, deadline.title, deadline.date, deadline.note) == (
        world.year,
        "Nộp ảnh tư liệu",
        datetime.date(2021, 9, 10),
        "Ảnh gốc, ghi rõ nguồn.",
    )
    assert deadline.history.get().history_user == world.secretary


def test_the_success_message(world):
    client = login(world.secretary)
    response = client.post(
        page(world), {"title": "Nộp ảnh", "date": "10/09/2021", "note": ""}, follow=True
    )
    assert messages_of(response) == ["Đã thêm thời hạn."]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"title": "Nộp ảnh", "date": "10/01/2022"},
            "date",
            "Thời hạn phải là một ngày trong năm 2021.",
        ),
        (
            {"title": "Nộp ảnh", "date": "31/12/2020"},
            "date",
            "Thời hạn phải là một ngày trong năm 2021.",
        ),
        ({"title": "Nộp ảnh", "date": "31/02/2021"}, "date", "Nhập một ngày hợp lệ."),
        ({"title": "Nộp ảnh", "date": "ngày mai"}, "date", "Nhập một ngày hợp lệ."),
        ({"title": "Nộp ảnh", "date": ""}, "date", REQUIRED),
        ({"title": "   ", "date": "10/09/2021"}, "title", REQUIRED),
        ({"title": "x" * 201, "date": "10/09/2021"}, "title", None),
    ],
)
def test_a_bad_deadline_is_refused_at_its_field(world, data, field, message):
    response = login(world.secretary).post(page(world), {"note": "", **data})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert message is None or message in response.content.decode()
    assert YearDeadline.objects.count() == 0


def test_the_secretariat_changes_and_removes_its_deadline(world):
    deadline = YearDeadlineFactory(cluster_year=world.year, title="Nộp ảnh")
    client = login(world.secretary)
    edit = reverse("scorecards:deadline_edit", kwargs={"deadline": deadline.uuid})
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"title": "Nộp ảnh", "date": "05/01/2022", "note": ""})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "date": ["Thời hạn phải là một ngày trong năm 2021."]
    }
    deadline.refresh_from_db()
    assert deadline.date == datetime.date(2021, 6, 20)
    response = client.post(edit, {"title": "Nộp ảnh gốc", "date": "05/07/2021", "note": "Gấp"})
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert (deadline.title, deadline.date, deadline.note) == (
        "Nộp ảnh gốc",
        datetime.date(2021, 7, 5),
        "Gấp",
    )
    delete = reverse("scorecards:deadline_delete", kwargs={"deadline": deadline.uuid})
    assert client.get(delete).status_code == 405
    response = client.post(delete, follow=True)
    assert messages_of(response) == ["Đã lưu thời hạn.", "Đã xóa thời hạn."]
    assert YearDeadline.objects.count() == 0


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("7, 3,1", "7,3,1"), ("1,14,5", "14,5,1"), ("0", "0"), ("60", "60"), ("", ""), ("  ", "")],
)
def test_the_secretariat_sets_the_reminder_days(world, typed, stored):
    world.cluster.reminder_days = "9"
    world.cluster.save()
    response = login(world.secretary).post(days_url(world), {"reminder_days": typed}, follow=True)
    assert messages_of(response) == ["Đã lưu số ngày nhắc việc."]
    assert Cluster.objects.get(pk=world.cluster.pk).reminder_days == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("7,7,3", "Có số ngày bị nhập hai lần: 7."),
        ("7,3,3,7", "Có số ngày bị nhập hai lần: 3, 7."),
        ("61", "Mỗi số ngày phải từ 0 đến 60."),
        ("7,-1", "Nhập số ngày là số nguyên, cách nhau bằng dấu phẩy, ví dụ 7,3,1."),
        ("7;3", "Nhập số ngày là số nguyên, cách nhau bằng dấu phẩy, ví dụ 7,3,1."),
        ("7,,3", "Nhập số ngày là số nguyên, cách nhau bằng dấu phẩy, ví dụ 7,3,1."),
        ("2.5", "Nhập số ngày là số nguyên, cách nhau bằng dấu phẩy, ví dụ 7,3,1."),
        ("một tuần", "Nhập số ngày là số nguyên, cách nhau bằng dấu phẩy, ví dụ 7,3,1."),
        ("٣", "Nhập số ngày là số nguyên, cách nhau bằng dấu phẩy, ví dụ 7,3,1."),
    ],
)
def test_bad_reminder_days_are_refused_at_the_field(world, typed, message):
    world.cluster.reminder_days = "9"
    world.cluster.save()
    response = login(world.secretary).post(days_url(world), {"reminder_days": typed})
    assert response.status_code == 400
    assert response.context["days_form"].errors == {"reminder_days": [message]}
    assert message in response.content.decode()
    assert Cluster.objects.get(pk=world.cluster.pk).reminder_days == "9"


def test_too_long_reminder_days_are_refused_by_the_form(world):
    response = login(world.secretary).post(days_url(world), {"reminder_days": "1," * 60})
    assert response.status_code == 400
    assert list(response.context["days_form"].errors) == ["reminder_days"]


# Refusals ---------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page(world):
    deadline = YearDeadlineFactory(cluster_year=world.year)
    client = login(None)
    for url, method in [
        (page(world), "get"),
        (page(world), "post"),
        (days_url(world), "post"),
        (reverse("scorecards:deadline_edit", kwargs={"deadline": deadline.uuid}), "get"),
        (reverse("scorecards:deadline_delete", kwargs={"deadline": deadline.uuid}), "post"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_the_wrong_people_are_refused(world):
    """Another unit's officer, another cluster's secretariat, last year's secretariat: 403 on
    every page and action, and nothing changes."""
    deadline = YearDeadlineFactory(cluster_year=world.year, title="Nộp ảnh")
    edit = reverse("scorecards:deadline_edit", kwargs={"deadline": deadline.uuid})
    delete = reverse("scorecards:deadline_delete", kwargs={"deadline": deadline.uuid})
    new = {"title": "Khác", "date": "01/08/2021", "note": ""}
    for user in (world.officer_a, world.outsider, world.last_secretary):
        client = login(user)
        assert client.get(page(world)).status_code == 403, user
        assert client.post(page(world), new).status_code == 403, user
        assert client.post(days_url(world), {"reminder_days": "2"}).status_code == 403, user
        assert client.get(edit).status_code == 403, user
        assert client.post(edit, new).status_code == 403, user
        assert client.post(delete).status_code == 403, user
    assert list(YearDeadline.objects.values_list("title", flat=True)) == ["Nộp ảnh"]
    assert Cluster.objects.get(pk=world.cluster.pk).reminder_days == ""


def test_a_closed_year_sends_its_secretariat_back_to_the_year_page(world):
    """2020 is closed: its own secretariat (units[0]'s officer then) may change nothing."""
    closed = world.last_year
    deadline = YearDeadlineFactory(cluster_year=closed, date=datetime.date(2020, 6, 1))
    client = login(world.last_secretary)
    edit = reverse("scorecards:deadline_edit", kwargs={"deadline": deadline.uuid})
    delete = reverse("scorecards:deadline_delete", kwargs={"deadline": deadline.uuid})
    for response in (
        client.get(page(world, closed)),
        client.post(page(world, closed), {"title": "x", "date": "01/08/2020"}),
        client.post(days_url(world, closed), {"reminder_days": "2"}),
        client.get(edit),
        client.post(delete),
    ):
        assert response.status_code == 302
        assert response.url == closed.get_absolute_url()
    response = client.get(page(world, closed), follow=True)
    assert "Năm 2020 đã khóa sổ, không thể thay đổi được nữa." in messages_of(response)
    assert YearDeadline.objects.get() == deadline
    assert Cluster.objects.get(pk=world.cluster.pk).reminder_days == ""


def test_another_cluster_s_deadline_is_not_this_secretariat_s(world):
    theirs = YearDeadlineFactory(cluster_year=world.other_year, title="Của cụm khác")
    client = login(world.secretary)
    edit = reverse("scorecards:deadline_edit", kwargs={"deadline": theirs.uuid})
    assert client.post(edit, {"title": "x", "date": "01/08/2021"}).status_code == 403
    delete = reverse("scorecards:deadline_delete", kwargs={"deadline": theirs.uuid})
    assert client.post(delete).status_code == 403
    assert YearDeadline.objects.get().title == "Của cụm khác"


# Query count ------------------------------------------------------------------------------------


def count_queries(world, n_deadlines: int) -> int:
    for i in range(n_deadlines):
        YearDeadlineFactory(
            cluster_year=world.year, title=f"Việc {i}", date=datetime.date(2021, 3, 1 + i)
        )
    client = login(world.secretary)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(page(world)).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_page_makes_as_many_queries_for_many_deadlines_as_for_few(settings):
    settings.REMINDER_DAYS_BEFORE = [7, 3, 1]
    small = count_queries(build_world(5), 2)
    large = count_queries(build_world(12, prefix="lon_"), 20)
    assert small == large == 15


@pytest.mark.django_db
def test_permission_matrix_on_the_demo_data(client):
    """As tests/clusters/test_permissions.py: brvt is the 2021 secretariat, tayninh last
    year's (2020 is closed) and 2021's standing deputy, lamdong a plain unit officer, giamsat
    the supervisor, cum5 another cluster's secretariat, kiemphieu and daibieu of the 2020
    conference."""
    demo = load_demo_data()
    c4 = demo["cluster"].uuid
    y2021 = reverse("scorecards:deadlines", kwargs={"cluster": c4, "year": 2021})
    y2020 = reverse("scorecards:deadlines", kwargs={"cluster": c4, "year": 2020})
    closed_page = reverse("clusters:year_detail", kwargs={"cluster": c4, "year": 2020})
    expected = {
        "admin": (200, 200),
        "brvt": (200, closed_page),
        "tayninh": (403, closed_page),
        "lamdong": (403, closed_page),
        "giamsat": (403, closed_page),
        "cum5": (403, 403),
        "kiemphieu": (403, 403),
        "daibieu": (403, 403),
    }
    got = {}
    for username in expected:
        client.force_login(demo["users"][username])
        outcomes = []
        for url in (y2021, y2020):
            response = client.get(url)
            outcomes.append(response.url if response.status_code == 302 else response.status_code)
        got[username] = tuple(outcomes)
    assert got == expected


# The services' own refusals (the pages never reach them) -----------------------------------


def test_the_services_refuse_another_year_s_deadline_and_a_closed_year(world):
    theirs = YearDeadlineFactory(cluster_year=world.other_year)
    with pytest.raises(ValidationError) as refused:
        services.save_deadline(
            cluster_year=world.year,
            deadline=theirs,
            title="x",
            date=datetime.date(2021, 5, 1),
            note="",
            user=world.secretary,
        )
    assert refused.value.messages == ["Thời hạn này thuộc năm khác."]
    old = YearDeadlineFactory(cluster_year=world.last_year, date=datetime.date(2020, 5, 1))
    with pytest.raises(ValidationError) as refused:
        services.delete_deadline(deadline=old, user=world.last_secretary)
    assert refused.value.messages == ["Năm thi đua đã khóa sổ."]
    with pytest.raises(ValidationError) as refused:
        services.save_deadline(
            cluster_year=world.last_year,
            title="x",
            date=datetime.date(2020, 5, 1),
            note="",
            user=world.last_secretary,
        )
    assert refused.value.messages == ["Năm thi đua đã khóa sổ."]
    assert YearDeadline.objects.count() == 2
