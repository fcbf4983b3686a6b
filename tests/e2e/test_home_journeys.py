"""Issue 10, §5 and §3 in Chromium, on the demo data of Cluster No. 4: the counting committee and
a delegate find their conference and its poll from the home page; the delegate votes with his
account on his phone and then sees "Đã bỏ phiếu"; the secretariat and the supervisor reach the
award proposal (Tờ trình) by links.

The poll is set up and opened by the services (the journeys of issue 4 click that through); the
2021 year-end conference of the demo has the committee (kiemphieu) and the delegate (daibieu).
"""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from awards.models import Issuance, NominationRound, Poll, PollOption, SealedBallot
from awards.services import polls
from clusters.management.commands.load_demo import run_loaders

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION = "Đề nghị tặng Cờ thi đua của Ban Tổ chức Trung ương"
DELEGATE = "Bùi Văn Thắng"  # daibieu, Đồng Nai


@pytest.fixture
def world(transactional_db):
    data, _reports = run_loaders(settings.DEMO_LOADERS)
    conference = data["conferences"]["2021_year_end"]
    poll = Poll.objects.create(conference=conference, question=QUESTION, seats=2)
    for i, name in enumerate(["Lâm Đồng", "Tây Ninh", "Bà Rịa - Vũng Tàu"]):
        unit = data["units"][name]
        PollOption.objects.create(poll=poll, label=unit.short_name, unit=unit, position=i)
    polls.open_poll(poll=poll)
    # The 2021 round, so that the 2021 secretariat has a proposal to reach.
    round_2021 = NominationRound.objects.create(cluster_year=data["years"][2021])
    return data, conference, poll, round_2021


def new_page(browser, *, phone=False) -> Page:
    viewport = {"width": 360, "height": 740} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport=viewport,
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(30_000)
    return context.new_page()


def poll_item(page: Page, poll: Poll):
    return page.locator(f'#my-conferences [data-poll="{poll.uuid}"]')


def test_committee_and_delegate_find_their_poll_from_home(browser, live_server, login, shot, world):
    _data, conference, poll, _round = world

    # The committee member: home, the conference, the poll under way, "Kiểm phiếu".
    committee = new_page(browser)
    login(committee, live_server, "kiemphieu")
    card = committee.locator(f'#my-conferences [data-conference="{conference.uuid}"]')
    expect(card).to_contain_text("Hội nghị tổng kết công tác thi đua năm 2021")
    expect(card).to_contain_text("Ban kiểm phiếu")
    expect(committee.locator("main")).not_to_contain_text("chưa được gắn với đơn vị")
    expect(poll_item(committee, poll)).to_contain_text(QUESTION)
    shot(committee, "1-committee-home")
    with committee.expect_navigation():
        poll_item(committee, poll).get_by_role("link", name="Kiểm phiếu").click()
    assert committee.url == f"{live_server.url}{poll.get_absolute_url()}"
    expect(committee.locator("h1")).to_have_text(QUESTION)

    # The delegate on his phone: not checked in yet, so no button.
    phone = new_page(browser, phone=True)
    login(phone, live_server, "daibieu")
    expect(phone.locator(f'[data-conference="{conference.uuid}"]')).to_contain_text("Đại biểu")
    item = poll_item(phone, poll)
    expect(item).to_contain_text("Bạn chưa nhận phiếu")
    expect(item.get_by_role("link", name="Bỏ phiếu")).to_have_count(0)
    shot(phone, "2-delegate-not-checked-in")

    # The committee checks him in on his account, on the conference's check-in page: the poll
    # under way hands him its ballot at once.
    with committee.expect_navigation():
        committee.locator('#ballots a[href$="/check-in/"]').click()
    row = committee.locator("#roster li").filter(has_text=DELEGATE)
    with committee.expect_navigation():
        row.locator(f'button[name="channel"][value="{Issuance.ACCOUNT}"]').click()
    assert Issuance.objects.get(poll=poll, person__full_name=DELEGATE).channel == Issuance.ACCOUNT

    # Home again: "Bỏ phiếu"; he votes and confirms.
    phone.reload()
    shot(phone, "3-delegate-vote-button")
    with phone.expect_navigation():
        poll_item(phone, poll).get_by_role("link", name="Bỏ phiếu").click()
    assert phone.url.endswith(reverse("awards:vote_account", kwargs={"poll": poll.uuid}))
    for label in ("Lâm Đồng", "Tây Ninh"):
        phone.locator("[data-ballot] label").filter(has_text=label).locator("input").check()
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").first.click()
    with phone.expect_navigation():
        phone.click('button[name="step"][value="cast"]')
    expect(phone.locator("[data-receipt]")).to_be_visible()
    assert SealedBallot.objects.filter(poll=poll).count() == 1

    # Home: "Đã bỏ phiếu", and no button to vote again.
    phone.goto(f"{live_server.url}/")
    item = poll_item(phone, poll)
    expect(item.locator("[data-voted]")).to_have_text("Đã bỏ phiếu")
    expect(item.get_by_role("link", name="Bỏ phiếu")).to_have_count(0)
    # Nothing wider than the phone's screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    shot(phone, "4-delegate-voted")
    phone.context.close()
    committee.context.close()


def test_the_secretariat_and_the_supervisor_reach_the_proposal_by_links(
    browser, live_server, login, shot, world
):
    data, conference, _poll, round_2021 = world
    proposal_2021 = reverse("awards:proposal", kwargs={"round": round_2021.uuid})
    cluster = data["cluster"]

    # The 2021 secretariat: from the year page, the conference page and the nominations page.
    secretariat = new_page(browser)
    login(secretariat, live_server, "brvt")
    year_page = reverse("clusters:year_detail", kwargs={"cluster": cluster.uuid, "year": 2021})
    starts = [
        year_page,
        reverse("clusters:conference_detail", kwargs={"conference": conference.uuid}),
        reverse("awards:nominations", kwargs={"cluster": cluster.uuid, "year": 2021}),
    ]
    for i, start in enumerate(starts, start=1):
        secretariat.goto(f"{live_server.url}{start}")
        link = secretariat.locator(f'main a[href="{proposal_2021}"]')
        expect(link).to_have_text("Tờ trình đề nghị khen thưởng")
        if i == 1:
            shot(secretariat, "1-secretariat-year-page")
        with secretariat.expect_navigation():
            link.click()
        assert secretariat.url == f"{live_server.url}{proposal_2021}"
        expect(secretariat.locator("h1")).to_contain_text("Tờ trình")
    shot(secretariat, "2-secretariat-proposal")
    secretariat.context.close()

    # The supervisor: the proposal of 2020 (a closed year) from the 2020 year page.
    proposal_2020 = reverse("awards:proposal", kwargs={"round": data["nomination_round_2020"].uuid})
    supervisor = new_page(browser)
    login(supervisor, live_server, "giamsat")
    supervisor.goto(
        f"{live_server.url}"
        + reverse("clusters:year_detail", kwargs={"cluster": cluster.uuid, "year": 2020})
    )
    with supervisor.expect_navigation():
        supervisor.locator(f'main a[href="{proposal_2020}"]').click()
    expect(supervisor.locator("h1")).to_contain_text("Tờ trình")
    shot(supervisor, "3-supervisor-proposal-2020")

    # A unit officer sees no link to it.
    officer = new_page(browser)
    login(officer, live_server, "lamdong")
    officer.goto(f"{live_server.url}{year_page}")
    expect(officer.locator(f'a[href="{proposal_2021}"]')).to_have_count(0)
    supervisor.context.close()
    officer.context.close()
