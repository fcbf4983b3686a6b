"""A 2021 year-end conference with a final slate, for the polls made from the slate, the
proposal that follows them and the summary: 11 delegates with accounts, two committee members."""

import datetime
from dataclasses import dataclass

from awards.models import AwardType, Candidate, CheckIn, NominationRound, Poll, Quota
from awards.services import attendance, committee, polls
from clusters.models import Conference
from tests.awards.factories import close_and_decrypt
from tests.clusters.factories import (
    ConferenceFactory,
    PersonFactory,
    UserFactory,
    World,
    build_world,
)


@dataclass
class Slate:
    world: World
    conference: Conference
    round: NominationRound
    flag: AwardType  # for units, quota 2: units 0, 1, 2 on the slate
    merit: AwardType  # for units, quota 2: units 3, 4, 5, 6 on the slate
    people: AwardType  # for individuals, quota 1: two people on the slate
    delegates: list
    members: list  # the committee's accounts

    def candidates(self, award_type) -> list[Candidate]:
        return list(
            Candidate.objects.filter(
                award_type=award_type, status=Candidate.Status.ON_SLATE
            ).order_by("pk")
        )


def make_slate(prefix: str = "") -> Slate:
    world = build_world(n_units=11, prefix=prefix)
    conference = ConferenceFactory(
        cluster_year=world.year,
        title="Hội nghị tổng kết năm 2021",
        date=datetime.date(2021, 12, 4),
        place="Tây Ninh",
    )
    delegates = [PersonFactory(unit=unit, user=UserFactory()) for unit in world.units]
    conference.delegates.set(delegates)
    members = [
        PersonFactory(full_name="Trần Văn Kiểm", unit=world.units[5], user=UserFactory()),
        PersonFactory(full_name="Lê Thị Phiếu", unit=world.units[6], user=UserFactory()),
    ]
    conference.counting_committee.set(members)
    committee.set_committee_chair(conference=conference, person=members[0])
    flag = AwardType.objects.create(
        cluster=world.cluster, name="Cờ thi đua của Ban Tổ chức Trung ương", recipient="unit"
    )
    merit = AwardType.objects.create(
        cluster=world.cluster, name="Bằng khen tập thể", recipient="unit", rank=2
    )
    people = AwardType.objects.create(
        cluster=world.cluster, name="Bằng khen cá nhân", recipient="individual", rank=3
    )
    nomination_round = NominationRound.objects.create(
        cluster_year=world.year, status=NominationRound.Status.FINAL
    )
    for award, quota in ((flag, 2), (merit, 2), (people, 1)):
        Quota.objects.create(round=nomination_round, award_type=award, quota=quota)
    for award, units in ((flag, world.units[:3]), (merit, world.units[3:7])):
        for unit in units:
            Candidate.objects.create(
                round=nomination_round,
                award_type=award,
                unit=unit,
                status=Candidate.Status.ON_SLATE,
            )
    for name, unit in (("Phạm Thị Hoa", world.units[7]), ("Võ Văn Nam", world.units[8])):
        Candidate.objects.create(
            round=nomination_round,
            award_type=people,
            person=PersonFactory(full_name=name, position="Phó Trưởng ban", unit=unit),
            status=Candidate.Status.ON_SLATE,
        )
    Candidate.objects.create(
        round=nomination_round,
        award_type=flag,
        unit=world.units[9],
        status=Candidate.Status.WITHDRAWN,
    )
    return Slate(
        world=world,
        conference=conference,
        round=nomination_round,
        flag=flag,
        merit=merit,
        people=people,
        delegates=delegates,
        members=[m.user for m in members],
    )


def run(slate: Slate, poll: Poll, ballots: list[list[int]], *, publish: bool = True) -> Poll:
    """Open the poll, one ballot per delegate by account (choices by place on the ballot),
    close, count and, when `publish`, certify and publish. Those present when it opens are the
    voters (checked in on their accounts; the others checked out), so it issues one ballot each."""
    voters = slate.delegates[: len(ballots)]
    present = set(
        CheckIn.objects.filter(
            conference=slate.conference, checked_out_at__isnull=True
        ).values_list("person_id", flat=True)
    )
    for person in slate.delegates:
        here = person.pk in present
        if here and person not in voters:
            attendance.check_out(conference=slate.conference, person=person)
        elif not here and person in voters:
            attendance.check_in(conference=slate.conference, person=person, channel="account")
    polls.open_poll(poll=poll)
    options = list(poll.options.order_by("position"))
    for person, picks in zip(voters, ballots, strict=True):
        polls.cast_with_account(poll=poll, person=person, choices=[options[i].pk for i in picks])
    close_and_decrypt(poll)
    committee.mark_counted(poll=poll)
    if publish:
        for user in slate.members:
            committee.certify(poll=poll, user=user)
        committee.publish(poll=poll)
    poll.refresh_from_db()
    return poll


# The votes of the demo's story: the flag 9, 7 and 4 of 11 (two elected); the unit
# certificates 8, 6, 6 and 2 (a tie at the second seat); the runoff 7 and 4.
FLAG_VOTES = [[0, 1]] * 7 + [[0, 2]] * 2 + [[2]] * 2
MERIT_VOTES = [[0, 1]] * 4 + [[0, 2]] * 4 + [[1, 2]] * 2 + [[3]]
RUNOFF_VOTES = [[1]] * 7 + [[0]] * 4  # on the runoff's ballot: 0 is units[4], 1 is units[5]
PEOPLE_VOTES = [[0]] * 8 + [[1]] * 3
