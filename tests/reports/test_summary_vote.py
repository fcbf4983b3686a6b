"""The year-end summary's awards section follows the proposal: the same candidates from the
published votes, the vote tables (a runoff said so), and what is still missing named; nothing
is said missing once the votes are published."""

import pytest

from awards.models import Poll, Proposal
from awards.services import committee
from reports.content import summary_of
from tests.awards.slate_world import (
    FLAG_VOTES,
    MERIT_VOTES,
    PEOPLE_VOTES,
    RUNOFF_VOTES,
    make_slate,
    run,
)

pytestmark = pytest.mark.django_db


def award_lines(summary) -> list[str]:
    return [m for m in summary.missing if "bỏ phiếu" in m or "bằng phiếu" in m]


def test_the_summary_says_what_the_votes_decided_and_what_is_missing():
    s = make_slate()
    assert award_lines(summary_of(s.world.year)) == [
        "Cờ thi đua của Ban Tổ chức Trung ương (tập thể): danh sách đề cử có 3 tập thể; chưa "
        "có kết quả bỏ phiếu.",
        "Bằng khen tập thể (tập thể): danh sách đề cử có 4 tập thể; chưa có kết quả bỏ phiếu.",
        "Bằng khen cá nhân (cá nhân): danh sách đề cử có 2 cá nhân; chưa có kết quả bỏ phiếu.",
    ]
    for award, ballots in ((s.flag, FLAG_VOTES), (s.merit, MERIT_VOTES), (s.people, PEOPLE_VOTES)):
        run(s, committee.create_poll_from_slate(conference=s.conference, award_type=award), ballots)
    summary = summary_of(s.world.year)
    assert award_lines(summary) == [
        "Bằng khen tập thể (tập thể): chưa công bố kết quả bỏ phiếu “Đề nghị tặng Bằng khen tập "
        "thể” (bầu lại)."
    ]
    u = s.world.units
    assert [(a.heading, a.candidates) for a in summary.awards] == [
        ("Cờ thi đua của Ban Tổ chức Trung ương: 2 tập thể", [u[0].name, u[1].name]),
        ("Bằng khen tập thể: 1 tập thể", [u[3].name]),  # the tie waits for the runoff
        ("Bằng khen cá nhân: 1 cá nhân", [f"Phạm Thị Hoa, Phó Trưởng ban, {u[7].name}"]),
    ]
    run(s, Poll.objects.get(runoff_of__isnull=False), RUNOFF_VOTES)
    Proposal.objects.create(round=s.round, number="12-TTr/CTĐ4")
    summary = summary_of(s.world.year)
    assert award_lines(summary) == []
    merit = summary.awards[1]
    assert merit.candidates == [u[3].name, u[5].name]
    assert [p.question for p in merit.polls] == [
        "Đề nghị tặng Bằng khen tập thể",
        "Đề nghị tặng Bằng khen tập thể (bầu lại)",
    ]
    assert summary.proposal == [
        "Tờ trình đề nghị khen thưởng số 12-TTr/CTĐ4 đang được dự thảo, chưa gửi cấp trên."
    ]
