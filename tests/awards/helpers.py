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
