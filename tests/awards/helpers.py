from awards.models import Poll, PollOption
from tests.factories import ClusterYearFactory, ConferenceFactory, PersonFactory, make_cluster


def make_poll(*, n_delegates: int = 11, seats: int = 2, kind: str = Poll.CHOOSE, **rules):
    """A conference of a cluster with n member units, one delegate each, and a poll whose
    options are the units."""
    cluster, units = make_cluster(n_delegates)
    cluster_year = ClusterYearFactory(cluster=cluster, year=2020)
    conference = ConferenceFactory(cluster_year=cluster_year)
    delegates = [PersonFactory(unit=unit) for unit in units]
    conference.delegates.set(delegates)
    poll = Poll.objects.create(
        conference=conference, question="Đề nghị tặng Cờ thi đua", kind=kind, seats=seats, **rules
    )
    options = [
        PollOption.objects.create(poll=poll, label=unit.short_name, unit=unit, position=i)
        for i, unit in enumerate(units)
    ]
    return poll, options, delegates


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
