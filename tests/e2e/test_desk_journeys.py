"""Issue 12 §1 in Chromium, on the demo data of Cluster No. 4: every role finds its work on the
home page. The 2021 secretariat (brvt) reads the board of the units x the year's stages and goes
from a cell to the page where the work is done; a unit officer (lamdong) reads the unit's tasks,
overdue first, and opens one; the supervisor (giamsat) reads the clusters' progress and goes to
the roll-up. Each at desktop and phone width."""

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from clusters.management.commands.load_demo import run_loaders

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(transactional_db):
    data, _reports = run_loaders(settings.DEMO_LOADERS)
    return data


def board_of(page: Page, cluster_year):
    return page.locator(f'[data-board="{cluster_year.uuid}"]')


def test_the_secretariat_goes_from_a_cell_of_the_board_to_its_page(
    page, phone, live_server, login, shot, world
):
    year = world["years"][2021]
    unit = world["units"]["Lâm Đồng"]
    login(page, live_server, "brvt")
    board = board_of(page, year)
    expect(board.locator("h2")).to_contain_text("Bảng theo dõi của Thư ký Cụm")
    expect(board.locator("[data-counts]")).to_contain_text("Giao ước thi đua:")
    row = board.locator(f'tr[data-unit="{unit.uuid}"]')
    expect(row.locator("th")).to_have_text("Lâm Đồng")
    shot(page, "1-secretariat-board")
    with page.expect_navigation():
        row.locator('td[data-stage="report"] a').click()
    assert page.url.endswith(f"/2021/reports/units/{unit.uuid}/")
    expect(page.locator("h1")).to_have_text("Báo cáo năm 2021")
    expect(page.locator("main")).to_contain_text("Lâm Đồng")
    shot(page, "2-from-the-cell")

    # On a phone the table scrolls sideways and the unit column stays in view.
    login(phone, live_server, "brvt")
    board = board_of(phone, year)
    expect(board).to_be_visible()
    scroller = board.locator(".table-responsive")
    scroller.evaluate("element => element.scrollLeft = element.scrollWidth")
    unit_cell = board.locator(f'tr[data-unit="{unit.uuid}"] th')
    box = unit_cell.bounding_box()
    assert box is not None and box["x"] < 40
    shot(phone, "3-secretariat-board-phone")


def test_a_unit_officer_reads_the_units_tasks_and_opens_one(
    page, phone, live_server, login, shot, world
):
    unit = world["units"]["Lâm Đồng"]
    login(page, live_server, "lamdong")
    desk = page.locator(f'[data-desk="{unit.uuid}"]')
    expect(desk.locator("h2")).to_contain_text("Việc của Lâm Đồng")
    expect(page.locator("[data-board]")).to_have_count(0)
    shot(page, "1-unit-tasks")
    first = desk.locator("[data-task]").first
    with page.expect_navigation():
        first.get_by_role("link", name="Mở").click()
    expect(page.locator("h1")).to_be_visible()
    shot(page, "2-first-task")
    login(phone, live_server, "lamdong")
    expect(phone.locator(f'[data-desk="{unit.uuid}"]')).to_be_visible()
    shot(phone, "3-unit-tasks-phone")


def test_the_supervisor_reads_the_progress_and_goes_to_the_roll_up(
    page, phone, live_server, login, shot, world
):
    login(page, live_server, "giamsat")
    overview = page.locator("#overview")
    expect(overview.locator("h2")).to_have_text("Tiến độ của các cụm thi đua")
    expect(page.locator("[data-board]")).to_have_count(0)
    shot(page, "1-supervisor-progress")
    with page.expect_navigation():
        overview.get_by_role("link", name="Tổng hợp các cụm thi đua").click()
    assert page.url == f"{live_server.url}/reports/rollup/"
    expect(page.locator("h1")).to_have_text("Tổng hợp các cụm thi đua")
    shot(page, "2-roll-up")
    login(phone, live_server, "giamsat")
    expect(phone.locator("#overview")).to_be_visible()
    shot(phone, "3-supervisor-progress-phone")
