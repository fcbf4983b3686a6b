"""Journeys through the cluster pages as real users make them, by clicking, in Chromium.

Assertions rest on the demo data (unit names, years) and on element ids and roles, not on UI
wording, which the translation catalogue may still change.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from clusters.models import ClusterYear, LeadershipAssignment, LeadershipRole, Person

pytestmark = pytest.mark.django_db(transaction=True)

FORMER_MEMBERS = {
    "Ban Tổ chức Tỉnh ủy Tiền Giang",
    "Ban Tổ chức Tỉnh ủy Bình Dương",
    "Ban Tổ chức Tỉnh ủy Long An",
    "Ban Tổ chức Tỉnh ủy Tây Ninh",
    "Ban Tổ chức Tỉnh ủy Đồng Nai",
    "Ban Tổ chức Tỉnh ủy Bình Phước",
    "Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu",
    "Ban Tổ chức Tỉnh ủy Lâm Đồng",
    "Ban Tổ chức Tỉnh ủy Ninh Thuận",
    "Ban Tổ chức Tỉnh ủy Bình Thuận",
    "Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh",
}
SUCCESSORS = {
    "Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh",
    "Ban Tổ chức Tỉnh ủy Tây Ninh",
    "Ban Tổ chức Tỉnh ủy Đồng Nai",
    "Ban Tổ chức Tỉnh ủy Lâm Đồng",
    "Ban Tổ chức Tỉnh ủy Đồng Tháp",
    "Ban Tổ chức Tỉnh ủy Khánh Hòa",
}
CLUSTER_NAME = "Cụm thi đua số 4, Ngành Tổ chức xây dựng Đảng"


def _member_names(page) -> list[str]:
    """The unit names of the members list (the first text of each item, before any note)."""
    return page.locator("#members > li").evaluate_all(
        "items => items.map(li => li.firstChild.textContent.trim())"
    )


def _choose_year(page, year: int) -> None:
    """The year selector submits itself on change."""
    with page.expect_navigation():
        page.select_option("#year-select", str(year))
    assert page.url.endswith(f"?year={year}")


def _open_cluster_from_menu(page) -> None:
    page.click("#main-nav a[href='/clusters/']")
    page.locator("main a.list-group-item", has_text=CLUSTER_NAME).click()
    expect(page.locator("main h1")).to_have_text(CLUSTER_NAME)


def _year_path(demo, year: int) -> str:
    return f"/clusters/{demo['cluster'].uuid}/{year}/"


def test_members_by_year_and_where_merged_units_went(page, live_server, demo, login, shot):
    login(page, live_server, "giamsat")
    _open_cluster_from_menu(page)

    _choose_year(page, 2020)
    expect(page.locator("#year-select")).to_have_value("2020")
    names = _member_names(page)
    assert len(names) == 11
    assert set(names) == FORMER_MEMBERS
    expect(page.locator("#members-heading")).to_contain_text("11")
    expect(page.locator("#members-heading")).to_contain_text("2020")
    shot(page, "2020")

    # Bình Dương was merged into Ho Chi Minh City on 1 July 2025: its entry says so and links there.
    binh_duong = page.locator("#members > li", has_text="Ban Tổ chức Tỉnh ủy Bình Dương")
    expect(binh_duong).to_contain_text("01/07/2025")
    successor_link = binh_duong.get_by_role(
        "link", name="Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh"
    )
    expect(successor_link).to_have_attribute(
        "href", demo["successors"]["TP. Hồ Chí Minh"].get_absolute_url()
    )

    _choose_year(page, 2026)
    names = _member_names(page)
    assert len(names) == 6
    assert set(names) == SUCCESSORS
    # The successor's entry names the units it continues.
    hcmc = page.locator("#members > li", has_text="Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh")
    expect(hcmc).to_contain_text("Bình Dương")
    expect(hcmc).to_contain_text("Bà Rịa - Vũng Tàu")
    shot(page, "2026")

    # Back to 2020 and follow the merged unit to its successor's page.
    _choose_year(page, 2020)
    page.locator("#members > li", has_text="Ban Tổ chức Tỉnh ủy Bình Dương").get_by_role(
        "link", name="Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh"
    ).click()
    expect(page.locator("main h1")).to_have_text("Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh")
    for predecessor in ("Ban Tổ chức Tỉnh ủy Bình Dương", "Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu"):
        expect(page.get_by_role("link", name=predecessor, exact=True)).to_be_visible()
    shot(page, "successor")


def test_who_led_each_year(page, live_server, demo, login, shot):
    login(page, live_server, "giamsat")
    _open_cluster_from_menu(page)

    table = page.locator("section[aria-labelledby=history-heading] table")
    expect(table).to_be_visible()
    headers = table.locator("thead th").all_inner_texts()
    assert [h.strip() for h in headers[1:]] == ["Cụm trưởng", "Cụm phó Thường trực", "Cụm phó"]

    rows = table.locator("tbody tr")
    expect(rows).to_have_count(4)
    table_data = rows.evaluate_all(
        """rows => rows.map(row => [
            row.querySelector('th').textContent.trim(),
            ...Array.from(row.querySelectorAll('td'), td => {
                const link = td.querySelector('a');
                return link ? link.textContent.trim() : null;
            }),
        ])"""
    )
    assert table_data == [
        ["2021", "Bà Rịa - Vũng Tàu", "Tây Ninh", "Bình Thuận"],
        ["2020", "Tây Ninh", "Bà Rịa - Vũng Tàu", "Lâm Đồng"],
        ["2019", "Đồng Nai", "Tây Ninh", "Bà Rịa - Vũng Tàu"],
        ["2018", "Long An", "Đồng Nai", "Tây Ninh"],
    ]
    # A unit merged since shows what became of it.
    expect(rows.first.locator("td").first.locator(".badge")).to_contain_text("TP. Hồ Chí Minh")
    table.scroll_into_view_if_needed()
    shot(page, "history")

    # The year links to its page, which lists the same holders and where they were elected.
    rows.first.get_by_role("link", name="2021", exact=True).click()
    page.wait_for_url(f"**{_year_path(demo, 2021)}")
    leadership = page.locator("#leadership > li")
    expect(leadership).to_have_count(3)
    expect(leadership.nth(0)).to_contain_text("Bà Rịa - Vũng Tàu")
    expect(leadership.nth(1)).to_contain_text("Tây Ninh")
    expect(leadership.nth(2)).to_contain_text("Bình Thuận")
    expect(leadership.nth(0)).to_contain_text("Hội nghị tổng kết công tác thi đua năm 2020")
    shot(page, "year-2021")


def test_secretariat_confirms_next_year_leadership(page, live_server, demo, login, shot):
    roles = demo["roles"]
    leader = roles[LeadershipRole.LEADER].pk
    standing = roles[LeadershipRole.STANDING_DEPUTY].pk
    deputy = roles[LeadershipRole.DEPUTY].pk
    units = demo["units"]

    login(page, live_server, "brvt")
    page.locator(f"main a[href='{_year_path(demo, 2021)}']").first.click()
    page.wait_for_url(f"**{_year_path(demo, 2021)}")
    page.click(f"main a[href='{_year_path(demo, 2021)}next-leadership/']")
    page.wait_for_url("**/2021/next-leadership/")
    expect(page.locator("main h1")).to_contain_text("2022")

    # The proposal follows the rotation after Bà Rịa - Vũng Tàu, the 2021 leader.
    for role, unit in ((leader, "Lâm Đồng"), (standing, "Ninh Thuận"), (deputy, "Bình Thuận")):
        expect(page.locator(f"#id_role_{role} option:checked")).to_have_text(unit)
        expect(page.locator(f"fieldset:has(#id_role_{role}) strong")).to_have_text(unit)
    shot(page, "proposal")

    # Another standing deputy without a reason: refused, the error sits by the reason field.
    page.select_option(f"#id_role_{standing}", label="TP. Hồ Chí Minh")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    reason = page.locator(f"#id_reason_{standing}")
    expect(reason).to_have_class(_has_class("is-invalid"))
    expect(page.locator(f"#div_id_reason_{standing} .invalid-feedback")).to_have_text(
        "Nêu lý do không theo đề xuất luân phiên."
    )
    expect(page.locator(f"#id_reason_{deputy}")).not_to_have_class(_has_class("is-invalid"))
    # The choice the user made is kept.
    expect(page.locator(f"#id_role_{standing} option:checked")).to_have_text("TP. Hồ Chí Minh")
    shot(page, "missing-reason")
    assert not LeadershipAssignment.objects.filter(
        cluster_year__cluster=demo["cluster"], cluster_year__year=2022
    ).exists()
    assert not ClusterYear.objects.filter(cluster=demo["cluster"], year=2022).exists()

    page.fill(f"#id_reason_{standing}", "Ninh Thuận xin lùi một năm vì đang kiện toàn bộ máy.")
    page.select_option(
        "#id_decided_at", label="Hội nghị tổng kết công tác thi đua năm 2021 (10/12/2021)"
    )
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    page.wait_for_url(f"**{_year_path(demo, 2022)}")
    leadership = page.locator("#leadership > li")
    expect(leadership).to_have_count(3)
    expect(leadership.nth(0)).to_contain_text("Lâm Đồng")
    expect(leadership.nth(1)).to_contain_text("TP. Hồ Chí Minh")
    expect(leadership.nth(1)).to_contain_text("Ninh Thuận xin lùi một năm")
    expect(leadership.nth(2)).to_contain_text("Bình Thuận")
    expect(leadership.nth(0)).to_contain_text("Hội nghị tổng kết công tác thi đua năm 2021")
    expect(page.locator(".app-messages .alert-success")).to_be_visible()
    shot(page, "year-2022")

    saved = {
        a.role_id: a
        for a in LeadershipAssignment.objects.filter(
            cluster_year__cluster=demo["cluster"], cluster_year__year=2022
        )
    }
    assert {role: a.unit for role, a in saved.items()} == {
        leader: units["Lâm Đồng"],
        standing: units["TP. Hồ Chí Minh"],
        deputy: units["Bình Thuận"],
    }
    assert saved[standing].override_reason == (
        "Ninh Thuận xin lùi một năm vì đang kiện toàn bộ máy."
    )
    assert saved[leader].override_reason == "" and saved[deputy].override_reason == ""
    conference = demo["conferences"]["2021_year_end"]
    assert all(a.decided_at == conference for a in saved.values())
    assert all(a.confirmed_by == demo["users"]["brvt"] for a in saved.values())
    assert ClusterYear.objects.get(cluster=demo["cluster"], year=2022).status == (
        ClusterYear.Status.PLANNING
    )


def test_year_edit_is_for_the_secretariat_of_an_open_year(page, live_server, demo, login, shot):
    edit_2021 = f"{_year_path(demo, 2021)}edit/"
    login(page, live_server, "brvt")
    page.locator(f"main a[href='{_year_path(demo, 2021)}']").first.click()
    page.click(f"main a[href='{edit_2021}']")
    page.wait_for_url(f"**{edit_2021}")
    # Dates are shown and typed as dd/mm/yyyy.
    expect(page.locator("#id_scorecard_deadline")).to_have_value("15/11/2021")
    page.fill("#id_pledge_deadline", "15/11/2021")
    page.fill("#id_scorecard_deadline", "16/11/2021")
    shot(page, "form")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_url(f"**{_year_path(demo, 2021)}")
    expect(page.locator(".app-messages .alert-success")).to_be_visible()
    deadlines = page.locator("main dl dd")
    expect(deadlines.nth(1)).to_have_text("15/11/2021")  # pledge signing
    expect(deadlines.nth(2)).to_have_text("16/11/2021")  # self-scoring
    shot(page, "saved")
    year = ClusterYear.objects.get(cluster=demo["cluster"], year=2021)
    assert year.pledge_deadline == datetime.date(2021, 11, 15)
    assert year.scorecard_deadline == datetime.date(2021, 11, 16)

    # Tây Ninh, the 2021 standing deputy, is not the 2021 secretariat.
    page.context.clear_cookies()
    login(page, live_server, "tayninh")
    response = page.goto(f"{live_server.url}{edit_2021}")
    assert response.status == 403
    expect(page.locator(".app-error-page")).to_contain_text("403")
    expect(page.locator("#id_pledge_deadline")).to_have_count(0)
    shot(page, "tayninh-403")

    # Tây Ninh led 2020, but that year is closed: sent back to the year with an error.
    page.goto(f"{live_server.url}{_year_path(demo, 2020)}edit/")
    page.wait_for_url(f"**{_year_path(demo, 2020)}")
    error = page.locator(".app-messages .alert-danger[role=alert]")
    expect(error).to_be_visible()
    expect(error).to_have_text("Năm 2020 đã khóa sổ, không thể thay đổi được nữa.")
    expect(page.locator("#id_pledge_deadline")).to_have_count(0)
    shot(page, "tayninh-closed")


def test_unit_officer_manages_only_own_people(page, live_server, demo, login, shot):
    lam_dong = demo["units"]["Lâm Đồng"]
    brvt = demo["units"]["Bà Rịa - Vũng Tàu"]
    login(page, live_server, "lamdong")

    response = page.goto(f"{live_server.url}/units/{brvt.uuid}/people/")
    assert response.status == 403
    expect(page.locator(".app-error-page")).to_contain_text("403")
    expect(page.locator("#people")).to_have_count(0)
    shot(page, "other-unit-403")

    # From the home page to the unit's people, by clicking.
    page.click("a.navbar-brand")
    page.locator(f"main a[href='{demo['cluster'].get_absolute_url()}']").first.click()
    page.click(f"section[aria-labelledby=rotation-heading] a[href='{lam_dong.get_absolute_url()}']")
    expect(page.locator("main h1")).to_have_text("Ban Tổ chức Tỉnh ủy Lâm Đồng")
    page.click(f"main a[href='/units/{lam_dong.uuid}/people/']")
    people = page.locator("#people tbody tr td:first-child")
    expect(people).to_have_text(["Hồ Văn Lợi", "Vũ Thị Thanh Tâm"])
    page.click(f"main a[href='/units/{lam_dong.uuid}/people/new/']")

    before = Person.objects.filter(unit=lam_dong).count()
    page.fill("#id_full_name", "Nguyễn Thị Ánh Tuyết")
    page.fill("#id_position", "Chuyên viên")
    page.select_option("#id_gender", Person.FEMALE)
    page.fill("#id_birth_year", "1800")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("#id_birth_year")).to_have_class(_has_class("is-invalid"))
    expect(page.locator("#div_id_birth_year .invalid-feedback")).to_have_text(
        "Nhập năm sinh từ 1900 đến nay."
    )
    expect(page.locator("#id_full_name")).not_to_have_class(_has_class("is-invalid"))
    expect(page.locator("#id_full_name")).to_have_value("Nguyễn Thị Ánh Tuyết")
    shot(page, "bad-birth-year")
    assert Person.objects.filter(unit=lam_dong).count() == before

    page.fill("#id_birth_year", "1992")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_url(f"**/units/{lam_dong.uuid}/people/")
    expect(people).to_have_text(["Hồ Văn Lợi", "Nguyễn Thị Ánh Tuyết", "Vũ Thị Thanh Tâm"])
    expect(page.locator(".app-messages .alert-success")).to_contain_text("Nguyễn Thị Ánh Tuyết")
    shot(page, "added")
    person = Person.objects.get(unit=lam_dong, full_name="Nguyễn Thị Ánh Tuyết")
    assert (person.position, person.gender, person.birth_year) == (
        "Chuyên viên",
        Person.FEMALE,
        1992,
    )
    assert Person.objects.filter(unit=lam_dong).count() == before + 1


def test_account_without_person_is_named_in_vietnamese_order(page, live_server, demo, login):
    """giamsat has no Person: the name comes from the account, family and middle names first."""
    login(page, live_server, "giamsat")
    expect(page.locator("main h1")).to_contain_text("Trần Minh Đức")
    expect(page.locator("#main-nav .dropdown-toggle").last).to_have_text("Trần Minh Đức")


def _assert_fits_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways: {width} px wide"


def test_phone_login_and_cluster_page(phone, live_server, demo, login, shot):
    page = phone
    page.goto(f"{live_server.url}/accounts/login/")
    _assert_fits_phone(page)
    expect(page.locator(".navbar-toggler")).to_be_visible()
    expect(page.locator("#main-nav")).to_be_hidden()
    expect(page.locator("#id_username")).to_be_visible()
    shot(page, "login")

    login(page, live_server, "giamsat")
    _assert_fits_phone(page)
    expect(page.locator("#main-nav")).to_be_hidden()
    page.click(".navbar-toggler")
    expect(page.locator("#main-nav")).to_have_class(_has_class("show"))  # animation over
    expect(page.locator("#main-nav a[href='/clusters/']")).to_be_visible()
    shot(page, "menu-open")
    page.click("#main-nav a[href='/clusters/']")
    page.locator("main a.list-group-item", has_text=CLUSTER_NAME).click()
    expect(page.locator("main h1")).to_have_text(CLUSTER_NAME)
    expect(page.locator("#main-nav")).to_be_hidden()
    _choose_year(page, 2020)
    assert len(_member_names(page)) == 11
    _assert_fits_phone(page)
    shot(page, "cluster")


def test_language_switch(page, live_server, demo, login, shot):
    login(page, live_server, "giamsat")
    _open_cluster_from_menu(page)
    cluster_url = page.url
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("#history-heading")).to_have_text("Thường trực Cụm qua các năm")

    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.url == cluster_url
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#history-heading")).to_have_text("Who led each year")
    expect(page.locator("#main-nav a[href='/clusters/']")).to_have_text("Clusters")
    # Data stays as it is.
    expect(page.locator("main h1")).to_have_text(CLUSTER_NAME)
    shot(page, "english")

    with page.expect_navigation():
        page.select_option("#language-select", "vi")
    assert page.url == cluster_url
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("#language-select")).to_have_value("vi")
    expect(page.locator("#history-heading")).to_have_text("Thường trực Cụm qua các năm")
    shot(page, "vietnamese")


def _has_class(name: str):
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")
