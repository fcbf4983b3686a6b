"""Demo data of issue 10: the 2020 year-end conference of Cluster No. 4 as it was held, so that
a newcomer finds the year closed: its polls made from the slate, counted, certified and
published, the runoff held, the proposal sent and decided.

Published facts (docs/DEMO_DATA.md): the conference of 04/12/2020 in Tây Ninh proposed the
emulation flag for Lâm Đồng and Tây Ninh, certificates of merit for 4 collectives (Bà Rịa -
Vũng Tàu, Tiền Giang, Long An, Đồng Nai) and for 14 individuals. Everything else here is
invented and marked so: every vote count, the tie at the 4th seat and its runoff, the times of
the day, the numbers and dates of the minutes, of the proposal and of the decision, the signer.
The eleven delegates all vote on paper: a count entered twice by the committee is what a
conference keeps of paper ballots, so no electronic ballot is written that nobody cast.

The conference is held through the committee's services, as in the app (check-in, opening,
closing, the two paper entries, counting, certifying, publishing), then the day's times are
set back to 04/12/2020. Loading is idempotent: a conference that already has polls is left as
it is (held once, like a real one). It is its own loader (settings.DEMO_LOADERS), so that the
browser journeys that hold the 2020 conference themselves can load the demo without it.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from clusters.demo import INVENTED, Loader

from .models import Certification, CheckIn, Issuance, PaperCount, Poll, Proposal
from .selectors_slate import slate_vote
from .services import attendance, committee, polls, proposals

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = datetime.date(2020, 12, 4)

# The signer of the cluster's 2020 documents (the proposal here, the summary in reports.demo):
# invented, as the head of the 2020 leader's board.
SIGNER_2020 = "Nguyễn Thanh Ngọc"
SIGNER_TITLE_2020 = "Cụm trưởng"

# Invented paper counts of the eleven ballots, per award type: the votes of each candidate in
# the slate's order (awards.demo), and the invalid ballots. Bà Rịa - Vũng Tàu has 2 of 11 for
# the flag; Đồng Nai and Bình Dương tie at the 4th seat of the certificates for collectives
# (7 votes each) and the runoff elects Đồng Nai; the 2 extra individuals fall below half.
VOTES_2020 = {
    "flag": ([10, 9, 2], 0),
    "merit_units": ([10, 9, 8, 7, 7], 0),
    "merit_people": ([10, 10, 10, 10, 9, 9, 9, 9, 9, 8, 8, 8, 8, 7, 4, 3], 1),
}
RUNOFF_VOTES_2020 = {"merit_units": ([7, 4], 0)}  # Đồng Nai, Bình Dương
# Why the invalid ballots were invalid (invented): more names kept than the seats.
INVALID_REASON_2020 = Poll.TOO_MANY
# The minutes' numbers, in the order the polls were counted (invented).
MINUTES_NUMBERS = {
    "flag": "01-BB/CTĐ4",
    "merit_units": "02-BB/CTĐ4",
    "merit_people": "03-BB/CTĐ4",
    "merit_units_runoff": "04-BB/CTĐ4",
}
# When each poll opened (local time); it closed 15 minutes later and was counted in 20 more.
OPENED_AT = {
    "flag": datetime.time(9, 30),
    "merit_units": datetime.time(10, 15),
    "merit_people": datetime.time(11, 0),
    "merit_units_runoff": datetime.time(13, 45),
}
CHECKED_IN_AT = datetime.time(8, 0)
PROPOSAL_2020 = {
    "number": "12-TTr/CTĐ4",
    "signed_on": datetime.date(2020, 12, 8),
    "decision_number": "1268-QĐ/BTCTW",
    "decision_date": datetime.date(2021, 1, 15),
}

NOTES = [
    "Hội nghị tổng kết 2020: 11 đại biểu bỏ phiếu giấy; số phiếu từng ứng viên, việc bằng "
    "phiếu ở vị trí thứ 4 (Đồng Nai, Bình Dương) và cuộc bầu lại, giờ giấc, số biên bản, số và "
    "ngày Tờ trình, số và ngày Quyết định khen thưởng là giả định (invented vote counts, times "
    "and numbers); kết quả đề nghị (2 Cờ, 4 tập thể, 14 cá nhân) theo thông tin đã công bố.",
]


def _at(time: datetime.time, minutes: int = 0) -> datetime.datetime:
    moment = datetime.datetime.combine(DAY, time, tzinfo=TZ)
    return moment + datetime.timedelta(minutes=minutes)


def _enter_paper(poll: Poll, users: list, votes: list[int], invalid: int) -> None:
    """The two committee members' independent entries of the paper count, which agree."""
    options = list(poll.options.order_by("position"))
    issued = Issuance.objects.filter(poll=poll, channel=Issuance.PAPER).count()
    entry = {str(o.pk): {"for": n} for o, n in zip(options, votes, strict=True)}
    for user in users:
        committee.save_paper_count(
            poll=poll,
            user=user,
            issued=issued,
            collected=issued,
            valid=issued - invalid,
            invalid=invalid,
            votes=entry,
            invalid_by_reason={INVALID_REASON_2020: invalid} if invalid else {},
        )


def _hold(poll: Poll, *, key: str, votes: list[int], invalid: int, counters, certifiers, number):
    """Open, close, count (twice on paper), certify and publish one poll; then set its day's
    times back to 04/12/2020."""
    polls.open_poll(poll=poll)
    polls.close_poll(poll=poll)
    _enter_paper(poll, counters, votes, invalid)
    committee.mark_counted(poll=poll)
    for user in certifiers:
        committee.certify(poll=poll, user=user)
    committee.publish(poll=poll)
    committee.set_minutes_number(poll=poll, number=number)
    opened = _at(OPENED_AT[key])
    Poll.objects.filter(pk=poll.pk).update(
        count_started_at=opened + datetime.timedelta(minutes=15),
        count_ended_at=opened + datetime.timedelta(minutes=35),
    )
    PaperCount.objects.filter(poll=poll).update(entered_at=opened + datetime.timedelta(minutes=30))
    Certification.objects.filter(poll=poll).update(
        certified_at=opened + datetime.timedelta(minutes=40)
    )


@transaction.atomic
def load_demo_conference_2020(data: dict) -> dict:
    """Hold the 2020 year-end conference (idempotent: once it has polls, it is left alone).

    Keys returned: polls_2020 (by award key, and "merit_units_runoff"), proposal_2020; and
    stats, summary, notes for the load_demo command.
    """
    load = Loader()
    conference = data["conferences"]["2020_year_end"]
    award_types = data["award_types"]
    users = data["users"]
    counters = [users["kiemphieu"], users["kiemphieu2"]]
    certifiers = [users["kiemphieu"], users["kiemphieu2"], users["kiemphieu3"]]
    nomination_round = data["nomination_round_2020"]

    held = {
        _key(award_types, poll): poll
        for poll in Poll.objects.filter(conference=conference, award_type__isnull=False)
    }
    if not held:
        committee.set_committee_chair(conference=conference, person=certifiers[0].person)
        for person in conference.delegates.order_by("pk"):
            attendance.check_in(conference=conference, person=person, channel=Issuance.PAPER)
        CheckIn.objects.filter(conference=conference).update(checked_in_at=_at(CHECKED_IN_AT))
        for key, (votes, invalid) in VOTES_2020.items():
            poll = committee.create_poll_from_slate(
                conference=conference, award_type=award_types[key]
            )
            _hold(
                poll,
                key=key,
                votes=votes,
                invalid=invalid,
                counters=counters,
                certifiers=certifiers,
                number=MINUTES_NUMBERS[key],
            )
            held[key] = poll
            load.created += 1
            runoff = poll.runoffs.first()
            if runoff is not None:
                votes, invalid = RUNOFF_VOTES_2020[key]
                _hold(
                    runoff,
                    key=f"{key}_runoff",
                    votes=votes,
                    invalid=invalid,
                    counters=counters,
                    certifiers=certifiers,
                    number=MINUTES_NUMBERS[f"{key}_runoff"],
                )
                held[f"{key}_runoff"] = runoff
                load.created += 1

    proposal = Proposal.objects.filter(round=nomination_round).first()
    if proposal is None or not proposal.is_decided:
        vote = slate_vote(nomination_round)
        proposed = [row.candidate.pk for award in vote.awards for row in award.passed]
        values = {
            "number": PROPOSAL_2020["number"],
            "signed_on": PROPOSAL_2020["signed_on"],
            "signer_name": SIGNER_2020,
            "signer_title": SIGNER_TITLE_2020,
            "decision_number": PROPOSAL_2020["decision_number"],
            "decision_date": PROPOSAL_2020["decision_date"],
            "status": Proposal.Status.DECIDED,
            "note": f"{INVENTED}: số và ngày Tờ trình, số và ngày Quyết định.",
        }
        proposal = proposals.record_outcome(
            nomination_round=nomination_round,
            values=values,
            granted=dict.fromkeys(proposed, True),
        )
        load.created += 1

    published = sum(1 for poll in held.values() if poll.is_published)
    summary = [
        f"Hội nghị tổng kết 2020: {published} cuộc bỏ phiếu đã công bố (có 1 cuộc bầu lại), "
        f"Tờ trình {proposal.number} đã có Quyết định {proposal.decision_number}.",
    ]
    return {
        "polls_2020": held,
        "proposal_2020": proposal,
        "stats": {
            "created": load.created,
            "updated": load.updated,
            "changed": load.changed_objects,
        },
        "summary": summary,
        "notes": NOTES,
    }


def _key(award_types: dict, poll: Poll) -> str:
    key = next(k for k, t in award_types.items() if t.pk == poll.award_type_id)
    return f"{key}_runoff" if poll.runoff_of_id else key
