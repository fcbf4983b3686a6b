"""The award proposal (Tờ trình) follows the vote: only the candidates the published polls
granted a place, in order of votes with their votes and share, the conference, its date and the
minutes' numbers; its signer; draft, sent and decided; refused while a poll or runoff is
pending, naming them."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from awards import documents
from awards.models import Candidate, Poll, Proposal
from awards.services import committee
from tests.awards.slate_world import (
    FLAG_VOTES,
    MERIT_VOTES,
    PEOPLE_VOTES,
    RUNOFF_VOTES,
    make_slate,
    run,
)

pytestmark = pytest.mark.django_db


def vote_everything(s, *, runoff: bool = True):
    """The three polls from the slate, numbered and published; the merit's tie goes to the
    runoff (held and published when `runoff`)."""
    made = {}
    numbers = {s.flag.pk: "01", s.merit.pk: "02", s.people.pk: "04"}  # the runoff is 03
    for award, ballots in ((s.flag, FLAG_VOTES), (s.merit, MERIT_VOTES), (s.people, PEOPLE_VOTES)):
        poll = committee.create_poll_from_slate(conference=s.conference, award_type=award)
        committee.set_minutes_number(poll=poll, number=f"{numbers[award.pk]}-BB/CTĐ4")
        made[award.pk] = run(s, poll, ballots)
    second = Poll.objects.get(runoff_of=made[s.merit.pk])
    committee.set_minutes_number(poll=second, number="03-BB/CTĐ4")
    if runoff:
        run(s, second, RUNOFF_VOTES)
    return made, second


def proposal_url(s):
    return reverse("awards:proposal", kwargs={"round": s.round.uuid})


def docx_paragraphs(content: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).paragraphs]


def test_the_proposal_lists_only_those_who_passed_in_order_of_votes(client):
    s = make_slate()
    made, second = vote_everything(s)
    Proposal.objects.create(
        round=s.round, signer_name="Nguyễn Thanh Ngọc", signer_title="Cụm trưởng"
    )
    client.force_login(s.world.secretary)
    response = client.get(reverse("awards:proposal_docx", kwargs={"round": s.round.uuid}))
    text = docx_paragraphs(response.content)
    u = s.world.units
    assert text[text.index("TỜ TRÌNH") + 4] == (
        "Căn cứ kết quả chấm điểm, xếp loại thi đua năm 2021 và kết quả bỏ phiếu tại Hội nghị "
        "tổng kết năm 2021 ngày 04 tháng 12 năm 2021 (biên bản kiểm phiếu số 01-BB/CTĐ4, "
        f"02-BB/CTĐ4, 03-BB/CTĐ4, 04-BB/CTĐ4), {s.world.cluster.name} đề nghị Ban Tổ chức "
        "Trung ương xem xét, khen thưởng cho các tập thể và cá nhân sau:"
    )
    start = text.index("I. Cờ thi đua của Ban Tổ chức Trung ương: 2 tập thể")
    assert text[start : start + 13] == [
        "I. Cờ thi đua của Ban Tổ chức Trung ương: 2 tập thể",
        f"1. {u[0].name}: 9 phiếu, đạt 81,82%",
        f"2. {u[1].name}: 7 phiếu, đạt 63,64%",
        "II. Bằng khen tập thể: 2 tập thể",
        f"1. {u[3].name}: 8 phiếu, đạt 72,73%",
        f"2. {u[5].name}: 7 phiếu, đạt 63,64%",  # the runoff's winner, in place of the tie
        "III. Bằng khen cá nhân: 1 cá nhân",
        f"1. Phạm Thị Hoa, Phó Trưởng ban, {u[7].name}: 8 phiếu, đạt 72,73%",
        "Hồ sơ kèm theo:",
        "- Biên bản kiểm phiếu số 01-BB/CTĐ4: Đề nghị tặng Cờ thi đua của Ban Tổ chức Trung "
        "ương (Hội nghị tổng kết năm 2021, 04/12/2021)",
        "- Biên bản kiểm phiếu số 02-BB/CTĐ4: Đề nghị tặng Bằng khen tập thể (Hội nghị tổng "
        "kết năm 2021, 04/12/2021)",
        "- Biên bản kiểm phiếu số 03-BB/CTĐ4: Đề nghị tặng Bằng khen tập thể (bầu lại) (Hội "
        "nghị tổng kết năm 2021, 04/12/2021)",
        "- Biên bản kiểm phiếu số 04-BB/CTĐ4: Đề nghị tặng Bằng khen cá nhân (Hội nghị tổng "
        "kết năm 2021, 04/12/2021)",
    ]
    signature = Document(io.BytesIO(response.content)).tables[-1].rows[0].cells[1].text
    assert signature == (
        f"TM. {s.world.cluster.name.upper()}\nCỤM TRƯỞNG\nNguyễn Thanh Ngọc\n"
        "(Ký, ghi rõ họ tên, đóng dấu)"
    )
    # the page: the same lists with votes, the whole slate with each outcome, the minutes
    page = client.get(proposal_url(s))
    assert [[row.candidate.unit for row, _field in rows] for _s, rows in page.context["sections"]][
        :2
    ] == [[u[0], u[1]], [u[3], u[5]]]
    assert page.context["polls"] == [made[s.flag.pk], made[s.merit.pk], second, made[s.people.pk]]
    html = page.content.decode()
    assert "03-BB/CTĐ4: Đề nghị tặng Bằng khen tập thể (bầu lại)" in html
    for poll in page.context["polls"]:
        assert reverse("awards:poll_minutes_docx", kwargs={"poll": poll.uuid}) in html
    assert "không được đưa vào tờ trình" in html and 'id="vote-missing"' not in html


def post_data(s, **changes):
    return {
        "number": "12-TTr/CTĐ4",
        "signed_on": "20/12/2021",
        "signer_name": "Nguyễn Thanh Ngọc",
        "signer_title": "Cụm trưởng",
        "status": Proposal.Status.SENT,
    } | changes


def test_a_proposal_sent_with_a_pending_poll_is_refused_naming_it(client):
    s = make_slate()
    vote_everything(s, runoff=False)
    client.force_login(s.world.secretary)
    response = client.post(proposal_url(s), post_data(s))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "status": [
            "Tờ trình theo kết quả bỏ phiếu đã công bố, nhưng còn thiếu:",
            "Bằng khen tập thể (đơn vị): kết quả bầu lại “Đề nghị tặng Bằng khen tập thể” chưa "
            "được công bố.",
        ]
    }
    html = response.content.decode()
    assert "kết quả bầu lại “Đề nghị tặng Bằng khen tập thể” chưa được công bố." in html
    assert not Proposal.objects.exists()
    # a draft may be saved meanwhile
    response = client.post(proposal_url(s), post_data(s, status=Proposal.Status.DRAFT))
    assert response.status_code == 302
    assert Proposal.objects.get().is_draft
    # sending it, with another signer, is refused the same way and leaves the draft as it was
    response = client.post(proposal_url(s), post_data(s, signer_name="Trần Văn Ký"))
    assert list(response.context["form"].errors) == ["status"]
    draft = Proposal.objects.get()
    assert (draft.status, draft.signer_name) == (Proposal.Status.DRAFT, "Nguyễn Thanh Ngọc")


def test_sending_needs_the_number_and_the_date(client):
    s = make_slate()
    vote_everything(s)
    client.force_login(s.world.secretary)
    response = client.post(proposal_url(s), post_data(s, number="", signed_on=""))
    assert response.context["form"].errors == {
        "number": ["Nhập số tờ trình trước khi gửi."],
        "signed_on": ["Nhập ngày ký tờ trình trước khi gửi."],
    }
    assert not Proposal.objects.exists()


def test_sent_then_decided(client):
    s = make_slate()
    vote_everything(s)
    client.force_login(s.world.secretary)
    response = client.post(proposal_url(s), post_data(s))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.status, proposal.number, proposal.signed_on, proposal.signer_name) == (
        Proposal.Status.SENT,
        "12-TTr/CTĐ4",
        datetime.date(2021, 12, 20),
        "Nguyễn Thanh Ngọc",
    )
    flags = s.candidates(s.flag)
    decided = post_data(
        s,
        status=Proposal.Status.DECIDED,
        decision_number="345-QĐ/BTCTW",
        decision_date="31/02/2022",
        **{f"granted_{flags[0].pk}": "yes", f"granted_{flags[1].pk}": "no"},
    )
    response = client.post(proposal_url(s), decided)
    assert response.context["form"].errors == {"decision_date": ["Nhập một ngày hợp lệ."]}
    assert Proposal.objects.get().status == Proposal.Status.SENT
    response = client.post(proposal_url(s), decided | {"decision_date": "15/03/2022"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_number, proposal.decision_date) == (
        Proposal.Status.DECIDED,
        "345-QĐ/BTCTW",
        datetime.date(2022, 3, 15),
    )
    granted = dict(Candidate.objects.filter(award_type=s.flag).values_list("pk", "granted"))
    # the third flag candidate did not pass: not on the form, nothing recorded
    assert granted == {flags[0].pk: True, flags[1].pk: False, flags[2].pk: None} | {
        c.pk: None for c in Candidate.objects.filter(award_type=s.flag, status="withdrawn")
    }


def test_who_may_not_see_the_proposal(client):
    s = make_slate()
    url = proposal_url(s)
    assert client.get(url).status_code == 302
    for user in (s.world.officer_a, s.world.outsider, s.members[0]):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, post_data(s)).status_code == 403
    assert not Proposal.objects.exists()


def test_the_proposal_page_costs_the_same_with_one_or_three_polls_and_a_runoff(client):
    s = make_slate()
    client.force_login(s.world.secretary)

    def queries() -> int:
        client.get(proposal_url(s))
        with CaptureQueriesContext(connection) as context:
            response = client.get(proposal_url(s))
        assert response.status_code == 200
        return len(context.captured_queries)

    run(s, committee.create_poll_from_slate(conference=s.conference, award_type=s.flag), FLAG_VOTES)
    small = queries()
    vote_everything_but_the_flag(s)
    assert len(documents.proposal_polls(documents.slate_vote(s.round))) == 4
    assert queries() == small
    assert small == 22, small  # 21, and 1 for the signed scans of the minutes attached


def vote_everything_but_the_flag(s):
    for award, ballots in ((s.merit, MERIT_VOTES), (s.people, PEOPLE_VOTES)):
        run(s, committee.create_poll_from_slate(conference=s.conference, award_type=award), ballots)
    run(s, Poll.objects.get(runoff_of__award_type=s.merit), RUNOFF_VOTES)
