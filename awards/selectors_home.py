"""What the home page shows of the conferences where an account serves: the polls under way,
with the button each one needs (vote as a delegate, count as the committee).

A delegate learns only what concerns their own ballot: whether one was issued to them, on which
channel, and, for an account ballot, whether it was cast (the committee knows as much from the
issuance). A card's code has no holder, so a card ballot is never said to be cast.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from clusters.models import Conference
from clusters.selectors import ServedConference

from .models import Issuance, Poll

# The polls the committee still has work on: from the opening to the publication.
UNDER_WAY = (Poll.Status.OPEN, Poll.Status.CLOSED, Poll.Status.COUNTED, Poll.Status.CERTIFIED)


@dataclass
class HomePoll:
    poll: Poll
    as_delegate: bool
    on_committee: bool
    ballot: Issuance | None = None

    @property
    def voted(self) -> bool:
        """The delegate's account ballot was cast."""
        return (
            self.ballot is not None
            and self.ballot.channel == Issuance.ACCOUNT
            and (self.ballot.consumed)
        )

    @property
    def vote_url(self) -> str:
        """Where the delegate votes now: the account page, or the card page (the code is typed
        there); empty when there is nothing to cast online."""
        if not (self.as_delegate and self.poll.is_open) or self.ballot is None or self.voted:
            return ""
        if self.ballot.channel == Issuance.ACCOUNT:
            return reverse("awards:vote_account", kwargs={"poll": self.poll.uuid})
        if self.ballot.channel == Issuance.CARD:
            return reverse("awards:vote", kwargs={"poll": self.poll.uuid})
        return ""

    @property
    def on_paper(self) -> bool:
        """A delegate of an open poll whose ballot is on paper (cast in the ballot box)."""
        return (
            self.as_delegate
            and self.poll.is_open
            and self.ballot is not None
            and self.ballot.channel == Issuance.PAPER
        )

    @property
    def awaits_ballot(self) -> bool:
        """A delegate of an open poll who has not received a ballot yet (not checked in)."""
        return self.as_delegate and self.poll.is_open and self.ballot is None


@dataclass
class HomeConference:
    conference: Conference
    as_delegate: bool
    on_committee: bool
    polls: list[HomePoll] = field(default_factory=list)


def home_conferences(served: list[ServedConference], user) -> list[HomeConference]:
    """For each conference of `clusters.selectors.conferences_served`, its polls under way for
    this account: the open ones for a delegate, every one until published for a committee
    member. Two queries."""
    if not served:
        return []
    polls = list(
        Poll.objects.filter(
            conference__in=[s.conference for s in served], status__in=UNDER_WAY
        ).order_by("pk")
    )
    ballots = {
        issuance.poll_id: issuance
        for issuance in Issuance.objects.filter(poll__in=polls, person__user=user)
    }
    by_conference: dict[int, list[Poll]] = {}
    for poll in polls:
        by_conference.setdefault(poll.conference_id, []).append(poll)
    return [
        HomeConference(
            conference=s.conference,
            as_delegate=s.as_delegate,
            on_committee=s.on_committee,
            polls=[
                HomePoll(
                    poll=poll,
                    as_delegate=s.as_delegate,
                    on_committee=s.on_committee,
                    ballot=ballots.get(poll.pk),
                )
                for poll in by_conference.get(s.conference.pk, [])
                if s.on_committee or (s.as_delegate and poll.is_open)
            ],
        )
        for s in served
    ]
