"""Issue 10, "Done when", in Chromium on PostgreSQL with a Celery worker: the 2020 year-end
conference of Cluster No. 4 held from the slate to the summary, as a conference would. And
issue 11's: the flag poll's card ballots are sealed; each of the three committee members
collects their key share when it opens, two of them decrypt the cards after the close, and
every phone's tracker is in the list of trackers counted.

The committee reaches the conference from its home page and checks the 11 delegates in once (6
on cards, 5 on paper); a 7th card for the 6 card holders is refused. The flag, the certificates
for collectives and for individuals are voted from polls made from the slate in one action each;
the tie at the 4th seat of the collectives makes the runoff draft by itself, which the delegate
with an account (daibieu, Bùi Văn Thắng, moved from paper to his account for it) reaches from
his home page. The secretariat of 2020 (tayninh) reaches the proposal by links: it lists exactly
the winners with the minutes attached; the recompiled summary says the same.

The vote counts are those of the demo (awards/demo_conference.py), split between the cards and
the paper, so the documents read as the demo's do.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from awards.models import BallotCode, Issuance, KeyShare, NominationRound, Poll
from tests.e2e.test_awards_journeys import (  # noqa: F401 - conf and as_user are fixtures
    CARD_HOLDERS,
    ON_PAPER,
    as_user,
    certify_and_publish,
    check_in,
    check_in_here,
    click_post,
    collect_share,
    conf,
    decrypt,
    decrypt_together,
    make_cards,
    paper_count,
    poll_of,
    result_badges,
    vote,
)
from tests.e2e.test_home_journeys import poll_item
from tests.e2e.test_reports_journeys import JOB_TIMEOUT_MS, docx_text
from tests.reports.test_content import FOURTEEN

pytestmark = pytest.mark.django_db(transaction=True)

FLAG = "Cờ thi đua của Ban Tổ chức Trung ương"
MERIT = "Bằng khen của Trưởng Ban Tổ chức Trung ương"
DAIBIEU = "Bùi Văn Thắng"  # Đồng Nai; on paper, then on his account for the runoff
UNITS = ["Bà Rịa - Vũng Tàu", "Tiền Giang", "Long An", "Đồng Nai", "Bình Dương"]

# The cards' ballots and the paper count of each poll (the demo's totals: awards.demo_conference).
FLAG_CARDS = [["Lâm Đồng", "Tây Ninh"]] * 4 + [["Lâm Đồng"], ["Lâm Đồng", "Bà Rịa - Vũng Tàu"]]
FLAG_PAPER = {"Lâm Đồng": 4, "Tây Ninh": 5, "Bà Rịa - Vũng Tàu": 1}  # 10, 9, 2 of 11
UNIT_CARDS = [
    ["Bà Rịa - Vũng Tàu", "Tiền Giang", "Long An", "Đồng Nai"],
    ["Bà Rịa - Vũng Tàu", "Tiền Giang", "Long An", "Bình Dương"],
    ["Bà Rịa - Vũng Tàu", "Tiền Giang", "Long An", "Đồng Nai"],
    ["Bà Rịa - Vũng Tàu", "Tiền Giang", "Long An", "Bình Dương"],
    ["Bà Rịa - Vũng Tàu", "Tiền Giang", "Đồng Nai", "Bình Dương"],
    ["Bà Rịa - Vũng Tàu", "Long An", "Đồng Nai", "Bình Dương"],
]
UNIT_PAPER = dict(zip(UNITS, [4, 4, 3, 3, 3], strict=True))  # 10, 9, 8, 7, 7 of 11
# Individuals: every card for the first 14 of the slate; 5 on paper, 1 of them invalid.
PEOPLE_PAPER = [4, 4, 4, 4, 3, 3, 3, 3, 3, 2, 2, 2, 2, 1, 4, 3]  # 10 … 7, then 4 and 3
RUNOFF_CARDS = [["Đồng Nai"]] * 4 + [["Bình Dương"]] * 2
RUNOFF_PAPER = {"Đồng Nai": 2, "Bình Dương": 2}  # + daibieu for Đồng Nai: 7 to 4


@pytest.fixture
def worker_media(celery_worker_process, settings):
    """The live server (this process) serves the files the worker writes."""
    settings.MEDIA_ROOT = celery_worker_process[0].media_root


def test_the_2020_conference_from_the_slate_to_the_summary(
    conf,  # noqa: F811
    worker_media,
    as_user,  # noqa: F811
    live_server,
    shot,
):
    conference = conf.conference
    url = live_server.url
    check_in_url = reverse("awards:conference_check_in", kwargs={"conference": conference.uuid})
    polls_url = reverse("awards:conference_polls", kwargs={"conference": conference.uuid})

    # 1. The committee: home, the conference, its check-in; 6 on cards, 5 on paper, once.
    committee = as_user("kiemphieu")
    card = committee.locator(f'#my-conferences [data-conference="{conference.uuid}"]')
    expect(card.locator("h3")).to_have_text("Hội nghị tổng kết công tác thi đua năm 2020")
    expect(card).to_contain_text("Ban kiểm phiếu")
    shot(committee, "01-committee-home")
    with committee.expect_navigation():
        card.locator(f'a[href="{conference.get_absolute_url()}"]').click()
    with committee.expect_navigation():
        committee.locator(f'main a[href="{check_in_url}"]').click()
    check_in_here(
        committee,
        dict.fromkeys(CARD_HOLDERS, Issuance.CARD) | dict.fromkeys(ON_PAPER, Issuance.PAPER),
    )
    expect(committee.locator("#present-count")).to_have_text("11/11")
    expect(committee.locator("#by-channel")).to_have_text(
        "Phiếu giấy: 5 · Thẻ mã bỏ phiếu dùng một lần: 6 · Tài khoản đăng nhập: 0"
    )
    shot(committee, "02-checked-in")

    # 2. The three polls from the slate, one action each, on the conference's polls page.
    def from_slate(award_key: str, question: str, seats: int, on_slate: int) -> str:
        award_type = conf.data["award_types"][award_key]
        committee.goto(f"{url}{polls_url}")
        committee.locator("#from-slate select").select_option(
            label=f"{award_type.name} ({award_type.get_recipient_display()})"
        )
        with committee.expect_navigation():
            committee.locator("#from-slate button").click()
        poll = Poll.objects.get(award_type=award_type, runoff_of__isnull=True)
        assert committee.url == f"{url}{poll.get_absolute_url()}"
        assert (poll.seats, poll.options.count(), poll.status) == (
            seats,
            on_slate,
            Poll.Status.DRAFT,
        )
        expect(committee.locator("h1")).to_have_text(question)
        return committee.url

    flag_url = from_slate("flag", f"Đề nghị tặng {FLAG}", 2, 3)
    units_url = from_slate("merit_units", f"Đề nghị tặng {MERIT} cho tập thể", 4, 5)
    people_url = from_slate("merit_people", f"Đề nghị tặng {MERIT} cho cá nhân", 14, 16)
    committee.goto(f"{url}{polls_url}")
    expect(committee.locator("main .list-group").first.locator("li")).to_have_count(3)
    shot(committee, "03-polls-from-the-slate")

    phones = [as_user("", phone=True) for _ in CARD_HOLDERS]  # each card holder's phone
    second = as_user("kiemphieu2")

    def cast_cards(poll_url: str, ballots: list[list[str]], step: str) -> list[str]:
        """The cards voted on the phones; returns the trackers the phones were shown."""
        committee.goto(poll_url)
        codes = make_cards(committee, len(ballots), shot, f"{step}-cards")
        vote_url = f"{url}{reverse('awards:vote', kwargs={'poll': poll_of(poll_url).uuid})}"
        trackers = []
        for phone, code, choices in zip(phones, codes, ballots, strict=True):
            phone.goto(vote_url)
            vote(phone, vote_url, choices, code=code)
            trackers.append(phone.locator("[data-receipt]").inner_text().strip())
        shot(phones[0], f"{step}-phone-receipt")
        committee.reload()
        click_post(committee, "/close/")
        return trackers

    def count_twice(poll_url, *, valid, invalid=0, reasons=None, votes, decrypted=False) -> None:
        if not decrypted:
            decrypt_together([committee, second], poll_url)
        for member in (committee, second):
            paper_count(
                member,
                poll_url,
                issued=5,
                valid=valid,
                invalid=invalid,
                votes=votes,
                reasons=reasons,
            )
        click_post(second, "/counted/")
        assert poll_of(poll_url).status == Poll.Status.COUNTED

    def elected(page) -> list[str]:
        return [
            row.locator("th").inner_text().strip()
            for row in page.locator("#count-h ~ .table-responsive tbody tr").all()
            if row.locator(".text-bg-success").count()
        ]

    # 3. The flag: opened, each of the 3 members collects their key share on their own screen;
    # a 7th card for the 6 card holders is refused, 6 cards voted on the phones; after the close
    # two of the three shares decrypt the cards (a mistyped one is refused by its holder's
    # name); the paper entered twice, counted, certified by the 3 members, published.
    committee.goto(flag_url)
    click_post(committee, "/open/")
    expect(committee.locator("#key-shares")).to_contain_text(
        "chỉ được giải mã khi 2 trong 3 thành viên Ban Kiểm phiếu cùng nhập mảnh khóa"
    )
    third = as_user("kiemphieu3")
    shares = [
        collect_share(committee, flag_url, shot, "05a-key-share"),
        collect_share(second, flag_url),
        collect_share(third, flag_url),
    ]
    assert len(set(shares)) == 3
    committee.goto(flag_url)
    expect(committee.locator("#share-holders .text-bg-success")).to_have_count(3)
    expect(committee.locator("#ballot-figures")).to_contain_text("0 / 6")
    committee.fill("#id_number", "7")
    with committee.context.expect_page() as popup_info:
        committee.locator('form[action$="/cards/"] button').click()
    refused = popup_info.value
    refused.wait_for_load_state()
    expect(refused.locator(".invalid-feedback")).to_contain_text(
        f"Đã phát 7 thẻ cho “Đề nghị tặng {FLAG}”, nhưng chỉ có 6"
    )
    shot(refused, "04-seventh-card-refused")
    refused.close()
    assert not BallotCode.objects.exists()
    flag_trackers = cast_cards(flag_url, FLAG_CARDS, "05-flag")
    expect(committee.locator("#count-h")).to_have_count(0)  # nothing before every channel
    flag = poll_of(flag_url)
    # The first letter changed (the last one's low bits are padding: changing it may not).
    number, letters = shares[2].split("-", 1)
    mistyped = f"{number}-{'A' if letters[0] != 'A' else 'B'}{letters[1:]}"
    third_holder = KeyShare.objects.get(poll=flag, number=int(shares[2].split("-")[0])).holder
    third.goto(flag_url)
    with third.expect_navigation():
        third.locator("#decrypt-link").click()
    third.locator("textarea[name=shares]").fill(f"{shares[0]}\n{mistyped}")
    with third.expect_navigation():
        third.locator("main form button.btn-primary").click()
    expect(third.locator(".invalid-feedback")).to_contain_text(
        f"Mảnh khóa của {third_holder.person.full_name} (số {shares[2].split('-')[0]}) không đúng"
    )
    shot(third, "05b-wrong-share")
    assert poll_of(flag_url).electronic_counted_at is None
    decrypt(third, flag_url, [shares[0], shares[2]])
    count_twice(flag_url, valid=5, votes=FLAG_PAPER, decrypted=True)
    second.goto(flag_url)
    listed = second.locator("#trackers li").all_text_contents()
    assert sorted(listed) == sorted(flag_trackers) and len(listed) == 6
    assert {n: v for n, (v, _r) in result_badges(second).items()} == {
        "Lâm Đồng": "10",
        "Tây Ninh": "9",
        "Bà Rịa - Vũng Tàu": "2",
    }
    assert elected(second) == ["Lâm Đồng", "Tây Ninh"]
    certify_and_publish(as_user, flag_url, shot, "06-flag-published")

    # 4. The collectives: a tie at the 4th seat; the runoff draft exists by itself.
    committee.goto(units_url)
    click_post(committee, "/open/")
    cast_cards(units_url, UNIT_CARDS, "07-units")
    count_twice(units_url, valid=5, votes=UNIT_PAPER)
    results = result_badges(second)
    assert {n: v for n, (v, _r) in results.items()} == dict(
        zip(UNITS, ["10", "9", "8", "7", "7"], strict=True)
    )
    assert elected(second) == ["Bà Rịa - Vũng Tàu", "Tiền Giang", "Long An"]
    assert results["Đồng Nai"][1] == results["Bình Dương"][1] == "bằng phiếu ở suất cuối"
    shot(second, "08-units-tie")
    certify_and_publish(as_user, units_url)
    runoff = Poll.objects.get(runoff_of=poll_of(units_url))
    assert (runoff.status, runoff.seats) == (Poll.Status.DRAFT, 1)
    assert list(runoff.options.values_list("label", flat=True)) == ["Đồng Nai", "Bình Dương"]
    committee.goto(f"{url}{polls_url}")
    runoff_item = committee.locator("main .list-group li").filter(
        has=committee.locator(".badge.text-bg-warning")
    )
    expect(runoff_item).to_have_count(1)
    expect(runoff_item.locator(".badge.text-bg-warning")).to_have_text("bầu lại")
    with committee.expect_navigation():
        runoff_item.locator(f'a[href="{runoff.get_absolute_url()}"]').click()
    runoff_url = committee.url
    expect(committee.locator("#runoff-badge")).to_have_text("bầu lại")
    shot(committee, "09-runoff-draft")

    # 5. The individuals: 14 elected of 16 (the attendance is the same: 6 cards, 5 paper).
    names = list(poll_of(people_url).options.order_by("position").values_list("label", flat=True))
    assert len(names) == 16
    committee.goto(people_url)
    click_post(committee, "/open/")
    cast_cards(people_url, [names[:14]] * 6, "10-people")
    count_twice(
        people_url,
        valid=4,
        invalid=1,
        reasons={Poll.MARKED: 1},
        votes=dict(zip(names, PEOPLE_PAPER, strict=True)),
    )
    assert elected(second) == names[:14]
    results = result_badges(second)
    assert [results[n][0] for n in names] == [
        str(6 * (i < 14) + n) for i, n in enumerate(PEOPLE_PAPER)
    ]
    shot(second, "11-people-counted")
    certify_and_publish(as_user, people_url)

    # 6 and 7. The runoff: daibieu moves from paper to his account; he reaches the open runoff
    # from his home page, votes, and is told he has voted.
    committee.goto(runoff_url)
    check_in(committee, {DAIBIEU: Issuance.ACCOUNT})
    click_post(committee, "/open/")
    assert Issuance.objects.filter(poll=runoff, channel=Issuance.PAPER).count() == 4
    thang = as_user("daibieu", phone=True)
    item = poll_item(thang, runoff)
    expect(item).to_contain_text(f"Đề nghị tặng {MERIT}")
    expect(item.locator("[data-runoff]")).to_have_text("bầu lại")
    shot(thang, "12-delegate-home")
    with thang.expect_navigation():
        item.get_by_role("link", name="Bỏ phiếu").click()
    assert thang.url == f"{url}{reverse('awards:vote_account', kwargs={'poll': runoff.uuid})}"
    vote(thang, "", ["Đồng Nai"])
    thang.goto(f"{url}/")
    expect(poll_item(thang, runoff).locator("[data-voted]")).to_have_text("Đã bỏ phiếu")
    expect(poll_item(thang, runoff).get_by_role("link", name="Bỏ phiếu")).to_have_count(0)
    shot(thang, "13-delegate-voted")
    committee.goto(runoff_url)
    codes = make_cards(committee, 6, shot, "14-runoff-cards")
    vote_url = f"{url}{reverse('awards:vote', kwargs={'poll': runoff.uuid})}"
    for phone, code, choices in zip(phones, codes, RUNOFF_CARDS, strict=True):
        phone.goto(vote_url)
        vote(phone, vote_url, choices, code=code)
    committee.reload()
    click_post(committee, "/close/")
    decrypt_together([committee, second], runoff_url)
    for member in (committee, second):
        paper_count(member, runoff_url, issued=4, valid=4, votes=RUNOFF_PAPER)
    click_post(second, "/counted/")
    assert {n: v for n, (v, _r) in result_badges(second).items()} == {
        "Đồng Nai": "7",
        "Bình Dương": "4",
    }
    assert elected(second) == ["Đồng Nai"]
    certify_and_publish(as_user, runoff_url, shot, "15-runoff-published")
    for phone in phones:
        phone.context.close()

    # 8. The secretariat of 2020 reaches the proposal from the year page, the conference page
    # and the nomination round's page; it lists exactly the winners, with the minutes.
    nomination_round = NominationRound.objects.get(cluster_year=conference.cluster_year)
    proposal_url = reverse("awards:proposal", kwargs={"round": nomination_round.uuid})
    cluster = conference.cluster_year.cluster
    secretariat = as_user("tayninh")
    for start in [
        reverse("clusters:year_detail", kwargs={"cluster": cluster.uuid, "year": 2020}),
        conference.get_absolute_url(),
        reverse("awards:nominations", kwargs={"cluster": cluster.uuid, "year": 2020}),
    ]:
        secretariat.goto(f"{url}{start}")
        with secretariat.expect_navigation():
            secretariat.locator(f'main a[href="{proposal_url}"]').click()
        assert secretariat.url == f"{url}{proposal_url}"
    expect(secretariat.locator("h1")).to_contain_text("Tờ trình")
    expect(secretariat.locator("#vote-missing")).to_have_count(0)
    sections = {
        section.locator("h2").inner_text(): [
            " ".join(label.inner_text().split())
            for label in section.locator("label.fw-semibold").all()
        ]
        for section in secretariat.locator("form section:has(label.fw-semibold)").all()
    }
    share = {10: "90,91%", 9: "81,82%", 8: "72,73%", 7: "63,64%"}  # of the 11 ballots issued
    people = [c.person for c in conf.data["candidates_2020"]["merit_people"]]
    assert sections == {
        f"{FLAG} (đơn vị)": ["Lâm Đồng 10 phiếu, 90,91%", "Tây Ninh 9 phiếu, 81,82%"],
        f"{MERIT} (đơn vị)": [
            "Bà Rịa - Vũng Tàu 10 phiếu, 90,91%",
            "Tiền Giang 9 phiếu, 81,82%",
            "Long An 8 phiếu, 72,73%",
            "Đồng Nai 7 phiếu, 63,64% (bầu lại)",
        ],
        f"{MERIT} (cá nhân)": [
            f"{p.full_name} – {p.unit.short_name} {6 + n} phiếu, {share[6 + n]}"
            for p, n in zip(people[:14], PEOPLE_PAPER, strict=False)
        ],
    }
    minutes = secretariat.locator("#attached-minutes li[data-minutes]")
    expect(minutes).to_have_count(4)
    for poll_url in (flag_url, units_url, people_url, runoff_url):
        poll = poll_of(poll_url)
        for kind in ("docx", "pdf"):
            href = reverse(f"awards:poll_minutes_{kind}", kwargs={"poll": poll.uuid})
            expect(minutes.locator(f'a[href="{href}"]')).to_have_count(1)
    expect(minutes.nth(3)).to_contain_text(f"Đề nghị tặng {MERIT} cho tập thể (bầu lại)")
    shot(secretariat, "16-proposal")
    with secretariat.expect_download() as info:
        secretariat.click(
            f'a[href="{reverse("awards:proposal_docx", kwargs={"round": nomination_round.uuid})}"]'
        )
    text = docx_text(info.value.path())
    lines = text.split("\n")
    flag_at = lines.index(f"I. {FLAG}: 2 tập thể")
    assert lines[flag_at : flag_at + 3] == [
        f"I. {FLAG}: 2 tập thể",
        "1. Ban Tổ chức Tỉnh ủy Lâm Đồng: 10 phiếu, đạt 90,91%",
        "2. Ban Tổ chức Tỉnh ủy Tây Ninh: 9 phiếu, đạt 81,82%",
    ]
    units_at = lines.index(f"II. {MERIT}: 4 tập thể")
    assert lines[units_at : units_at + 5] == [
        f"II. {MERIT}: 4 tập thể",
        "1. Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu: 10 phiếu, đạt 90,91%",
        "2. Ban Tổ chức Tỉnh ủy Tiền Giang: 9 phiếu, đạt 81,82%",
        "3. Ban Tổ chức Tỉnh ủy Long An: 8 phiếu, đạt 72,73%",
        "4. Ban Tổ chức Tỉnh ủy Đồng Nai: 7 phiếu, đạt 63,64%",
    ]
    people_at = lines.index(f"III. {MERIT}: 14 cá nhân")
    assert [line.split(":")[0] for line in lines[people_at + 1 : people_at + 16]] == [
        f"{n}. {line}" for n, line in enumerate(FOURTEEN, 1)
    ] + ["Hồ sơ kèm theo"]
    attached = lines.index("Hồ sơ kèm theo:")
    where = "(Hội nghị tổng kết công tác thi đua năm 2020, 04/12/2020)"
    assert lines[attached + 1 : attached + 5] == [
        f"- Biên bản kiểm phiếu: Đề nghị tặng {FLAG} {where}",
        f"- Biên bản kiểm phiếu: Đề nghị tặng {MERIT} cho tập thể {where}",
        f"- Biên bản kiểm phiếu: Đề nghị tặng {MERIT} cho cá nhân {where}",
        f"- Biên bản kiểm phiếu: Đề nghị tặng {MERIT} cho tập thể (bầu lại) {where}",
    ]

    # 9. The summary recompiled by the worker says the same winners.
    secretariat.goto(
        f"{url}{reverse('clusters:year_detail', kwargs={'cluster': cluster.uuid, 'year': 2020})}"
    )
    secretariat.get_by_role("link", name="Báo cáo của các đơn vị và báo cáo tổng kết").click()
    secretariat.click("#compile-summary")
    row = secretariat.locator("#summary-jobs li").first
    expect(row).to_have_attribute("data-job-status", "done", timeout=JOB_TIMEOUT_MS)
    # What the summary says is missing: no vote result, only a unit report not reviewed.
    expect(row.locator(".alert-warning li")).to_have_text(
        ["Báo cáo của 1 đơn vị chưa được duyệt: Bình Phước."]
    )
    shot(secretariat, "17-summary-compiled")
    with secretariat.expect_download() as info:
        row.get_by_role("link", name="Word", exact=True).click()
    summary = docx_text(info.value.path())
    paragraphs = summary.split("\n")
    flags = paragraphs.index(f"1. {FLAG}: 2 tập thể")
    assert paragraphs[flags + 1 : flags + 3] == [
        "1. Ban Tổ chức Tỉnh ủy Lâm Đồng",
        "2. Ban Tổ chức Tỉnh ủy Tây Ninh",
    ]
    units = paragraphs.index(f"2. {MERIT}: 4 tập thể")
    assert paragraphs[units + 1 : units + 5] == [
        "1. Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu",
        "2. Ban Tổ chức Tỉnh ủy Tiền Giang",
        "3. Ban Tổ chức Tỉnh ủy Long An",
        "4. Ban Tổ chức Tỉnh ủy Đồng Nai",
    ]
    people = paragraphs.index(f"3. {MERIT}: 14 cá nhân")
    assert paragraphs[people + 1 : people + 15] == [
        f"{n}. {name}" for n, name in enumerate(FOURTEEN, 1)
    ]
    assert "chưa có kết quả bỏ phiếu" not in summary
