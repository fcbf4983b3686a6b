"""Who may do what with awards and polls, in the vocabulary of clusters.rules."""

import rules

from clusters.models import Conference
from clusters.rules import (
    can_view_cluster,
    is_admin,
    is_member_officer_in_year,
    is_secretariat,
    is_supervisor,
    is_year_open,
)

from .models import Candidate, NominationRound, Poll


def _cluster_year(obj):
    if isinstance(obj, Poll):
        return obj.conference.cluster_year
    if isinstance(obj, NominationRound):
        return obj.cluster_year
    if isinstance(obj, Candidate):
        return obj.round.cluster_year
    if isinstance(obj, Conference):
        return obj.cluster_year
    return obj


def _conference(obj):
    return obj.conference if isinstance(obj, Poll) else obj


@rules.predicate
def secretariat(user, obj) -> bool:
    return is_secretariat(user, _cluster_year(obj))


@rules.predicate
def year_open(user, obj) -> bool:
    return is_year_open(user, _cluster_year(obj))


@rules.predicate
def supervisor(user, obj) -> bool:
    return is_supervisor(user, _cluster_year(obj))


@rules.predicate
def member_officer(user, obj) -> bool:
    return is_member_officer_in_year(user, _cluster_year(obj))


@rules.predicate
def views_cluster(user, obj) -> bool:
    return can_view_cluster(user, _cluster_year(obj))


@rules.predicate
def counting_committee(user, obj) -> bool:
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is None:
        return False
    return _conference(obj).counting_committee.filter(pk=person.pk).exists()


@rules.predicate
def delegate(user, obj) -> bool:
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is None:
        return False
    return _conference(obj).delegates.filter(pk=person.pk).exists()


@rules.predicate
def poll_published(user, poll) -> bool:
    return isinstance(poll, Poll) and poll.is_published


@rules.predicate
def poll_tallied(user, poll) -> bool:
    """Every channel counted (services.counting.all_channels_counted)."""
    from .services.counting import all_channels_counted

    return isinstance(poll, Poll) and all_channels_counted(poll)


@rules.predicate
def poll_counted(user, poll) -> bool:
    return isinstance(poll, Poll) and poll.is_counted


can_run_poll = is_admin | ((counting_committee | secretariat) & year_open)
can_view_poll = (
    is_admin | counting_committee | secretariat | (poll_published & (views_cluster | delegate))
)


# Award types, rounds, quotas, the slate: the secretariat of an open year.
rules.add_perm("awards.manage_awards", is_admin | (secretariat & year_open))
rules.add_perm("awards.view_awards", is_admin | views_cluster)
# The award proposal (Tờ trình) of a nomination round: the year's secretariat (a closed year's
# too, to read what it sent) and the cluster's supervisors. The proposal's page and its files ask
# it, and so do the links to it. Changing it (number, signer, status, decision) needs an open
# year, except for the supervisors and admins.
rules.add_perm("awards.view_proposal", is_admin | secretariat | supervisor)
rules.add_perm("awards.change_proposal", is_admin | (secretariat & year_open) | supervisor)
# The signed, stamped scan of the proposal (once sent): kept by the secretariat of the open
# year, who issue it; not by the supervisors, who receive it.
rules.add_perm("awards.upload_proposal_scan", is_admin | (secretariat & year_open))
# Unit officers nominate their own unit's people (the view checks the unit).
rules.add_perm("awards.nominate", member_officer & year_open)
# The counting committee runs a poll: open, check in, close, paper counts, certify.
rules.add_perm("awards.run_poll", can_run_poll)
rules.add_perm("awards.vote_with_account", delegate & year_open)
# The number of ballots received while a poll is open: the people of its conference.
rules.add_perm("awards.view_ballot_count", is_admin | counting_committee | secretariat | delegate)
# The poll's page: the committee and the secretariat; the cluster and the delegates once the
# result is published.
rules.add_perm("awards.view_poll_results", can_view_poll)
# The count on that page: for the committee running the poll once every channel is counted
# (the electronic ballots decrypted, the paper entries agreed), so it checks the figures
# before marking the poll counted; from the count for everyone else on the page.
rules.add_perm("awards.view_count", (poll_tallied & can_run_poll) | (poll_counted & can_view_poll))
# The vote-count minutes (once the poll is counted): the committee running the poll; everyone
# on the poll's page once the result is published.
rules.add_perm("awards.view_minutes", can_run_poll | (poll_published & can_view_poll))
# The signed scan of the minutes (once counted): the committee running the poll and the
# secretariat; it is read by whoever may read the minutes.
rules.add_perm("awards.upload_minutes_scan", can_run_poll)
