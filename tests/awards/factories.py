"""Factories and builders for the awards app's models: award types, nomination rounds and their
candidates, polls and their options (`make_poll`: a conference with one delegate per unit),
the counting committee (`with_committee`), and the poll world (`build_poll_world`).

Ballots, codes and receipts are never built here: only the voting services make them, so that
the tests see the secrecy the services keep."""

import datetime
from dataclasses import dataclass

import factory

from awards.models import (
    AwardType,
    Candidate,
    CommitteeChair,
    NominationRound,
    Poll,
    PollOption,
    Proposal,
    Quota,
)
from awards.services import attendance, committee, polls
from tests.clusters.factories import (
    ClusterFactory,
    ClusterYearFactory,
    ConferenceFactory,
    PersonFactory,
    UserFactory,
    make_cluster,
)


class AwardTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardType

    cluster = factory.SubFactory(ClusterFactory)
    name = factory.Sequence(lambda n: f"Bằng khen {n}")
    recipient = AwardType.UNIT
    rank = factory.Sequence(lambda n: n + 1)


class NominationRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NominationRound

    cluster_year = factory.SubFactory(ClusterYearFactory)


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quota

    round = factory.SubFactory(NominationRoundFactory)
    award_type = factory.SubFactory(AwardTypeFactory)
    quota = 2


class CandidateFactory(factory.django.DjangoModelFactory):
    """A candidate of the round for an award type; give it a unit, a person or an entry."""

    class Meta:
        model = Candidate

    round = factory.SubFactory(NominationRoundFactory)
    award_type = factory.SubFactory(AwardTypeFactory)


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    round = factory.SubFactory(NominationRoundFactory)


class PollFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Poll

    conference = factory.SubFactory(ConferenceFactory)
    question = "Đề nghị tặng Cờ thi đua"


class CommitteeChairFactory(factory.django.DjangoModelFactory):
    """The chair (Trưởng ban) of a conference's counting committee: one of its members."""

    class Meta:
        model = CommitteeChair

    conference = factory.SubFactory(ConferenceFactory)
    person = factory.SubFactory(PersonFactory)


class PollOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PollOption

    poll = factory.SubFactory(PollFactory)
    label = factory.Sequence(lambda n: f"Phương án {n}")
    position = factory.Sequence(lambda n: n)


def make_poll(*, n_delegates: int = 11, seats: int = 2, kind: str = Poll.CHOOSE, **rules):
    """A conference of a cluster with n member units, one delegate each, and a poll whose
    options are the units. Returns (poll, options, delegates)."""
    cluster, units = make_cluster(n_delegates)
    cluster_year = ClusterYearFactory(cluster=cluster, year=2020)
    conference = ConferenceFactory(cluster_year=cluster_year)
    delegates = [PersonFactory(unit=unit) for unit in units]
    conference.delegates.set(delegates)
    poll = PollFactory(conference=conference, kind=kind, seats=seats, **rules)
    options = [
        PollOptionFactory(poll=poll, label=unit.short_name, unit=unit, position=i)
        for i, unit in enumerate(units)
    ]
    return poll, options, delegates


def with_committee(poll):
    """Two committee members with accounts, people of the first two delegates' units.
    Returns their users."""
    conference = poll.conference
    units = [d.unit for d in conference.delegates.order_by("pk")[:2]]
    members = [PersonFactory(unit=unit, user=UserFactory()) for unit in units]
    conference.counting_committee.set(members)
    return [m.user for m in members]


def make_counted_poll(world, *, award_type=None, candidates=None):
    """A poll of the 2021 year-end conference among the first three units: 11 delegates, two
    seats; 9, 7 and 4 votes of 11 ballots issued. Two committee members with accounts."""
    conference = ConferenceFactory(
        cluster_year=world.year,
        title="Hội nghị tổng kết năm 2021",
        date=datetime.date(2021, 12, 4),
        place="Tây Ninh",
    )
    delegates = [PersonFactory(unit=unit) for unit in world.units]
    conference.delegates.set(delegates)
    members = [
        PersonFactory(full_name="Trần Văn Kiểm", unit=world.units[5], user=UserFactory()),
        PersonFactory(full_name="Lê Thị Phiếu", unit=world.units[6], user=UserFactory()),
    ]
    conference.counting_committee.set(members)
    committee.set_committee_chair(conference=conference, person=members[0])
    poll = PollFactory(
        conference=conference,
        question="Đề nghị tặng Cờ thi đua của Ban Tổ chức Trung ương",
        seats=2,
        award_type=award_type,
    )
    options = [
        PollOptionFactory(
            poll=poll,
            label=unit.short_name,
            unit=unit,
            position=i,
            candidate=candidates[i] if candidates else None,
        )
        for i, unit in enumerate(world.units[:3])
    ]
    polls.open_poll(poll=poll)
    a, b, c = (o.pk for o in options)
    ballots = [[a, b]] * 7 + [[a, c]] * 2 + [[c]] * 2
    for person, choices in zip(delegates, ballots, strict=True):
        attendance.check_in(conference=poll.conference, person=person, channel="account")
        polls.cast_with_account(poll=poll, person=person, choices=choices)
    close_and_decrypt(poll)
    committee.mark_counted(poll=poll)
    poll.refresh_from_db()
    return poll, [m.user for m in members]


def collect_shares(poll, count: int | None = None) -> list[str]:
    """The key shares of the first `count` holders (as many as needed by default), each
    collected by its holder as on the poll's page."""
    from awards.services import keys

    poll.refresh_from_db()
    wanted = poll.shares_needed if count is None else count
    return [
        keys.collect_share(poll=poll, user=share.holder)
        for share in poll.key_shares.select_related("holder").order_by("number")[:wanted]
    ]


def close_and_decrypt(poll):
    """Close the poll, then decrypt its electronic ballots with the holders' shares, as the
    committee does before the count."""
    from awards.services import keys

    polls.close_poll(poll=poll)
    poll.refresh_from_db()
    if not poll.is_decrypted:
        keys.decrypt(poll=poll, shares=collect_shares(poll))
    poll.refresh_from_db()
    return poll


@dataclass
class PollWorld:
    """A draft poll among the units of a cluster, its delegates and its counting committee."""

    poll: Poll
    options: list[PollOption]  # one per unit, in rotation order
    delegates: list  # one Person per unit
    committee: list  # the two committee members' users


def build_poll_world(n_delegates: int = 5, seats: int = 2) -> PollWorld:
    poll, options, delegates = make_poll(n_delegates=n_delegates, seats=seats)
    return PollWorld(poll, options, delegates, with_committee(poll))


def check_in(poll, people, channel: str) -> None:
    """Check these delegates in for the poll's conference, on one channel (a poll open now
    gives them their ballots at once, a draft one when it opens)."""
    from awards.services import attendance

    for person in people:
        attendance.check_in(conference=poll.conference, person=person, channel=channel)


def make_cards(poll, count: int) -> list[str]:
    """Cards for an open poll: as many delegates of the roster as needed (not checked in yet)
    are checked in on cards first, since cards may not outnumber the card holders."""
    from awards.models import CheckIn, Issuance
    from awards.services import attendance, polls

    needed = count - attendance.figures(poll).cards_left
    if needed > 0:
        present = CheckIn.objects.filter(conference=poll.conference).values("person")
        people = list(poll.conference.delegates.exclude(pk__in=present).order_by("pk")[:needed])
        assert len(people) == needed, "the roster is too short for these cards"
        check_in(poll, people, Issuance.CARD)
    return polls.make_codes(poll=poll, count=count)
