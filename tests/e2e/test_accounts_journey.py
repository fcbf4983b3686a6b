"""The secretariat invites an officer; the officer opens the link from the email, chooses a
password, signs in with the email address and lands on the home page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from clusters.models import Invitation, OfficerTerm
from tests.clusters.factories import build_world

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Sen-vang-2026"


def test_invite_accept_and_sign_in_with_the_email(page, browser, live_server, login, shot):
    world = build_world(5)
    unit = world.units[3]
    mail.outbox.clear()

    login(page, live_server, world.secretary.username, "demo12345")
    page.goto(f"{live_server.url}/units/{unit.uuid}/people/")
    page.locator("main a", has_text="Mời cán bộ đơn vị").click()
    expect(page.locator("main h1")).to_have_text("Mời cán bộ đơn vị")
    page.fill("#id_full_name", "Nguyễn Thị Hồng")
    page.fill("#id_email", world.officer_b.email)  # an address in use: refused at the field
    page.fill("#id_position", "Chánh Văn phòng")
    page.fill("#id_start_date", "01/01/2026")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("#error_1_id_email")).to_contain_text(
        "Địa chỉ này đã được một tài khoản sử dụng."
    )
    shot(page, "1-address-in-use")
    assert Invitation.objects.count() == 0

    page.fill("#id_email", "Hong.Nguyen@Tinh.vn")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text(
        "Đã gửi lời mời tới hong.nguyen@tinh.vn."
    )
    expect(page.locator("#invitations")).to_contain_text("hong.nguyen@tinh.vn")
    shot(page, "2-people-page")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hong.nguyen@tinh.vn"]
    link = re.search(r"http://\S+/invitations/accept/\S+/", message.body).group(0)

    officer = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh").new_page()
    officer.goto(link)
    expect(officer.locator("#invitation")).to_contain_text("Nguyễn Thị Hồng")
    officer.fill("#id_new_password1", "12345678")
    officer.fill("#id_new_password2", "12345678")
    with officer.expect_navigation():
        officer.click("main form button[type=submit]")
    expect(officer.locator("#error_1_id_new_password1")).to_be_visible()
    shot(officer, "3-weak-password")
    officer.fill("#id_new_password1", PASSWORD)
    officer.fill("#id_new_password2", PASSWORD)
    with officer.expect_navigation():
        officer.click("main form button[type=submit]")
    assert officer.url.endswith("/accounts/login/")
    expect(officer.locator(".alert-success")).to_contain_text("Đã tạo tài khoản của bạn.")
    expect(officer.locator("main a", has_text="Quên mật khẩu?")).to_be_visible()
    shot(officer, "4-login")

    officer.fill("#id_username", "HONG.NGUYEN@tinh.vn")
    officer.fill("#id_password", PASSWORD)
    with officer.expect_navigation():
        officer.click("main form button[type=submit]")
    assert officer.url == f"{live_server.url}/"
    shot(officer, "5-home")
    term = OfficerTerm.objects.get(user__email="hong.nguyen@tinh.vn")
    assert (term.unit, str(term.start_date)) == (unit, "2026-01-01")

    # The link works once.
    officer.goto(link)
    expect(officer.locator("#problem")).to_have_text(
        "Lời mời này đã được sử dụng. Hãy đăng nhập bằng địa chỉ email của bạn."
    )
    shot(officer, "6-used-link")
    officer.context.close()


def test_invite_from_an_excel_list_and_from_the_conference(
    page, live_server, login, shot, tmp_path
):
    from openpyxl import Workbook

    from tests.clusters.factories import ConferenceFactory, PersonFactory

    world = build_world(5)
    units = world.units
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Đơn vị", "Email", "Chức vụ"])
    sheet.append(["Nguyễn Văn An", units[3].short_name, "an@tinh.vn", "Chánh Văn phòng"])
    sheet.append(["Trần Thị Bình", units[4].name, "binh@tinh.vn", ""])
    sheet.append(["Lê Văn Cường", "Sở Không Có", "cuong@tinh.vn", ""])
    sheet.append(["Phạm Thị Dung", units[3].short_name, "an@tinh.vn", ""])
    path = tmp_path / "danh-sach.xlsx"
    book.save(path)
    mail.outbox.clear()

    login(page, live_server, world.secretary.username, "demo12345")
    page.goto(f"{live_server.url}{world.year.get_absolute_url()}")
    page.locator("main a", has_text="Mời cán bộ từ tệp Excel").click()
    page.set_input_files("#id_file", str(path))
    page.fill("#id_start_date", "01/01/2026")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("#preview tbody tr.table-danger")).to_have_count(2)
    expect(page.locator("#bad-summary")).to_contain_text("2 dòng có lỗi")
    shot(page, "1-preview")
    assert Invitation.objects.count() == 0
    with page.expect_navigation():
        page.locator("main form button", has_text="Mời 2 người").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi 2 lời mời.")
    assert sorted(m.to[0] for m in mail.outbox) == ["an@tinh.vn", "binh@tinh.vn"]

    conference = ConferenceFactory(cluster_year=world.year, title="Hội nghị tổng kết")
    hai = PersonFactory(unit=units[2], full_name="Hà Văn Hải", email="hai@tinh.vn")
    conference.delegates.set([hai, PersonFactory(unit=units[4], full_name="Đinh Thị Lan")])
    page.goto(f"{live_server.url}{conference.get_absolute_url()}")
    shot(page, "2-conference")
    with page.expect_navigation():
        page.locator("#delegates button", has_text="mời").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "Đã mời Hà Văn Hải qua địa chỉ hai@tinh.vn."
    )
    expect(page.locator("#delegates")).to_contain_text("đã mời")
    shot(page, "3-conference-invited")
    assert mail.outbox[-1].to == ["hai@tinh.vn"]
