"""A returned scorecard reaches the unit's officer: the secretary returns it in the browser;
the officer sees the count in the top bar and the notification in the list, opens it (it is
read from then on) and lands on the scorecard."""

from playwright.sync_api import expect

from notifications.models import Kind, Notification
from scorecards.services import scoring
from tests.scorecards.factories import build_scorecard_world, fill

PASSWORD = "demo12345"  # tests.clusters.factories.UserFactory's
VALUES = {"I.1": "35", "I.2": "20", "II.a": "5", "III.a": "0"}


def test_a_returned_scorecard_reaches_the_units_officer(
    transactional_db, live_server, page, login, shot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    world = build_scorecard_world(5)
    fill(world.scorecard, VALUES, world.officer_a)
    scoring.submit(scorecard=world.scorecard, user=world.officer_a)
    unit = world.units[3].short_name

    login(page, live_server, world.secretary.username, PASSWORD)
    page.goto(f"{live_server.url}/scorecards/{world.scorecard.uuid}/return/")
    page.fill("textarea[name=reason]", "Thiếu minh chứng tiêu chí I.1")
    shot(page, "1-secretary-returns")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.context.clear_cookies()

    login(page, live_server, world.officer_a.username, PASSWORD)
    badge = page.locator("[data-unread-badge]")
    expect(badge).to_have_text("1")
    shot(page, "2-officer-sees-the-count")
    page.click(".app-notifications-link")
    expect(page.locator("h1")).to_have_text("Thông báo")
    item = page.locator("[data-notification]")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(
        f"Bảng điểm năm 2021 của {unit} đã bị trả lại: Thiếu minh chứng tiêu chí I.1"
    )
    expect(item).to_contain_text("mới")
    shot(page, "3-the-list")

    with page.expect_navigation():
        item.click()
    assert page.url == f"{live_server.url}{world.scorecard.get_absolute_url()}"
    expect(page.locator("[data-unread-badge]")).to_have_count(0)
    expect(page.locator(".app-notifications-link")).to_have_attribute("data-unread-count", "0")
    shot(page, "4-on-the-scorecard")
    assert Notification.objects.get(user=world.officer_a).read_at is not None

    # The officer wants no email when a poll opens: one checkbox per kind, all on at first.
    page.click(".app-notifications-link")
    page.click("main >> text=Thông báo qua email")
    boxes = page.locator("input[name=email_kinds]")
    expect(boxes).to_have_count(len(Kind.values))
    page.uncheck(f"input[name=email_kinds][value={Kind.POLL_OPENED}]")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text(
        "Đã lưu lựa chọn nhận thông báo qua email."
    )
    shot(page, "5-email-choices")
    assert list(world.officer_a.email_opt_outs.values_list("kind", flat=True)) == [Kind.POLL_OPENED]
    # the secretary was told of the submission only
    assert list(
        Notification.objects.filter(user=world.secretary).values_list("kind", flat=True)
    ) == [Kind.SCORECARD_SUBMITTED]
