"""Journey of issue 12 §2 in Chromium: the secretariat of a year opens its deadlines page from
the year page, adds a deadline of its own (a date outside the year is refused at the field
first), and sets the cluster's reminder days (a number typed twice is refused first). On the
clusters demo data of Cluster No. 4, with a fresh 2022 led by Lâm Đồng (officer `lamdong`)."""

import datetime

import pytest
from playwright.sync_api import expect

from clusters.models import Cluster, ClusterYear, LeadershipAssignment, LeadershipRole
from scorecards.models import YearDeadline

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def y2022(demo):
    year = ClusterYear.objects.create(
        cluster=demo["cluster"],
        year=2022,
        status=ClusterYear.Status.IN_PROGRESS,
        scorecard_deadline=datetime.date(2022, 11, 15),
        report_deadline=datetime.date(2022, 12, 5),
    )
    LeadershipAssignment.objects.create(
        cluster_year=year,
        role=demo["roles"][LeadershipRole.LEADER],
        unit=demo["units"]["Lâm Đồng"],
    )
    return year


def test_secretariat_adds_a_deadline_and_sets_the_reminder_days(
    page, live_server, y2022, login, shot
):
    login(page, live_server, "lamdong")
    page.goto(f"{live_server.url}{y2022.get_absolute_url()}")
    page.get_by_role("link", name="Thời hạn và nhắc việc").click()
    expect(page.get_by_role("heading", name="Thời hạn và nhắc việc năm 2022")).to_be_visible()
    table = page.locator("table")
    expect(table).to_contain_text("Nộp bảng tự chấm điểm")
    expect(table).to_contain_text("Gửi báo cáo năm của đơn vị")
    shot(page, "1-page")

    # A date outside the year: told at the field, nothing saved.
    page.get_by_label("Nội dung đơn vị cần thực hiện").fill("Gửi số liệu sơ kết 6 tháng")
    page.locator("#id_date").fill("20/06/2023")
    page.get_by_label("Ghi chú").fill("Theo mẫu số 2 kèm theo kế hoạch.")
    page.get_by_role("button", name="Thêm thời hạn").click()
    expect(page.locator("#id_date").locator("..").locator(".invalid-feedback")).to_have_text(
        "Thời hạn phải là một ngày trong năm 2022."
    )
    assert YearDeadline.objects.count() == 0
    shot(page, "2-date-refused")

    page.locator("#id_date").fill("20/06/2022")
    page.get_by_role("button", name="Thêm thời hạn").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã thêm thời hạn.")
    row = table.locator("tr", has_text="Gửi số liệu sơ kết 6 tháng")
    expect(row).to_contain_text("20/06/2022")
    expect(row).to_contain_text("13/06, 17/06, 19/06")
    expect(row).to_contain_text("Theo mẫu số 2 kèm theo kế hoạch.")

    # Reminder days: a number typed twice is refused, then 10,5,1 is saved.
    days = page.get_by_label("Nhắc việc các đơn vị trước mỗi thời hạn (số ngày)")
    days.fill("10,5,5")
    page.get_by_role("button", name="Lưu số ngày nhắc việc").click()
    expect(
        page.locator("#id_reminder_days").locator("..").locator(".invalid-feedback")
    ).to_have_text("Có số ngày bị nhập hai lần: 5.")
    shot(page, "3-days-refused")
    days = page.get_by_label("Nhắc việc các đơn vị trước mỗi thời hạn (số ngày)")
    days.fill("1, 10,5")
    page.get_by_role("button", name="Lưu số ngày nhắc việc").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu số ngày nhắc việc.")
    expect(
        page.get_by_text("Hiện nay: 10 ngày trước hạn, 5 ngày trước hạn, 1 ngày trước hạn.")
    ).to_be_visible()
    expect(row).to_contain_text("10/06, 15/06, 19/06")
    assert Cluster.objects.get(pk=y2022.cluster_id).reminder_days == "10,5,1"
    shot(page, "4-saved")
