"""The papers printed before a vote: a poll's paper ballots (A5 or A4, the names in ballot
order, how to mark, the committee's stamp, one page per paper ballot to issue) and the
delegates' sign-in sheet (danh sách đại biểu nhận phiếu); who is refused."""

import subprocess
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import AwardType, Issuance, Poll
from awards.printables import ballot_of, sign_in_sheet_of
from awards.services import attendance, committee, polls
from tests.awards.factories import (
    AwardTypeFactory,
    PollFactory,
    PollOptionFactory,
    check_in,
    make_counted_poll,
)
from tests.clusters.factories import (
    ConferenceFactory,
    PersonFactory,
    UserFactory,
    build_world,
)
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db

STAMP = "Dấu của Ban Kiểm phiếu"
A5_SIZE = "419.528 x 595.276 pts"  # 148 x 210 mm
A4_SIZE = "595.276 x 841.89 pts (A4)"  # 210 x 297 mm
# Delegates by pk, and the order the sheet lists them in (by given name: a < á < â < b < … < đ).
NAMES = [
    "Trần Thị Ánh",
    "Hoàng Văn Đức",
    "Nguyễn Văn An",
    "Lê Văn Bình",
    "Phạm Thị Ân",
    "Đỗ Văn Dũng",
]
SORTED = [
    "Nguyễn Văn An",
    "Trần Thị Ánh",
    "Phạm Thị Ân",
    "Lê Văn Bình",
    "Đỗ Văn Dũng",
    "Hoàng Văn Đức",
]
CHANNELS = ["Phiếu giấy", "Thẻ QR", "", "", "Phiếu giấy", "Tài khoản"]  # of SORTED, on the sheet


@dataclass
class Printing:
    world: object
    poll: Poll
    delegates: list
    members: list  # users of the counting committee
    labels: list[str]  # the names on the ballot, in ballot order


def make_printing(n_options: int = 5, *, n_delegates: int = 6, kind: str = Poll.CHOOSE):
    """The 2021 conference of an 11-unit cluster: delegates named NAMES (then more), two
    committee members with accounts, and a draft poll whose ballot order is the reverse of the
    order its options were made in."""
    world = build_world(n_units=max(n_options, 11))
    conference = ConferenceFactory(cluster_year=world.year)
    names = NAMES + [f"Vũ Văn Xuân {i}" for i in range(n_delegates - len(NAMES))]
    delegates = [
        PersonFactory(full_name=name, position="Chuyên viên", unit=world.units[i % 11])
        for i, name in enumerate(names[:n_delegates])
    ]
    conference.delegates.set(delegates)
    members = [PersonFactory(unit=world.units[i], user=UserFactory()) for i in (5, 6)]
    conference.counting_committee.set(members)
    poll = PollFactory(
        conference=conference,
        question="Đề nghị tặng Cờ thi đua của Ban Tổ chức Trung ương",
        kind=kind,
        seats=2,
    )
    units = world.units[:n_options]
    for i, unit in enumerate(units):
        PollOptionFactory(poll=poll, label=unit.short_name, unit=unit, position=n_options - i)
    labels = [unit.short_name for unit in reversed(units)]
    return Printing(world, poll, delegates, [m.user for m in members], labels)


def run(*args) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdf_info(tmp_path, content: bytes) -> tuple[int, str, list[str]]:
    """(pages, the size of the first page, the text of each page in reading order, cell by
    cell and column by column, with spaces folded)."""
    pdf = tmp_path / "printed.pdf"
    pdf.write_bytes(content)
    info = dict(line.split(":", 1) for line in run("pdfinfo", str(pdf)).splitlines() if ":" in line)
    pages = int(info["Pages"])
    texts = [
        " ".join(run("pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-").split())
        for n in range(1, pages + 1)
    ]
    return pages, info["Page size"].strip(), texts


def ballots_url(poll, query: str = "") -> str:
    return reverse("awards:poll_ballots_pdf", kwargs={"poll": poll.uuid}) + query


def sheet_url(conference) -> str:
    return reverse("awards:conference_sign_in_pdf", kwargs={"conference": conference.uuid})


def poll_sheet_url(poll) -> str:
    return reverse("awards:poll_sign_in_pdf", kwargs={"poll": poll.uuid})


# The ballots ----------------------------------------------------------------------------------


def test_a5_ballots_one_per_paper_check_in_with_the_names_in_ballot_order(client, tmp_path):
    p = make_printing()
    check_in(p.poll, p.delegates[:3], Issuance.PAPER)
    check_in(p.poll, p.delegates[3:5], Issuance.CARD)
    client.force_login(p.members[0])
    response = client.get(ballots_url(p.poll))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="phieu-bau-{p.poll.uuid}-a5.pdf"'
    )
    pages, size, texts = pdf_info(tmp_path, response.content)
    assert (pages, size) == (3, A5_SIZE)
    # the copies are alike: no page number or other mark tells one ballot from another
    assert texts[1] == texts[0] and texts[2] == texts[0]
    text = texts[0]
    for line in [
        p.world.cluster.name.upper(),
        "HỘI NGHỊ TỔNG KẾT NĂM 2021",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Tây Ninh, ngày 04 tháng 12 năm 2021",
        "PHIẾU BẦU",
        "Đề nghị tặng Cờ thi đua của Ban Tổ chức Trung ương",
        "Đồng ý chọn đơn vị nào thì đánh dấu (X) vào ô bên cạnh tên; không đồng ý thì để trống.",
        "Số lượng được chọn: tối đa 2 đơn vị.",
        "STT Họ và tên / Đơn vị",
        "Đánh dấu (X)",
        "Phiếu không hợp lệ: phiếu bầu nhiều hơn số lượng cần bầu;",
        STAMP,
    ]:
        assert line in text, line
    rows = [f"{i} {label}" for i, label in enumerate(p.labels, start=1)]
    places = [text.index(row) for row in rows]
    assert places == sorted(places)
    assert "bầu lại" not in text


def test_a4_ballots_with_the_copies_asked(client, tmp_path):
    p = make_printing()
    check_in(p.poll, p.delegates[:3], Issuance.PAPER)
    client.force_login(p.members[1])
    response = client.get(ballots_url(p.poll, "?size=a4&copies=4"))
    assert response.status_code == 200
    pages, size, texts = pdf_info(tmp_path, response.content)
    assert (pages, size) == (4, A4_SIZE)
    assert STAMP in texts[3]


def test_without_a_paper_check_in_one_ballot_is_printed(client, tmp_path):
    p = make_printing()
    check_in(p.poll, p.delegates[:2], Issuance.ACCOUNT)
    client.force_login(p.members[0])
    pages, _size, _texts = pdf_info(tmp_path, client.get(ballots_url(p.poll)).content)
    assert pages == 1


def test_sixteen_names_fit_one_page_of_either_size(client, tmp_path):
    p = make_printing(16)
    client.force_login(p.members[0])
    for query, expected in (("?copies=2", A5_SIZE), ("?size=a4&copies=2", A4_SIZE)):
        response = client.get(ballots_url(p.poll, query))
        pages, size, texts = pdf_info(tmp_path, response.content)
        assert (pages, size) == (2, expected)
        assert f"16 {p.labels[15]}" in texts[0] and STAMP in texts[0]


def test_an_open_poll_prints_its_frozen_rules_for_the_paper_ballots_it_issued(client, tmp_path):
    p = make_printing()
    check_in(p.poll, p.delegates[:2], Issuance.PAPER)
    polls.open_poll(poll=p.poll)
    conference = p.poll.conference
    attendance.check_in(conference=conference, person=p.delegates[2], channel=Issuance.PAPER)
    attendance.check_out(conference=conference, person=p.delegates[0])  # keeps their ballot
    Poll.objects.filter(pk=p.poll.pk).update(seats=4)  # the frozen rules say 2
    client.force_login(p.members[0])
    response = client.get(ballots_url(p.poll))
    pages, _size, texts = pdf_info(tmp_path, response.content)
    assert pages == 3
    assert "Số lượng được chọn: tối đa 2 đơn vị." in texts[0]


def test_a_yes_no_runoff_ballot(client, tmp_path):
    p = make_printing(3, kind=Poll.YES_NO)
    first = PollFactory(conference=p.poll.conference, question=p.poll.question)
    Poll.objects.filter(pk=p.poll.pk).update(runoff_of=first)
    client.force_login(p.members[0])
    response = client.get(ballots_url(p.poll))
    _pages, _size, texts = pdf_info(tmp_path, response.content)
    text = texts[0]
    for line in [
        "PHIẾU BIỂU QUYẾT",
        "Đề nghị tặng Cờ thi đua của Ban Tổ chức Trung ương (bầu lại)",
        "Đối với mỗi đơn vị, đánh dấu (X) vào một trong ba ô: Đồng ý, Không đồng ý hoặc Không "
        "ý kiến.",
        "Số lượng được đồng ý: tối đa 2 đơn vị.",
        "Đồng ý Không đồng ý Không ý kiến",
        STAMP,
    ]:
        assert line in text, line
    assert "PHIẾU BẦU" not in text


@pytest.mark.parametrize(
    ("kind", "recipient", "title", "marking", "seats"),
    [
        (
            Poll.STRIKE_OUT,
            AwardType.INDIVIDUAL,
            "PHIẾU BẦU",
            "Đồng ý chọn đồng chí nào thì giữ nguyên, không đồng ý thì gạch ngang tên.",
            "Số lượng được giữ lại: tối đa 2 đồng chí.",
        ),
        (
            Poll.CHOOSE,
            None,
            "PHIẾU BẦU",
            "Đồng ý chọn đồng chí/đơn vị nào thì đánh dấu (X) vào ô bên cạnh tên; không đồng "
            "ý thì để trống.",
            "Số lượng được chọn: tối đa 2 đồng chí/đơn vị.",
        ),
        (
            Poll.ONE_CHOICE,
            None,
            "PHIẾU BẦU",
            "Đánh dấu (X) vào ô bên cạnh phương án được chọn.",
            "Chỉ chọn một phương án.",
        ),
    ],
)
def test_each_kind_of_ballot_says_how_to_mark_it(kind, recipient, title, marking, seats):
    award_type = AwardTypeFactory(recipient=recipient) if recipient else None
    conference = ConferenceFactory()
    poll = PollFactory(
        conference=conference, kind=kind, seats=2, award_type=award_type, invalid_if=[]
    )
    for i, name in enumerate(["Nguyễn Văn An", "Lê Văn Bình"]):
        PollOptionFactory(poll=poll, label=name, position=i)
    ballot = ballot_of(poll)
    assert (ballot.title, ballot.marking, ballot.seats) == (title, marking, seats)
    assert ballot.options == ["Nguyễn Văn An", "Lê Văn Bình"]
    assert ballot.invalid == [
        "Không quy định trường hợp phiếu không hợp lệ.",
        "Phiếu trắng (không bầu cho ai) được tính là phiếu hợp lệ.",
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?copies=0", "Số bản in phải là số nguyên từ 1 đến 200."),
        ("?copies=201", "Số bản in phải là số nguyên từ 1 đến 200."),
        ("?copies=-3", "Số bản in phải là số nguyên từ 1 đến 200."),
        ("?copies=ba", "Số bản in phải là số nguyên từ 1 đến 200."),
        ("?size=a3", "Chọn khổ giấy A5 hoặc A4."),
    ],
)
def test_a_bad_query_is_told_on_the_poll_page(client, query, message):
    p = make_printing()
    client.force_login(p.members[0])
    response = client.get(ballots_url(p.poll, query), follow=True)
    assert response.redirect_chain == [(p.poll.get_absolute_url(), 302)]
    assert messages_of(response) == [message]


def test_ballots_are_printed_only_before_the_vote(client):
    """A closed, counted, published or void poll prints no ballots: the poll page says why
    (its sign-in sheet stays available, as a record of who received ballots)."""
    world = build_world(n_units=11)
    published, members = make_counted_poll(world)
    for user in members:
        committee.certify(poll=published, user=user)
    committee.publish(poll=published)
    void = PollFactory(conference=published.conference, question="Bầu lại")
    polls.void_poll(poll=void, reason="Nhầm danh sách")
    client.force_login(members[0])
    for poll in (published, void):
        response = client.get(ballots_url(poll), follow=True)
        assert response.redirect_chain == [(poll.get_absolute_url(), 302)]
        assert messages_of(response) == [
            "Phiếu bầu giấy chỉ in được khi cuộc bỏ phiếu đang là bản nháp hoặc đang mở."
        ]
        assert "print-ballots-a5" not in response.content.decode()
        assert client.get(poll_sheet_url(poll)).status_code == 200


def test_the_poll_page_links_the_printed_papers_before_the_vote(client):
    p = make_printing()
    client.force_login(p.members[0])
    page = client.get(p.poll.get_absolute_url()).content.decode()
    assert f'href="{ballots_url(p.poll)}" id="print-ballots-a5">In phiếu bầu (A5)</a>' in page
    assert f'href="{ballots_url(p.poll, "?size=a4")}" id="print-ballots-a4">' in page
    assert f'href="{poll_sheet_url(p.poll)}" id="print-sign-in">' in page
    check_in_page = client.get(
        reverse("awards:conference_check_in", kwargs={"conference": p.poll.conference.uuid})
    ).content.decode()
    assert (
        f'href="{sheet_url(p.poll.conference)}" id="print-sign-in">'
        "In danh sách đại biểu nhận phiếu</a>" in check_in_page
    )


# The sign-in sheet ----------------------------------------------------------------------------


def test_the_sign_in_sheet_lists_the_delegates_alphabetically_with_their_channels(client, tmp_path):
    p = make_printing()
    conference = p.poll.conference
    by_name = {d.full_name: d for d in p.delegates}
    check_in(p.poll, [by_name["Nguyễn Văn An"], by_name["Đỗ Văn Dũng"]], Issuance.PAPER)
    check_in(p.poll, [by_name["Trần Thị Ánh"]], Issuance.CARD)
    check_in(p.poll, [by_name["Hoàng Văn Đức"], by_name["Lê Văn Bình"]], Issuance.ACCOUNT)
    attendance.check_out(conference=conference, person=by_name["Lê Văn Bình"])
    committee.set_committee_chair(
        conference=conference, person=conference.counting_committee.first()
    )
    sheet = sign_in_sheet_of(conference)
    assert [(r.number, r.name, r.position_unit, r.channel) for r in sheet.rows] == [
        (i, name, f"Chuyên viên, {by_name[name].unit.name}", channel)
        for i, (name, channel) in enumerate(zip(SORTED, CHANNELS, strict=True), start=1)
    ]
    client.force_login(p.members[0])
    response = client.get(sheet_url(conference))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="danh-sach-nhan-phieu-{conference.uuid}.pdf"'
    )
    pages, size, texts = pdf_info(tmp_path, response.content)
    assert (pages, size) == (1, A4_SIZE)
    text = texts[0]
    for line in [
        p.world.cluster.name.upper(),
        "BAN KIỂM PHIẾU",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "DANH SÁCH ĐẠI BIỂU NHẬN PHIẾU",
        "Hội nghị tổng kết năm 2021",
        "Thời gian: ngày 04 tháng 12 năm 2021. Địa điểm: Tây Ninh.",
        "STT Họ và tên Chức vụ, đơn vị",
        "Hình thức",
        "Ký nhận",
        "Tổng số: 6 đại biểu.",
        "TRƯỞNG BAN KIỂM PHIẾU",
        conference.counting_committee.first().full_name,
    ]:
        assert line in text, line
    rows = [
        f"{i} {name} Chuyên viên, {by_name[name].unit.name}" for i, name in enumerate(SORTED, 1)
    ]
    places = [text.index(row) for row in rows]
    assert places == sorted(places)
    assert [text.count(word) for word in ("Phiếu giấy", "Thẻ QR", "Tài khoản")] == [2, 1, 1]
    assert "Nhận phiếu:" not in text


def test_the_sign_in_sheet_of_an_open_poll_gives_the_channels_of_its_ballots(client, tmp_path):
    p = make_printing()
    conference = p.poll.conference
    by_name = {d.full_name: d for d in p.delegates}
    check_in(p.poll, [by_name["Nguyễn Văn An"]], Issuance.PAPER)
    check_in(p.poll, [by_name["Trần Thị Ánh"]], Issuance.CARD)
    polls.open_poll(poll=p.poll)
    p.poll.refresh_from_db()
    # left after receiving a ballot: still on this poll's sheet with it
    attendance.check_out(conference=conference, person=by_name["Nguyễn Văn An"])
    channels = [row.channel for row in sign_in_sheet_of(conference, poll=p.poll).rows]
    assert channels == ["Phiếu giấy", "Thẻ QR", "", "", "", ""]
    assert [row.channel for row in sign_in_sheet_of(conference).rows][:2] == ["", "Thẻ QR"]
    client.force_login(p.members[1])
    response = client.get(poll_sheet_url(p.poll))
    _pages, _size, texts = pdf_info(tmp_path, response.content)
    assert "Nhận phiếu: Đề nghị tặng Cờ thi đua của Ban Tổ chức Trung ương" in texts[0]


# Who may print --------------------------------------------------------------------------------


def test_who_is_refused(client):
    p = make_printing()
    delegate = p.delegates[0]
    delegate.user = UserFactory()
    delegate.save()
    urls = [ballots_url(p.poll), sheet_url(p.poll.conference), poll_sheet_url(p.poll)]
    for url in urls:
        assert client.get(url).url.startswith(reverse("login"))
    # a delegate who is not on the committee, a member unit's officer, another cluster's
    for user in (delegate.user, p.world.officer_a, p.world.outsider):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
    # the secretariat of the year may, as on the check-in page
    client.force_login(p.world.secretary)
    for url in urls:
        assert client.get(url).status_code == 200, url


# Query counts ---------------------------------------------------------------------------------


def _queries(client, url, user) -> int:
    client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_sign_in_sheet_makes_as_many_queries_with_6_or_15_delegates(client):
    counts = []
    for n in (6, 15):
        p = make_printing(n_delegates=n)
        check_in(p.poll, p.delegates[:3], Issuance.PAPER)
        check_in(p.poll, p.delegates[3:], Issuance.CARD)
        counts.append(_queries(client, sheet_url(p.poll.conference), p.members[0]))
    assert counts == [8, 8]


def test_the_ballots_make_as_many_queries_with_5_or_15_names(client):
    counts = []
    for n in (5, 15):
        p = make_printing(n)
        check_in(p.poll, p.delegates[:3], Issuance.PAPER)
        counts.append(_queries(client, ballots_url(p.poll), p.members[0]))
    assert counts == [7, 7]
