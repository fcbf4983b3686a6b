"""Issue 12's Done-when in Chromium, on PostgreSQL, with a real Celery worker delivering the
emails: every role finds its work, and no step needs the Django admin.

1. An admin builds a nine-unit cluster with four roles, a rota and its first year through the
   wizard and invites the officers of the leader's and the standing deputy's units; the emails
   go the real way (post_office's outbox in PostgreSQL, then the worker into mail_dir); each
   officer sets a password from the link and signs in with the email: the standing deputy's
   officer sees the unit's tasks, the leader's officer the secretariat's board of the new year.
2. On the demo data (2021 open; leader Bà Rịa - Vũng Tàu = brvt, standing deputy Tây Ninh =
   tayninh): the board counts the units that have submitted; the leader's own submitted
   scorecard waits for the standing deputy and not in the leader's queue; a scorecard returned
   in the browser reaches its unit as a notification and an email; the committee member and a
   delegate reach their poll, and the supervisor the roll-up, from their home pages.
"""

import re
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import Page, expect
from post_office.models import STATUS, Email

from awards.models import Issuance, Poll, PollOption
from awards.services import attendance, polls
from clusters.management.commands.load_demo import run_loaders
from clusters.models import Cluster, ClusterYear, LeadershipAssignment, Person
from notifications.models import Kind, Notification
from scorecards.models import Scorecard
from scorecards.services import scoring
from tests.clusters.factories import UserFactory
from tests.helpers import PDF
from tests.workers import read_emails, wait_until

UNITS = [
    "Tây Ninh | Ban Tổ chức Tỉnh ủy Tây Ninh | Tây Ninh",
    "Bình Dương | Ban Tổ chức Tỉnh ủy Bình Dương | Bình Dương",
    "Đồng Nai | Ban Tổ chức Tỉnh ủy Đồng Nai | Đồng Nai",
    "Long An | Ban Tổ chức Tỉnh ủy Long An | Long An",
    "Bình Phước | Ban Tổ chức Tỉnh ủy Bình Phước | Bình Phước",
    "Bà Rịa - Vũng Tàu",
    "Lâm Đồng",
    "Bình Thuận",
    "Ninh Thuận",
]
PASSWORD = "Sen-vang-2026"
POLL_QUESTION = "Đề nghị tặng Cờ thi đua của Ban Tổ chức Trung ương"
RETURN_REASON = "Thiếu minh chứng tiêu chí I.1"


def fresh_page(browser, visited: list[str]) -> Page:
    """A desktop page in a new context (no cookies), in Vietnamese, whose every navigation is
    recorded in `visited` (so that the test can show no step went through /admin/)."""
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    watch(page, visited)
    return page


def watch(page: Page, visited: list[str]) -> None:
    page.on("framenavigated", lambda frame: visited.append(frame.url))


def emails_to(mail_dir, address: str) -> list:
    return [m for m in read_emails(mail_dir) if m["To"] == address]


def subject(email) -> str:
    # Django folds a long encoded subject onto the next line; the parser keeps the fold's space.
    return str(email["Subject"]).strip()


def delivered_to(mail_dir, address: str):
    """The one email the worker wrote for `address`, once it has written it."""
    found = wait_until(
        lambda: emails_to(mail_dir, address), timeout=60, what=f"the email to {address}"
    )
    assert len(found) == 1, [m["Subject"] for m in found]
    return found[0]


def accept_and_sign_in(browser, visited, email, address: str, shot, step: str) -> Page:
    """Open the link of the invitation email in a fresh context, set a password, sign in with
    the email address; returns the page on the home page."""
    body = email.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://\S+/invitations/accept/\S+/", body).group(0)
    officer = fresh_page(browser, visited)
    officer.goto(link)
    officer.fill("#id_new_password1", PASSWORD)
    officer.fill("#id_new_password2", PASSWORD)
    shot(officer, f"{step}-set-password")
    with officer.expect_navigation():
        officer.click("main form button[type=submit]")
    expect(officer.locator(".alert-success")).to_contain_text("Đã tạo tài khoản của bạn.")
    officer.fill("#id_username", address)
    officer.fill("#id_password", PASSWORD)
    with officer.expect_navigation():
        officer.click("main form button[type=submit]")
    assert "/accounts/login/" not in officer.url
    return officer


def test_the_wizard_invites_the_officers_and_they_find_their_work(
    page, browser, live_server, login, shot, settings, celery_worker_process
):
    _worker, mail_dir = celery_worker_process
    UserFactory(username="quantri", is_superuser=True, is_staff=True)
    visited: list[str] = []
    watch(page, visited)
    # The app's own backend, as in production (pytest-django forces locmem): the live server
    # writes the invitations to post_office's outbox and the worker delivers them to mail_dir.
    settings.EMAIL_BACKEND = "post_office.EmailBackend"

    login(page, live_server, "quantri")
    page.goto(f"{live_server.url}/clusters/")
    screens = []

    def next_screen(button="Tiếp tục"):
        with page.expect_navigation():
            page.get_by_role("button", name=button).click()
        screens.append(page.url)

    with page.expect_navigation():
        page.get_by_role("link", name="Tạo cụm mới").click()
    screens.append(page.url)
    page.get_by_label("Số hiệu cụm").fill("42")
    page.locator("#id_name").fill("Cụm thi đua số 42")
    page.get_by_label("Ngành").fill("Ngành Tổ chức xây dựng Đảng")
    page.get_by_label("Cơ quan chỉ đạo").fill("Vụ Địa phương III")
    next_screen()
    page.get_by_label("Là thành viên từ năm").fill("2026")
    page.get_by_label("Đơn vị thành viên mới, mỗi dòng một đơn vị").fill("\n".join(UNITS))
    next_screen()
    page.locator("#id_roles-3-name").fill("Ủy viên Thường trực")  # the fourth role
    next_screen()
    page.get_by_label("Bình Dương").fill("1")  # the rota: Bình Dương leads first
    page.get_by_label("Tây Ninh").fill("2")
    next_screen()
    expect(page.get_by_label("Trưởng cụm")).to_have_value("new-1")
    page.get_by_label("Hạn tự chấm điểm").fill("28/12/2026")
    page.get_by_label("Ủy viên Thường trực").select_option(label="Long An")
    next_screen()
    shot(page, "1-officers-step")
    page.get_by_label("Họ và tên cán bộ của Bình Dương").fill("Trần Văn Bình")
    page.get_by_label("Bình Dương", exact=True).fill("binh@binhduong.vn")
    page.get_by_label("Họ và tên cán bộ của Tây Ninh").fill("Nguyễn Thị Lan")
    page.get_by_label("Tây Ninh", exact=True).fill("lan@tayninh.vn")
    next_screen()
    review = page.locator("#review")
    expect(review).to_contain_text("Trưởng cụm: Bình Dương")
    expect(review).to_contain_text("Phó cụm thường trực: Tây Ninh")  # second in the rota
    expect(review).to_contain_text("Ủy viên Thường trực: Long An")
    expect(review).to_contain_text(
        "Tây Ninh: Nguyễn Thị Lan <lan@tayninh.vn>; Bình Dương: Trần Văn Bình <binh@binhduong.vn>"
    )
    shot(page, "2-review")
    next_screen("Tạo cụm thi đua")
    expect(page.locator(".alert-success")).to_contain_text(
        "Đã tạo Cụm thi đua số 42 với năm thi đua đầu tiên 2026."
    )
    expect(page.locator("#members li")).to_have_count(9)
    shot(page, "3-cluster")
    # Cluster, units, roles, rotation, first year, officers, review, the new cluster's page.
    assert len(screens) == 8 <= 10, screens

    cluster = Cluster.objects.get(number=42)
    year = cluster.years.get(year=2026)
    leadership = {
        a.role.kind: a.unit.short_name
        for a in LeadershipAssignment.objects.filter(cluster_year=year).select_related(
            "role", "unit"
        )
    }
    assert leadership["leader"] == "Bình Dương"
    assert leadership["standing_deputy"] == "Tây Ninh"

    # The standing deputy's officer: the email, the password, the unit's tasks.
    email = delivered_to(mail_dir, "lan@tayninh.vn")
    assert subject(email) == "Lời mời sử dụng phần mềm Cụm thi đua (Tây Ninh)"
    lan = accept_and_sign_in(browser, visited, email, "lan@tayninh.vn", shot, "4")
    desk = lan.locator("[data-desk]")
    expect(desk).to_have_count(1)
    expect(desk.locator("h2")).to_have_text("Việc của Tây Ninh, năm 2026")
    expect(desk.locator("[data-task] .fw-semibold")).to_have_text(
        ["Tự chấm điểm và gửi bảng điểm", "Viết và gửi báo cáo của đơn vị"]
    )
    expect(desk.locator('[data-task="scorecard"]')).to_contain_text("hạn ngày 28/12/2026")
    expect(lan.locator("[data-board]")).to_have_count(0)
    shot(lan, "5-standing-deputy-tasks")
    lan.context.close()

    # The leader's officer: the secretariat's board of the new year.
    email = delivered_to(mail_dir, "binh@binhduong.vn")
    assert subject(email) == "Lời mời sử dụng phần mềm Cụm thi đua (Bình Dương)"
    binh = accept_and_sign_in(browser, visited, email, "binh@binhduong.vn", shot, "6")
    board = binh.locator(f'[data-board="{year.uuid}"]')
    expect(board.locator("h2")).to_contain_text(
        "Bảng theo dõi của Thư ký Cụm: Cụm thi đua số 42, năm 2026"
    )
    expect(board.locator("tbody tr")).to_have_count(9)
    expect(board.locator('[data-count="scorecard"]')).to_have_text("Tự chấm điểm: 0/9 đã gửi")
    shot(binh, "7-leader-board")
    binh.context.close()
    # Both went the real way: rows of the outbox in PostgreSQL, marked sent by the worker.
    assert sorted(Email.objects.values_list("to", "status")) == [
        (["binh@binhduong.vn"], STATUS.sent),
        (["lan@tayninh.vn"], STATUS.sent),
    ]
    assert not [url for url in visited if "/admin/" in url]  # no step needed the Django admin


@pytest.fixture
def demo_2021(transactional_db):
    data, _reports = run_loaders(django_settings.DEMO_LOADERS)
    return data


def submit_complete(scorecard: Scorecard, user) -> Scorecard:
    """Score what is left of `scorecard` (0, with evidence where it is required) and submit it,
    through the services. The demo's 2021 deadline (15/11/2021) has long passed: it is moved
    for the time of the scoring, as the secretariat would on the year's page, then put back."""
    year = scorecard.cluster_year
    deadline = year.scorecard_deadline
    ClusterYear.objects.filter(pk=year.pk).update(scorecard_deadline=None)
    scorecard.cluster_year.scorecard_deadline = None
    for score in scorecard.current_scores().select_related("criterion"):
        if score.self_score is None:
            score = scoring.save_score(
                score=score,
                self_score=Decimal("0"),
                explanation="",
                revision=score.revision,
                user=user,
            )
        if score.criterion.evidence_required and not score.evidence.exists():
            scoring.add_evidence(
                score=score, uploaded=SimpleUploadedFile("minh-chung.pdf", PDF), user=user
            )
    submitted = scoring.submit(scorecard=scorecard, user=user)
    ClusterYear.objects.filter(pk=year.pk).update(scorecard_deadline=deadline)
    return submitted


def test_every_role_of_the_demo_finds_its_work_from_home(
    browser, page, live_server, login, shot, settings, celery_worker_process, demo_2021
):
    _worker, mail_dir = celery_worker_process
    data = demo_2021
    year = data["years"][2021]
    units = data["units"]
    brvt_user = data["users"]["brvt"]
    # The leader's own scorecard, submitted by its officer (brvt) before the deadline.
    leader_card = Scorecard.objects.get(cluster_year=year, unit=units["Bà Rịa - Vũng Tàu"])
    submit_complete(leader_card, brvt_user)
    lam_dong_card = Scorecard.objects.get(cluster_year=year, unit=units["Lâm Đồng"])
    assert lam_dong_card.status == Scorecard.Status.SUBMITTED
    conference = data["conferences"]["2021_year_end"]
    poll = Poll.objects.create(conference=conference, question=POLL_QUESTION, seats=2)
    for i, name in enumerate(["Lâm Đồng", "Tây Ninh", "Bà Rịa - Vũng Tàu"]):
        PollOption.objects.create(poll=poll, label=name, unit=units[name], position=i)
    polls.open_poll(poll=poll)
    # The committee has checked the delegate in on his account: the poll hands him a ballot.
    attendance.check_in(
        conference=conference,
        person=Person.objects.get(full_name="Bùi Văn Thắng", unit=units["Đồng Nai"]),
        channel=Issuance.ACCOUNT,
        user=data["users"]["kiemphieu"],
    )
    Notification.objects.filter(user__username="lamdong").delete()  # only the return counts
    settings.EMAIL_BACKEND = "post_office.EmailBackend"
    visited: list[str] = []
    watch(page, visited)

    # The secretariat (brvt): the board counts who has submitted; the leader's own scorecard
    # is not in its queue (the standing deputy reviews it).
    login(page, live_server, "brvt")
    board = page.locator(f'[data-board="{year.uuid}"]')
    expect(board.locator('[data-count="scorecard"]')).to_have_text("Tự chấm điểm: 2/11 đã gửi")
    queue = board.locator("[data-queue]")
    expect(queue.locator("li > span")).to_have_text(["Thẩm định bảng điểm: Lâm Đồng"])
    # The nine units that have not submitted: their scorecards are drafts.
    drafts = board.locator('td[data-stage="scorecard"]').filter(has_text="bản nháp")
    expect(drafts).to_have_count(9)
    expect(page.locator("#leader-reviews")).to_have_count(0)
    shot(page, "1-secretariat-board")

    # The standing deputy's officer (tayninh): the leader's scorecard waits in its queue.
    deputy = fresh_page(browser, visited)
    login(deputy, live_server, "tayninh")
    reviews = deputy.locator("#leader-reviews [data-queue] li")
    expect(reviews).to_have_count(1)
    expect(reviews.locator("> span")).to_have_text(
        "Thẩm định bảng điểm: Bà Rịa - Vũng Tàu "
        "(Cụm thi đua số 4, Ngành Tổ chức xây dựng Đảng, 2021)"
    )
    shot(deputy, "2-standing-deputy-queue")
    deputy.context.close()

    # The secretariat returns Lâm Đồng's scorecard from the scorecards' list, with a reason.
    row = board.locator(f'tr[data-unit="{units["Lâm Đồng"].uuid}"]')
    with page.expect_navigation():
        row.locator('td[data-stage="scorecard"] a').click()
    shot(page, "3-from-the-cell")
    with page.expect_navigation():
        page.locator(".breadcrumb").get_by_role("link", name="Bảng tự chấm điểm").click()
    row = page.locator("tbody tr").filter(has_text="Lâm Đồng")
    with page.expect_navigation():
        row.get_by_role("link", name="Trả lại đơn vị…").click()
    page.fill("textarea[name=reason]", RETURN_REASON)
    shot(page, "4-return")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text(
        "Đã trả lại bảng điểm của Lâm Đồng cho đơn vị."
    )
    shot(page, "5-returned")
    lam_dong_card.refresh_from_db()
    assert lam_dong_card.status == Scorecard.Status.RETURNED

    # Lâm Đồng's officer: the count, the notification, and the email the worker delivered.
    officer = fresh_page(browser, visited)
    login(officer, live_server, "lamdong")
    expect(officer.locator("[data-unread-badge]")).to_have_text("1")
    officer.click(".app-notifications-link")
    item = officer.locator("[data-notification]")
    expect(item).to_have_count(1)
    expect(item).to_contain_text(f"Bảng điểm năm 2021 của Lâm Đồng đã bị trả lại: {RETURN_REASON}")
    shot(officer, "6-officer-notification")
    officer.context.close()
    email = delivered_to(mail_dir, "lamdong@example.vn")
    assert subject(email) == f"Bảng điểm năm 2021 của Lâm Đồng đã bị trả lại: {RETURN_REASON}"
    assert Notification.objects.get(user__username="lamdong").kind == Kind.SCORECARD_RETURNED
    assert Email.objects.get(to=["lamdong@example.vn"]).status == STATUS.sent

    # The committee member and a delegate of the 2021 conference reach the poll from home.
    member = fresh_page(browser, visited)
    login(member, live_server, "kiemphieu")
    card = member.locator(f'#my-conferences [data-conference="{conference.uuid}"]')
    expect(card).to_contain_text("Ban kiểm phiếu")
    shot(member, "7-committee-home")
    with member.expect_navigation():
        card.locator(f'[data-poll="{poll.uuid}"]').get_by_role("link", name="Kiểm phiếu").click()
    assert member.url == f"{live_server.url}{poll.get_absolute_url()}"
    expect(member.locator("h1")).to_have_text(POLL_QUESTION)
    member.context.close()
    delegate = fresh_page(browser, visited)
    login(delegate, live_server, "daibieu")
    card = delegate.locator(f'#my-conferences [data-conference="{conference.uuid}"]')
    expect(card).to_contain_text("Đại biểu")
    item = delegate.locator(f'#my-conferences [data-poll="{poll.uuid}"]')
    expect(item).to_contain_text(POLL_QUESTION)
    shot(delegate, "8-delegate-home")
    with delegate.expect_navigation():
        item.get_by_role("link", name="Bỏ phiếu").click()
    assert delegate.url == f"{live_server.url}" + reverse(
        "awards:vote_account", kwargs={"poll": poll.uuid}
    )
    expect(delegate.locator("[data-ballot] label")).to_have_count(3)
    shot(delegate, "9-delegate-ballot")
    delegate.context.close()

    # The supervisor: from home to the roll-up.
    supervisor = fresh_page(browser, visited)
    login(supervisor, live_server, "giamsat")
    shot(supervisor, "10-supervisor-home")
    with supervisor.expect_navigation():
        supervisor.locator("#overview").get_by_role("link", name="Tổng hợp các cụm thi đua").click()
    assert supervisor.url == f"{live_server.url}/reports/rollup/"
    expect(supervisor.locator("h1")).to_have_text("Tổng hợp các cụm thi đua")
    shot(supervisor, "11-supervisor-roll-up")
    supervisor.context.close()
    assert not [url for url in visited if "/admin/" in url]  # no step needed the Django admin
