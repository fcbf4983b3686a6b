"""Issue 10, part A in Chromium: the counting committee makes the flag poll from the final slate
in one action on the conference's polls page, a slate poll for an award type with no slate is
refused at the field, and the secretariat's proposal page says which vote is still missing."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from awards.models import AwardType, NominationRound, Poll
from clusters.management.commands.load_demo import run_loaders
from clusters.models import ClusterYear
from tests.demo import loaders_before_the_2020_conference

pytestmark = pytest.mark.django_db(transaction=True)

FLAG = "Cờ thi đua của Ban Tổ chức Trung ương"


@pytest.fixture
def year_2020(transactional_db):
    data, _reports = run_loaders(loaders_before_the_2020_conference())
    year = data["years"][2020]
    # the conference takes place before the year is closed
    ClusterYear.objects.filter(pk=year.pk).update(status=ClusterYear.Status.YEAR_END)
    return data


def test_a_poll_from_the_slate_and_the_proposal_waiting_for_it(
    year_2020, browser, live_server, login, shot
):
    conference = year_2020["conferences"]["2020_year_end"]
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, live_server, "kiemphieu")
    polls_url = reverse("awards:conference_polls", kwargs={"conference": conference.uuid})
    page.goto(f"{live_server.url}{polls_url}")
    expect(page.get_by_role("heading", name="Bỏ phiếu theo danh sách bỏ phiếu")).to_be_visible()

    # an award type with nobody on the slate: refused at the field, nothing stored
    empty = AwardType.objects.create(
        cluster=conference.cluster_year.cluster, name="Giấy khen thử", recipient="unit"
    )
    page.reload()
    page.locator("#from-slate select").select_option(label="Giấy khen thử (đơn vị)")
    with page.expect_navigation():
        page.locator("#from-slate button").click()
    expect(page.locator("#from-slate")).to_contain_text(
        "Giấy khen thử không có ai trong danh sách bỏ phiếu."
    )
    assert not Poll.objects.filter(award_type=empty).exists()
    shot(page, "1-no-slate")

    page.locator("#from-slate select").select_option(label=f"{FLAG} (đơn vị)")
    with page.expect_navigation():
        page.locator("#from-slate button").click()
    poll = Poll.objects.get(award_type__name=FLAG)
    assert page.url.endswith(poll.get_absolute_url())
    assert (poll.seats, poll.status) == (2, Poll.Status.DRAFT)
    assert list(poll.options.values_list("label", flat=True)) == [
        "Lâm Đồng",
        "Tây Ninh",
        "Bà Rịa - Vũng Tàu",
    ]
    expect(page.locator("h1")).to_contain_text(f"Đề nghị tặng {FLAG}")
    shot(page, "2-flag-draft")

    secretary = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    sec = secretary.new_page()
    login(sec, live_server, "tayninh")
    nomination_round = NominationRound.objects.get(cluster_year=conference.cluster_year)
    sec.goto(
        f"{live_server.url}{reverse('awards:proposal', kwargs={'round': nomination_round.uuid})}"
    )
    expect(sec.locator("#vote-missing")).to_contain_text(
        f"kết quả “Đề nghị tặng {FLAG}” chưa được công bố."
    )
    shot(sec, "3-proposal-waiting")
    context.close()
    secretary.close()
