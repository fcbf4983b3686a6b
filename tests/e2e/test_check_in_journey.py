"""The committee checks the 11 delegates of the 2020 conference in once (5 on paper, 6 on
cards), opens the flag poll, and is refused a 7th card for the 6 card holders; a delegate who
leaves is checked out and the next poll gives him no ballot."""

from playwright.sync_api import expect

from awards.models import BallotCode, Issuance, Poll
from tests.e2e.test_awards_journeys import (  # noqa: F401 - conf and as_user are fixtures
    CARD_HOLDERS,
    FLAG_QUESTION,
    ON_PAPER,
    as_user,
    check_in,
    click_post,
    conf,
    create_poll,
    poll_of,
)

UNITS = ["Ban Tổ chức Tỉnh ủy Lâm Đồng", "Ban Tổ chức Tỉnh ủy Tây Ninh"]


def test_check_in_once_and_no_7th_card_for_6_holders(conf, as_user, live_server, shot):  # noqa: F811
    committee = as_user("kiemphieu")
    url = create_poll(
        committee,
        live_server,
        conf.conference,
        question=FLAG_QUESTION,
        kind=Poll.CHOOSE,
        seats=2,
        units=UNITS,
    )
    check_in(committee, dict.fromkeys(CARD_HOLDERS, "card") | dict.fromkeys(ON_PAPER, "paper"))
    committee.locator('#ballots a[href$="/check-in/"]').click()
    expect(committee.locator("#present-count")).to_have_text("11/11")
    shot(committee, "1-checked-in")
    committee.goto(url)
    click_post(committee, "/open/")
    expect(committee.locator("#ballot-figures")).to_contain_text("0 / 6")

    committee.fill("#id_number", "7")
    with committee.context.expect_page() as popup_info:
        committee.locator('form[action$="/cards/"] button').click()
    refused = popup_info.value
    refused.wait_for_load_state()
    expect(refused.locator(".invalid-feedback")).to_contain_text(
        "Đã phát 7 thẻ cho “Đề nghị tặng Cờ thi đua của Ban Tổ chức Trung ương”, nhưng chỉ có 6"
    )
    shot(refused, "2-seventh-card-refused")
    assert not BallotCode.objects.exists()
    refused.fill("#id_number", "6")
    refused.locator('main form[action$="/cards/"] button.btn-primary').click()
    expect(refused.locator(".app-card-code")).to_have_count(6)
    refused.close()

    # A paper delegate leaves; the next poll gives ballots to the 10 who stay.
    committee.locator('#ballots a[href$="/check-in/"]').click()
    row = committee.locator("#roster li").filter(has_text=ON_PAPER[-1])
    with committee.expect_navigation():
        row.locator('button[value="check_out"]').click()
    expect(committee.locator("#present-count")).to_have_text("10/11")
    shot(committee, "3-one-left")
    second = create_poll(
        committee,
        live_server,
        conf.conference,
        question="Câu hỏi thứ hai",
        kind=Poll.CHOOSE,
        seats=1,
        units=UNITS,
    )
    click_post(committee, "/open/")
    poll = poll_of(second)
    assert Issuance.objects.filter(poll=poll).count() == 10
    assert Issuance.objects.filter(poll=poll, channel=Issuance.PAPER).count() == 4
    assert Issuance.objects.filter(poll=poll_of(url)).count() == 11
