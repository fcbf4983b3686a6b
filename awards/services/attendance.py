"""The conference's attendance: delegates are checked in once for the conference, each with
the channel of their ballots, and every poll opened while they are present gives them a ballot
on that channel. The ballots' figures of a poll must add up, and are held here, under the
poll's lock, for every write that changes them.

Lock order: the conference row, then its polls (by id). Casting and closing lock only the poll.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import Conference, Person

from ..models import BallotCode, CheckIn, Issuance, Poll, SealedBallot


@dataclass(frozen=True)
class Figures:
    """A poll's ballots by channel, as the invariants compare them."""

    card_holders: int  # delegates given a card ballot for this poll
    cards_issued: int  # cards printed, spares only once handed out
    spares_waiting: int  # spare cards printed and not handed out
    account_issued: int
    electronic_received: int  # ballots cast by card or account
    paper_issued: int

    @property
    def electronic_issued(self) -> int:
        return self.card_holders + self.account_issued

    @property
    def cards_left(self) -> int:
        """How many more cards may count as issued."""
        return max(self.card_holders - self.cards_issued, 0)


def figures(poll: Poll) -> Figures:
    """The poll's figures, in three queries."""
    issued = dict(
        Issuance.objects.filter(poll=poll)
        .values("channel")
        .annotate(n=models.Count("pk"))
        .values_list("channel", "n")
    )
    codes = BallotCode.objects.filter(poll=poll).aggregate(
        issued=models.Count("pk", filter=models.Q(handed_out=True)),
        waiting=models.Count("pk", filter=models.Q(handed_out=False)),
    )
    return Figures(
        card_holders=issued.get(Issuance.CARD, 0),
        cards_issued=codes["issued"],
        spares_waiting=codes["waiting"],
        account_issued=issued.get(Issuance.ACCOUNT, 0),
        electronic_received=SealedBallot.objects.filter(poll=poll).count(),
        paper_issued=issued.get(Issuance.PAPER, 0),
    )


def check_cards(poll: Poll, *, more: int = 0, field: str | None = None) -> None:
    """Refuse when the cards issued for the poll (with `more` of them) would outnumber the
    delegates holding a card ballot. Call it under the poll's lock."""
    current = figures(poll)
    if current.cards_issued + more > current.card_holders:
        message = _(
            "%(cards)s cards would be issued for “%(poll)s”, but only %(holders)s delegates "
            "are checked in with a card."
        ) % {
            "cards": current.cards_issued + more,
            "poll": poll.question,
            "holders": current.card_holders,
        }
        raise ValidationError({field: message} if field else message)


def check_electronic(poll: Poll) -> None:
    """Refuse one more electronic ballot than were issued. Call it under the poll's lock."""
    current = figures(poll)
    if current.electronic_received + 1 > current.electronic_issued:
        raise ValidationError(
            _("%(received)s electronic ballots were received, but only %(issued)s were issued.")
            % {"received": current.electronic_received, "issued": current.electronic_issued}
        )


def _locked_conference(conference: Conference) -> Conference:
    return Conference.objects.select_for_update().get(pk=conference.pk)


def _open_polls(conference: Conference) -> list[Poll]:
    return list(
        Poll.objects.select_for_update()
        .filter(conference=conference, status=Poll.Status.OPEN)
        .order_by("pk")
    )


def issue_to_present(poll: Poll) -> int:
    """Give a ballot for the poll to every delegate present, on their channel (when it opens).
    The caller holds the conference's and the poll's locks. Returns how many were issued."""
    present = CheckIn.objects.filter(conference_id=poll.conference_id, checked_out_at=None)
    rows = Issuance.objects.bulk_create(
        [Issuance(poll=poll, person_id=c.person_id, channel=c.channel) for c in present],
        ignore_conflicts=True,
    )
    return len(rows)


@transaction.atomic
def check_in(*, conference: Conference, person: Person, channel: str, user=None) -> CheckIn:
    """Check a delegate of the roster in for the conference, with their channel; a delegate
    who checked out comes back with the channel given. A poll open now gives them a ballot at
    once (unless it already did); polls opened later do when they open."""
    if channel not in dict(Issuance.CHANNELS):
        raise ValidationError({"channel": _("Choose how the ballot is given.")})
    conference = _locked_conference(conference)
    if not conference.delegates.filter(pk=person.pk).exists():
        raise ValidationError(
            {
                "person": _("%(name)s is not on the roster of delegates.")
                % {"name": person.full_name}
            }
        )
    entry = CheckIn.objects.filter(conference=conference, person=person).first()
    if entry is not None and entry.is_present:
        raise ValidationError(
            {
                "person": _("%(name)s is already checked in (%(channel)s).")
                % {"name": person.full_name, "channel": entry.get_channel_display()}
            }
        )
    now = timezone.now()
    if entry is None:
        entry = CheckIn(conference=conference, person=person)
    entry.channel, entry.checked_in_at, entry.checked_out_at = channel, now, None
    entry._history_user = user
    entry.save()
    for poll in _open_polls(conference):
        Issuance.objects.get_or_create(poll=poll, person=person, defaults={"channel": channel})
    return entry


def _present(conference: Conference, person: Person) -> CheckIn:
    entry = CheckIn.objects.filter(conference=conference, person=person).first()
    if entry is None or not entry.is_present:
        raise ValidationError(
            {"person": _("%(name)s is not checked in.") % {"name": person.full_name}}
        )
    return entry


@transaction.atomic
def undo_check_in(*, conference: Conference, person: Person, user=None) -> None:
    """Undo a check-in made by mistake: only before the delegate received a ballot of an
    opened poll (after that, they are checked out when they leave)."""
    conference = _locked_conference(conference)
    entry = _present(conference, person)
    received = (
        Issuance.objects.filter(poll__conference=conference, person=person)
        .select_related("poll")
        .first()
    )
    if received is not None:
        raise ValidationError(
            {
                "person": _(
                    "%(name)s has already received a ballot for “%(poll)s”: check them out "
                    "when they leave instead."
                )
                % {"name": person.full_name, "poll": received.poll.question}
            }
        )
    entry._history_user = user
    entry.delete()


@transaction.atomic
def check_out(*, conference: Conference, person: Person, user=None) -> CheckIn:
    """A delegate leaves: the polls opened from now on give them no ballot. The ballots they
    already received (of polls open now or before) stay issued."""
    conference = _locked_conference(conference)
    entry = _present(conference, person)
    entry.checked_out_at = timezone.now()
    entry._history_user = user
    entry.save()
    return entry


def attendance_of(conference: Conference) -> dict[int, CheckIn]:
    """The conference's check-ins by person id."""
    return {c.person_id: c for c in CheckIn.objects.filter(conference=conference)}
