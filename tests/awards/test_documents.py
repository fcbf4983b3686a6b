"""Generated documents: the vote-count minutes (Word, PDF) of a counted poll, the award proposal
(Word) of a nomination round and the page recording its outcome; who is refused."""

import datetime
import io
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from awards import documents
from awards.documents import candidate_line
from awards.models import AwardType, Candidate, NominationRound, Poll, PollOption, Proposal
from awards.sealing import show_tracker
from awards.services import attendance, committee, polls
from scorecards.models import Campaign, CampaignEntry
from tests.awards.factories import close_and_decrypt, make_cards, make_counted_poll
from tests.clusters.factories import ConferenceFactory, PersonFactory, build_world
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db
SHOTS = Path("/tmp/docs_shots")


@pytest.fixture
def world():
    return build_world(n_units=11)


def publish(poll, members):
    for user in members:
        committee.certify(poll=poll, user=user)
    committee.publish(poll=poll)
    poll.refresh_from_db()


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def minutes_url(kind, poll):
    return reverse(f"awards:poll_minutes_{kind}", kwargs={"poll": poll.uuid})


LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def count_from(poll, day: datetime.date, start: tuple[int, int], end: tuple[int, int]):
    """Set the count's start and end (local time) as if it had been held on that day."""
    Poll.objects.filter(pk=poll.pk).update(
        count_started_at=datetime.datetime.combine(day, datetime.time(*start), tzinfo=LOCAL),
        count_ended_at=datetime.datetime.combine(day, datetime.time(*end), tzinfo=LOCAL),
    )
    poll.refresh_from_db()


COMBINED = (
    "Số phiếu giấy và phiếu điện tử được tính chung, không tách riêng từng hình thức, để giữ "
    "bí mật lá phiếu (mỗi hình thức có từ 5 phiếu trở lên mới được tách riêng)."
)


def test_minutes_docx(client, world):
    poll, members = make_counted_poll(world)
    count_from(poll, datetime.date(2021, 12, 4), (10, 5), (10, 40))
    client.force_login(members[0])
    response = client.get(minutes_url("docx", poll))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    document = Document(io.BytesIO(response.content))
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size.pt == 14
    assert round(document.sections[0].page_width.mm) == 210
    text = docx_text(response.content)
    u = [unit.short_name for unit in world.units]
    header = document.tables[0].rows[0].cells
    symbol = f"CTĐ{world.cluster.number}"
    assert (
        header[0].text == f"{world.cluster.name.upper()}\nBAN KIỂM PHIẾU\n*\nSố      -BB/{symbol}"
    )
    assert header[1].text == "ĐẢNG CỘNG SẢN VIỆT NAM\n\nTây Ninh, ngày 04 tháng 12 năm 2021"
    assert header[1].paragraphs[2].runs[0].italic
    for line in [
        "BIÊN BẢN KIỂM PHIẾU",
        "Đề nghị tặng Cờ thi đua của Ban Tổ chức Trung ương",
        "Hôm nay, ngày 04 tháng 12 năm 2021, tại Tây Ninh, trong Hội nghị tổng kết năm 2021, "
        "Ban Kiểm phiếu gồm các đồng chí có tên sau đây đã tiến hành kiểm phiếu:",
        f"- Trần Văn Kiểm, {world.units[5].name} – Trưởng ban",
        f"- Lê Thị Phiếu, {world.units[6].name} – Thành viên",
        "- Hình thức: bầu chọn, mỗi phiếu chọn tối đa 2.",
        "- Điều kiện trúng cử: được quá 50% số phiếu phát ra đồng ý (lớn hơn 50%); "
        "lấy theo thứ tự số phiếu từ cao xuống thấp.",
        "- Trường hợp bằng phiếu ở vị trí cuối cùng: bầu lại giữa những người bằng phiếu.",
        "- Đơn vị được bầu cho chính mình.",
        f"Mã kiểm tra bộ quy tắc (SHA-256): {poll.rules_hash}",
        "STT | Họ và tên / Đơn vị | Số phiếu | Tỷ lệ | Kết quả",
        f"1 | {u[0]} | 9 | 81,82% | Đạt",
        f"2 | {u[1]} | 7 | 63,64% | Đạt",
        f"3 | {u[2]} | 4 | 36,36% | Không đạt",
        "TRƯỞNG BAN\n(Ký, ghi rõ họ tên)\n\n\n\nTrần Văn Kiểm | "
        "THÀNH VIÊN\n(Ký, ghi rõ họ tên)\n\n\n\nLê Thị Phiếu",
    ]:
        assert line in text.split("\n") or line in text, line
    assert len(poll.rules_hash) == 64
    lines = [p.text for p in document.paragraphs]
    # 11 account ballots: one channel only, so the figures are combined
    assert lines[lines.index("II. KẾT QUẢ KIỂM PHIẾU") : lines.index("III. KẾT LUẬN")] == [
        "II. KẾT QUẢ KIỂM PHIẾU",
        "- Số đại biểu được triệu tập: 11",
        "- Số đại biểu có mặt: 11",
        "- Số phiếu phát ra: 11",
        "- Số phiếu thu vào: 11",
        "- Số phiếu hợp lệ: 11",
        "- Số phiếu không hợp lệ: 0",
        COMBINED,
        "Tỷ lệ phần trăm tính trên số phiếu phát ra (11).",
        "",
    ]
    assert lines[lines.index("III. KẾT LUẬN") :] == [
        "III. KẾT LUẬN",
        "Căn cứ kết quả kiểm phiếu, những đơn vị sau đây đạt số phiếu theo thể lệ:",
        f"1. {u[0]}: 9 phiếu, đạt 81,82%",
        f"2. {u[1]}: 7 phiếu, đạt 63,64%",
        "Bắt đầu kiểm phiếu lúc 10 giờ 05 phút, kết thúc lúc 10 giờ 40 phút ngày 04 tháng 12 "
        "năm 2021; biên bản được lập xong cùng ngày, các thành viên Ban Kiểm phiếu thống nhất "
        "ký tên.",
        # the annex: the trackers of the 11 electronic ballots, in alphabetical order
        "PHỤ LỤC: MÃ THEO DÕI CỦA CÁC PHIẾU ĐIỆN TỬ ĐÃ KIỂM",
        "Mỗi đại biểu bỏ phiếu điện tử được cho xem mã theo dõi phiếu của mình; mã được tạo từ "
        "lá phiếu đã mã hóa, không cho biết nội dung phiếu. Các mã xếp theo thứ tự chữ cái.",
        "   ".join(
            sorted(show_tracker(t) for t in poll.sealed_ballots.values_list("tracker", flat=True))
        ),
    ]
    assert len(lines[-1].split()) == 11
    # a poll counted before the times were recorded: the blanks to fill in by hand
    Poll.objects.filter(pk=poll.pk).update(count_started_at=None, count_ended_at=None)
    document = Document(io.BytesIO(client.get(minutes_url("docx", poll)).content))
    assert document.paragraphs[-4].text == (
        "Biên bản được lập xong lúc …… giờ …… cùng ngày, các thành viên Ban Kiểm phiếu "
        "thống nhất ký tên."
    )


def test_minutes_with_a_tie_name_the_tie_rule(client, world):
    poll, members = make_counted_poll(world)
    conference = poll.conference
    tied = Poll.objects.create(
        conference=conference,
        question="Bầu Cụm trưởng năm 2022",
        seats=1,
        tie_rule=Poll.LOT,
        comparator=Poll.GTE,
    )
    a, b = (
        PollOption.objects.create(poll=tied, label=u.short_name, unit=u, position=i)
        for i, u in enumerate(world.units[:2])
    )
    # The 11th delegate left after the first poll: the tied poll gives ballots to 10.
    present = list(conference.delegates.order_by("pk"))
    attendance.check_out(conference=conference, person=present[10])
    polls.open_poll(poll=tied)
    for i, person in enumerate(present[:10]):
        polls.cast_with_account(poll=tied, person=person, choices=[a.pk if i % 2 else b.pk])
    close_and_decrypt(tied)
    committee.mark_counted(poll=tied)
    client.force_login(members[0])
    text = docx_text(client.get(minutes_url("docx", tied)).content)
    u = world.units
    lines = text.split("\n")
    assert (
        f"Bằng phiếu ở vị trí cuối cùng: {u[0].short_name} (5 phiếu, 50,00%), "
        f"{u[1].short_name} (5 phiếu, 50,00%). Theo quy định: bốc thăm."
    ) in lines
    assert "- Điều kiện trúng cử: được từ 50% số phiếu phát ra đồng ý trở lên; " in text
    assert f"1 | {u[0].short_name} | 5 | 50,00% | Bằng phiếu" in lines
    assert "Căn cứ kết quả kiểm phiếu, những người sau đây trúng cử:" not in lines
    assert "- Số đại biểu được triệu tập: 11" in lines
    assert "- Số đại biểu có mặt: 10" in lines  # checked out before the poll opened


def run(*args) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def test_minutes_pdf(client, world, tmp_path):
    poll, members = make_counted_poll(world)
    count_from(poll, datetime.date(2021, 12, 4), (10, 5), (10, 40))
    client.force_login(members[1])
    response = client.get(minutes_url("pdf", poll))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(response.content)
    text = run("pdftotext", "-layout", str(pdf), "-")
    flat = " ".join(text.split())
    u = [unit.short_name for unit in world.units]
    for line in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        world.cluster.name.upper(),
        "BAN KIỂM PHIẾU",
        "Tây Ninh, ngày 04 tháng 12 năm 2021",
        "BIÊN BẢN KIỂM PHIẾU",
        "Đề nghị tặng Cờ thi đua của Ban Tổ chức Trung ương",
        f"- Trần Văn Kiểm, {world.units[5].name} – Trưởng ban",
        f"- Lê Thị Phiếu, {world.units[6].name} – Thành viên",
        "- Số đại biểu được triệu tập: 11 - Số đại biểu có mặt: 11 - Số phiếu phát ra: 11 "
        "- Số phiếu thu vào: 11 - Số phiếu hợp lệ: 11 - Số phiếu không hợp lệ: 0 " + COMBINED,
        f"1 {u[0]} 9 81,82% Đạt",
        f"2 {u[1]} 7 63,64% Đạt",
        f"3 {u[2]} 4 36,36% Không đạt",
        "Căn cứ kết quả kiểm phiếu, những đơn vị sau đây đạt số phiếu theo thể lệ:",
        f"1. {u[0]}: 9 phiếu, đạt 81,82%",
        f"2. {u[1]}: 7 phiếu, đạt 63,64%",
        "Bắt đầu kiểm phiếu lúc 10 giờ 05 phút, kết thúc lúc 10 giờ 40 phút ngày 04 tháng 12 "
        "năm 2021; biên bản được lập xong cùng ngày, các thành viên Ban Kiểm phiếu thống nhất "
        "ký tên.",
        "TRƯỞNG BAN",
        "THÀNH VIÊN",
    ]:
        assert line in flat, line
    assert "…… giờ" not in flat
    assert poll.rules_hash in flat.replace(" ", "")
    fonts = run("pdffonts", str(pdf))
    embedded = [row.split() for row in fonts.splitlines()[2:]]
    assert embedded and all("+Liberation-Serif" in row[0] for row in embedded)
    assert all(row[-5] == "yes" for row in embedded)  # emb
    SHOTS.mkdir(exist_ok=True)
    run("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(SHOTS / "minutes"))
    assert (SHOTS / "minutes-1.png").exists()


def test_minutes_refusals(client, world):
    poll, members = make_counted_poll(world)
    docx, pdf = minutes_url("docx", poll), minutes_url("pdf", poll)
    response = client.get(docx)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for user in (world.officer_a, world.outsider, world.last_secretary):
        client.force_login(user)
        assert client.get(docx).status_code == 403
        assert client.get(pdf).status_code == 403
    client.force_login(world.secretary)
    assert client.get(docx).status_code == 200

    publish(poll, members)
    client.force_login(world.officer_a)
    assert client.get(docx).status_code == 200
    client.force_login(world.outsider)
    assert client.get(pdf).status_code == 403


def test_minutes_of_an_open_poll_say_so(client, world):
    poll, members = make_counted_poll(world)
    draft = Poll.objects.create(conference=poll.conference, question="Chưa mở", seats=1)
    PollOption.objects.create(poll=draft, label="A", unit=world.units[0])
    client.force_login(members[0])
    for state in ("draft", "open"):
        response = client.get(minutes_url("docx", draft), follow=True)
        assert response.redirect_chain[0] == (draft.get_absolute_url(), 302)
        assert messages_of(response) == ["Biên bản kiểm phiếu chỉ có sau khi kiểm phiếu xong."]
        if state == "draft":
            polls.open_poll(poll=draft)


def slate(world):
    """A round of 2021 with a flag for units (polled) and a certificate for individuals (not
    polled): three units and two people on the slate, one person withdrawn."""
    flag = AwardType.objects.create(
        cluster=world.cluster, name="Cờ thi đua của Ban Tổ chức Trung ương", recipient="unit"
    )
    merit = AwardType.objects.create(
        cluster=world.cluster, name="Bằng khen", recipient="individual", rank=2
    )
    nomination_round = NominationRound.objects.create(
        cluster_year=world.year, status=NominationRound.Status.FINAL
    )
    units = [
        Candidate.objects.create(
            round=nomination_round, award_type=flag, unit=unit, status=Candidate.Status.ON_SLATE
        )
        for unit in world.units[:3]
    ]
    people = [
        Candidate.objects.create(
            round=nomination_round,
            award_type=merit,
            person=PersonFactory(full_name=name, position="Phó Trưởng ban", unit=unit),
            status=status,
        )
        for name, unit, status in [
            ("Phạm Thị Hoa", world.units[3], Candidate.Status.ON_SLATE),
            ("Võ Văn Nam", world.units[4], Candidate.Status.ON_SLATE),
            ("Đỗ Văn Rút", world.units[5], Candidate.Status.WITHDRAWN),
        ]
    ]
    return nomination_round, units, people


def test_candidate_lines_of_a_unit_a_person_and_a_campaign_entry(world):
    nomination_round, units, people = slate(world)
    campaign = Campaign.objects.create(
        cluster_year=world.year,
        title="Chuyển đổi số",
        start_date=datetime.date(2021, 3, 1),
        end_date=datetime.date(2021, 10, 31),
        description="-",
    )
    entry = CampaignEntry.objects.create(
        campaign=campaign,
        unit=world.units[4],
        title="Sổ tay đảng viên điện tử",
        description="-",
        shortlisted=True,
    )
    work = Candidate.objects.create(
        round=nomination_round, award_type=units[0].award_type, campaign_entry=entry
    )
    u = world.units
    assert [candidate_line(c) for c in (units[0], people[0], work)] == [
        u[0].name,
        f"Phạm Thị Hoa, Phó Trưởng ban, {u[3].name}",
        f"Sổ tay đảng viên điện tử ({u[4].name})",
    ]
    assert [candidate_line(c, quoted=True) for c in (units[0], people[0], work)] == [
        u[0].name,
        f"Phạm Thị Hoa, Phó Trưởng ban, {u[3].name}",
        f'"Sổ tay đảng viên điện tử" ({u[4].name})',
    ]


def test_proposal_docx(client, world):
    nomination_round, units, people = slate(world)
    poll, members = make_counted_poll(world, award_type=units[0].award_type, candidates=units)
    publish(poll, members)
    Proposal.objects.create(round=nomination_round, number="12-TTr/CTĐ" + str(world.cluster.number))
    client.force_login(world.secretary)
    response = client.get(reverse("awards:proposal_docx", kwargs={"round": nomination_round.uuid}))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    header = document.tables[0].rows[0].cells
    assert header[0].text == (
        f"{world.cluster.name.upper()}\n*\nSố 12-TTr/CTĐ{world.cluster.number}"
    )
    assert header[1].text.startswith("ĐẢNG CỘNG SẢN VIỆT NAM\n\n")
    text = [p.text for p in document.paragraphs]
    u = world.units
    start = text.index("TỜ TRÌNH")
    assert text[start + 1] == "Về việc đề nghị khen thưởng năm 2021"
    lists = text[text.index("I. Cờ thi đua của Ban Tổ chức Trung ương: 2 tập thể") :]
    assert lists[:5] == [
        "I. Cờ thi đua của Ban Tổ chức Trung ương: 2 tập thể",
        f"1. {u[0].name}: 9 phiếu, đạt 81,82%",
        f"2. {u[1].name}: 7 phiếu, đạt 63,64%",  # units[2] was on the slate but not elected
        # the individuals were not voted on: nobody passed, no section
        "Hồ sơ kèm theo:",
        "- Biên bản kiểm phiếu: Đề nghị tặng Cờ thi đua của Ban Tổ chức Trung ương "
        "(Hội nghị tổng kết năm 2021, 04/12/2021)",
    ]
    signature = document.tables[-1].rows[0].cells
    assert signature[0].text == ("Nơi nhận:\n- Vụ Địa phương III, Ban Tổ chức Trung ương;\n- Lưu.")
    assert signature[1].text == (
        f"TM. {world.cluster.name.upper()}\nCỤM TRƯỞNG\n{u[1].name}\n(Ký, ghi rõ họ tên, đóng dấu)"
    )


def proposal_url(nomination_round):
    return reverse("awards:proposal", kwargs={"round": nomination_round.uuid})


def test_proposal_refusals(client, world):
    nomination_round, _units, _people = slate(world)
    pages = [
        proposal_url(nomination_round),
        reverse("awards:proposal_docx", kwargs={"round": nomination_round.uuid}),
    ]
    for url in pages:
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        for user in (world.officer_a, world.outsider, world.last_secretary):
            client.force_login(user)
            assert client.get(url).status_code == 403
        client.force_login(world.staff)
        assert client.get(url).status_code == 200
    client.force_login(world.officer_a)
    assert client.post(pages[0], {"number": "1-TTr", "status": "pending"}).status_code == 403
    assert not Proposal.objects.exists()


def test_proposal_pdf(client, world, tmp_path):
    nomination_round, units, people = slate(world)
    poll, members = make_counted_poll(world, award_type=units[0].award_type, candidates=units)
    publish(poll, members)
    Proposal.objects.create(round=nomination_round, number="12-TTr/CTĐ" + str(world.cluster.number))
    url = reverse("awards:proposal_pdf", kwargs={"round": nomination_round.uuid})
    client.force_login(world.secretary)
    page = client.get(proposal_url(nomination_round)).content.decode()
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="to-trinh-2021.pdf"'
    pdf = tmp_path / "proposal.pdf"
    pdf.write_bytes(response.content)
    flat = " ".join(run("pdftotext", "-layout", str(pdf), "-").split())
    u = world.units
    for line in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        world.cluster.name.upper(),
        f"Số 12-TTr/CTĐ{world.cluster.number}",
        "TỜ TRÌNH",
        "Về việc đề nghị khen thưởng năm 2021",
        "I. Cờ thi đua của Ban Tổ chức Trung ương: 2 tập thể",
        f"1. {u[0].name}: 9 phiếu, đạt 81,82%",
        f"2. {u[1].name}: 7 phiếu, đạt 63,64%",
        "Hồ sơ kèm theo:",
        "CỤM TRƯỞNG",
        "(Ký, ghi rõ họ tên, đóng dấu)",
    ]:
        assert line in flat, line
    assert u[2].name not in flat  # on the slate but not elected
    assert "Đỗ Văn Rút" not in flat  # withdrawn
    assert "Phạm Thị Hoa" not in flat  # not voted on
    fonts = run("pdffonts", str(pdf))
    embedded = [row.split() for row in fonts.splitlines()[2:]]
    assert embedded and all("+Liberation-Serif" in row[0] for row in embedded)
    SHOTS.mkdir(exist_ok=True)
    run("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(SHOTS / "proposal"))


def test_proposal_pdf_refusals(client, world):
    nomination_round, _units, _people = slate(world)
    url = reverse("awards:proposal_pdf", kwargs={"round": nomination_round.uuid})
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for user in (world.officer_a, world.outsider, world.last_secretary):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(world.staff)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405


def published_poll_with_candidates(world, conference, nomination_round, *, rank: int, n: int):
    """An award type with n unit candidates on the slate and a person, and a published poll
    on it among the units whose first two are elected."""
    award = AwardType.objects.create(
        cluster=world.cluster, name=f"Bằng khen đợt {rank}", recipient="unit", rank=rank
    )
    candidates = [
        Candidate.objects.create(
            round=nomination_round, award_type=award, unit=unit, status=Candidate.Status.ON_SLATE
        )
        for unit in world.units[:n]
    ]
    Candidate.objects.create(
        round=nomination_round,
        award_type=award,
        person=PersonFactory(unit=world.units[n]),
        status=Candidate.Status.ON_SLATE,
    )
    poll = Poll.objects.create(
        conference=conference, question=f"Đề nghị {award.name}", seats=2, award_type=award
    )
    options = [
        PollOption.objects.create(
            poll=poll, label=c.unit.short_name, unit=c.unit, candidate=c, position=i
        )
        for i, c in enumerate(candidates)
    ]
    polls.open_poll(poll=poll)
    for code in make_cards(poll, 3):
        polls.cast_with_code(poll=poll, code=code, choices=[options[0].pk, options[1].pk])
    close_and_decrypt(poll)
    committee.mark_counted(poll=poll)
    Poll.objects.filter(pk=poll.pk).update(status=Poll.Status.PUBLISHED)


def test_the_proposal_page_makes_as_many_queries_with_1_or_4_published_polls(client, world):
    nomination_round = NominationRound.objects.create(
        cluster_year=world.year, status=NominationRound.Status.FINAL
    )
    conference = ConferenceFactory(cluster_year=world.year)
    conference.delegates.set([PersonFactory(unit=unit) for unit in world.units[:3]])
    client.force_login(world.secretary)
    url = proposal_url(nomination_round)

    def queries() -> int:
        client.get(url)  # warm caches that are not per data size (sessions, content types)
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200
        return len(context.captured_queries)

    published_poll_with_candidates(world, conference, nomination_round, rank=1, n=2)
    small = queries()
    assert small == 22  # 21, and 1 for the signed scans of the minutes attached
    assert len(client.get(url).context["polls"]) == 1
    for rank in (2, 3, 4):
        published_poll_with_candidates(world, conference, nomination_round, rank=rank, n=5)
    large = queries()
    response = client.get(url)
    assert len(response.context["polls"]) == 4
    # each award type was polled: only the two units elected remain (not the person)
    assert [len(rows) for _section, rows in response.context["sections"]] == [2, 2, 2, 2]
    assert small == large, (small, large)


def people_poll(world, poll):
    """A poll of one seat between the two people of the slate, at the conference of the counted
    `poll`: one delegate checked out before it opens (10 of 11 present), 5 on paper (2 invalid:
    too many names, marks) and 5 by account (1 blank, invalid)."""
    _round, _units, people = slate(world)
    conference = poll.conference
    merit = Poll.objects.create(conference=conference, question="Đề nghị tặng Bằng khen", seats=1)
    hoa, nam = (
        PollOption.objects.create(
            poll=merit, candidate=c, label=c.person.full_name, unit=None, position=i
        )
        for i, c in enumerate(people[:2])
    )
    delegates = list(conference.delegates.order_by("pk"))
    for person in delegates[:6]:
        attendance.check_out(conference=conference, person=person)
    for person in delegates[:5]:
        attendance.check_in(conference=conference, person=person, channel="paper")
    polls.open_poll(poll=merit)
    for person, choices in zip(delegates[6:], [[hoa.pk]] * 3 + [[nam.pk], []], strict=True):
        polls.cast_with_account(poll=merit, person=person, choices=choices)
    close_and_decrypt(merit)
    return merit, hoa, nam


def enter_paper(poll, users, votes: dict, reasons: dict, *, valid: int, invalid: int):
    for user in users:
        committee.save_paper_count(
            poll=poll,
            user=user,
            issued=valid + invalid,
            collected=valid + invalid,
            valid=valid,
            invalid=invalid,
            votes={str(o.pk): {"for": n} for o, n in votes.items()},
            invalid_by_reason=reasons,
        )


def test_minutes_of_people_on_two_channels_with_invalid_ballots_by_reason(client, world, tmp_path):
    poll, members = make_counted_poll(world)
    merit, hoa, nam = people_poll(world, poll)
    enter_paper(merit, members, {hoa: 3, nam: 0}, {"too_many": 1, "marked": 1}, valid=3, invalid=2)
    committee.mark_counted(poll=merit)
    merit.refresh_from_db()
    count_from(merit, datetime.date(2021, 12, 4), (11, 15), (11, 32))
    client.force_login(members[0])
    document = Document(io.BytesIO(client.get(minutes_url("docx", merit)).content))
    lines = [p.text for p in document.paragraphs]
    annex = lines.index("PHỤ LỤC: MÃ THEO DÕI CỦA CÁC PHIẾU ĐIỆN TỬ ĐÃ KIỂM")
    assert len(lines[annex + 2].split()) == 5  # the 5 electronic ballots' trackers
    assert lines[lines.index("II. KẾT QUẢ KIỂM PHIẾU") : annex] == [
        "II. KẾT QUẢ KIỂM PHIẾU",
        "- Số đại biểu được triệu tập: 11",
        "- Số đại biểu có mặt: 10",
        "- Số phiếu phát ra: 10",
        "- Số phiếu thu vào: 10 (phiếu giấy: 5, phiếu điện tử: 5)",
        "- Số phiếu hợp lệ: 7",
        "- Số phiếu không hợp lệ: 3",
        "  + Phiếu bầu nhiều hơn số lượng cần bầu: 1",
        "  + Phiếu ghi thêm tên người ngoài danh sách hoặc có chữ viết, ký hiệu riêng: 1",
        "  + Phiếu trắng (không bầu cho ai): 1",
        "  Trong số phiếu không hợp lệ có 1 phiếu điện tử (phiếu trắng).",
        "Tỷ lệ phần trăm tính trên số phiếu phát ra (10).",
        "",
        "III. KẾT LUẬN",
        "Căn cứ kết quả kiểm phiếu, những người sau đây trúng cử:",
        "1. Phạm Thị Hoa: 6 phiếu, đạt 60,00%",
        "Bắt đầu kiểm phiếu lúc 11 giờ 15 phút, kết thúc lúc 11 giờ 32 phút ngày 04 tháng 12 "
        "năm 2021; biên bản được lập xong cùng ngày, các thành viên Ban Kiểm phiếu thống nhất "
        "ký tên.",
    ]
    table = [" | ".join(c.text for c in row.cells) for row in document.tables[1].rows]
    assert table == [
        "STT | Họ và tên / Đơn vị | Số phiếu | Tỷ lệ | Kết quả",
        "1 | Phạm Thị Hoa | 6 | 60,00% | Trúng cử",
        "2 | Võ Văn Nam | 1 | 10,00% | Không trúng cử",
    ]

    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(client.get(minutes_url("pdf", merit)).content)
    flat = " ".join(run("pdftotext", "-layout", str(pdf), "-").split())
    for line in [
        "- Số đại biểu được triệu tập: 11 - Số đại biểu có mặt: 10 - Số phiếu phát ra: 10 "
        "- Số phiếu thu vào: 10 (phiếu giấy: 5, phiếu điện tử: 5) - Số phiếu hợp lệ: 7 "
        "- Số phiếu không hợp lệ: 3 + Phiếu bầu nhiều hơn số lượng cần bầu: 1 + Phiếu ghi thêm "
        "tên người ngoài danh sách hoặc có chữ viết, ký hiệu riêng: 1 + Phiếu trắng (không bầu "
        "cho ai): 1 Trong số phiếu không hợp lệ có 1 phiếu điện tử (phiếu trắng).",
        "1 Phạm Thị Hoa 6 60,00% Trúng cử",
        "2 Võ Văn Nam 1 10,00% Không trúng cử",
        "Căn cứ kết quả kiểm phiếu, những người sau đây trúng cử: 1. Phạm Thị Hoa: 6 phiếu, "
        "đạt 60,00%",
        "Bắt đầu kiểm phiếu lúc 11 giờ 15 phút, kết thúc lúc 11 giờ 32 phút ngày 04 tháng 12 "
        "năm 2021",
    ]:
        assert line in flat, line
    assert COMBINED not in flat


def test_minutes_of_a_runoff_say_so(client, world, tmp_path):
    poll, members = make_counted_poll(world)
    conference = poll.conference
    tied = Poll.objects.create(
        conference=conference, question="Bầu Cụm trưởng năm 2022", seats=1, comparator=Poll.GTE
    )
    a, b = (
        PollOption.objects.create(poll=tied, label=u.short_name, unit=u, position=i)
        for i, u in enumerate(world.units[:2])
    )
    present = list(conference.delegates.order_by("pk"))
    attendance.check_out(conference=conference, person=present[10])
    polls.open_poll(poll=tied)
    for i, person in enumerate(present[:10]):
        polls.cast_with_account(poll=tied, person=person, choices=[a.pk if i % 2 else b.pk])
    close_and_decrypt(tied)
    committee.set_minutes_number(poll=tied, number="02-BB/CTĐ1")
    committee.mark_counted(poll=tied)  # 5 and 5 of 10: a tie, the runoff is made
    runoff = tied.runoffs.get()
    first, second = runoff.options.order_by("position")
    polls.open_poll(poll=runoff)
    for i, person in enumerate(present[:10]):
        choice = first if i < 7 else second
        polls.cast_with_account(poll=runoff, person=person, choices=[choice.pk])
    close_and_decrypt(runoff)
    committee.mark_counted(poll=runoff)
    client.force_login(members[0])
    lines = docx_text(client.get(minutes_url("docx", runoff)).content).split("\n")
    u = world.units
    assert lines[1:4] == [
        "BIÊN BẢN KIỂM PHIẾU BẦU LẠI",
        "Bầu Cụm trưởng năm 2022 (bầu lại)",
        "Hôm nay, ngày 04 tháng 12 năm 2021, tại Tây Ninh, trong Hội nghị tổng kết năm 2021, "
        "Ban Kiểm phiếu gồm các đồng chí có tên sau đây đã tiến hành kiểm phiếu bầu lại của "
        "cuộc bỏ phiếu “Bầu Cụm trưởng năm 2022” (biên bản kiểm phiếu số 02-BB/CTĐ1) giữa các "
        "trường hợp bằng phiếu ở vị trí cuối cùng:",
    ]
    assert [first.label, second.label] == [u[0].short_name, u[1].short_name]
    assert f"1 | {u[0].short_name} | 7 | 70,00% | Đạt" in lines
    assert f"2 | {u[1].short_name} | 3 | 30,00% | Không đạt" in lines
    pdf = tmp_path / "runoff.pdf"
    pdf.write_bytes(client.get(minutes_url("pdf", runoff)).content)
    flat = " ".join(run("pdftotext", "-layout", str(pdf), "-").split())
    assert "BIÊN BẢN KIỂM PHIẾU BẦU LẠI Bầu Cụm trưởng năm 2022 (bầu lại)" in flat
    assert "đã tiến hành kiểm phiếu bầu lại của cuộc bỏ phiếu “Bầu Cụm trưởng năm 2022”" in flat


def test_count_times_in_words():
    day = datetime.date(2020, 12, 4)
    poll = Poll(
        count_started_at=datetime.datetime.combine(day, datetime.time(23, 50), tzinfo=LOCAL),
        count_ended_at=datetime.datetime(2020, 12, 4, 17, 20, tzinfo=datetime.UTC),  # 00:20
    )
    assert documents.count_times(poll) == (
        "Bắt đầu kiểm phiếu lúc 23 giờ 50 phút ngày 04 tháng 12 năm 2020, kết thúc lúc "
        "00 giờ 20 phút ngày 05 tháng 12 năm 2020"
    )
    assert documents.count_times(Poll()) == ""  # not recorded
