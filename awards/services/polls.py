"""Polls: opening with frozen rules and a key, ballots on cards or accounts, closing, voiding.

One ballot per code or delegate is guaranteed by PostgreSQL under concurrent submissions: the
poll row is locked, the conditional UPDATE of the code or issuance must touch exactly one row,
then the sealed ballot is inserted. Closing takes the same lock, so nothing lands after the
count starts. A ballot is stored only sealed to the poll's key (awards.sealing): its choices
are never in a row, a statement or a log line until the committee decrypts them all at once
(services.keys.decrypt).
"""

import hashlib
import hmac
import secrets
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import Conference, Person

from .. import notices, sealing
from ..models import BallotCode, Issuance, Poll, SealedBallot
from . import attendance, keys

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper
CODE_LENGTH = 10
# One message for an unknown and a used code: the difference would tell an attacker which
# codes exist.
BAD_CODE = "bad_code"


def code_hash(code: str) -> str:
    """The keyed hash stored for a card's code (HMAC-SHA256 with the server's secret).

    Not a content hash (common.uploads.sha256_hex): without the key, the stored hashes of the
    short codes could be reversed by trying them all."""
    normalised = "".join(code.upper().split()).replace("-", "")
    key = (settings.SECRET_KEY + ":ballot-codes").encode()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def _locked(poll: Poll) -> Poll:
    return Poll.objects.select_for_update().get(pk=poll.pk)


@transaction.atomic
def open_poll(*, poll: Poll) -> Poll:
    """Freeze the rules (and their hash) and open the poll: every delegate checked in for the
    conference receives a ballot on their channel, and the delegates with an account are
    notified. A poll is opened once."""
    Conference.objects.select_for_update().filter(pk=poll.conference_id).first()
    poll = _locked(poll)
    if not poll.is_draft:
        raise ValidationError(_("Only a draft poll can be opened."))
    if poll.options.count() < 1:
        raise ValidationError(_("The poll has no options."))
    if poll.kind == Poll.ONE_CHOICE and poll.seats != 1:
        raise ValidationError({"seats": _("A one-choice poll elects one.")})
    poll.frozen_rules = poll.rules_snapshot()
    poll.rules_hash = Poll.hash_rules(poll.frozen_rules)
    poll.status = Poll.Status.OPEN
    poll.save(update_fields=["frozen_rules", "rules_hash", "status"])
    keys.make_key(poll)
    attendance.issue_to_present(poll)
    notices.poll_opened(poll)
    return poll


@transaction.atomic
def make_codes(*, poll: Poll, count: int, spare: bool = False) -> list[str]:
    """New one-time codes for cards; only their keyed hashes are kept. Returns the codes, which
    are shown once (to print) and never stored.

    Cards count as issued, and may not outnumber the delegates given a card ballot for the
    poll (checked in on cards when it opened, or since). Spare cards are numbered after the
    poll's other spares and count only once handed out (hand_out_spare)."""
    poll = _locked(poll)
    if not poll.is_open:
        raise ValidationError({"number": _("Cards are made while the poll is open.")})
    if not spare:
        attendance.check_cards(poll, more=count, field="number")
    first = (BallotCode.objects.filter(poll=poll).aggregate(n=Max("spare_number"))["n"] or 0) + 1
    codes: list[str] = []
    while len(codes) < count:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        codes.append(code)
    BallotCode.objects.bulk_create(
        BallotCode(
            poll=poll,
            code_hash=code_hash(code),
            spare_number=first + i if spare else None,
            handed_out=not spare,
        )
        for i, code in enumerate(codes)
    )
    return codes


def spare_numbers(*, poll: Poll) -> tuple[list[int], list[int]]:
    """(the spare cards' numbers not handed out, those handed out), in order."""
    waiting: list[int] = []
    handed: list[int] = []
    for number, handed_out in (
        BallotCode.objects.filter(poll=poll, spare_number__isnull=False)
        .order_by("spare_number")
        .values_list("spare_number", "handed_out")
    ):
        (handed if handed_out else waiting).append(int(number or 0))
    return waiting, handed


@transaction.atomic
def hand_out_spare(*, poll: Poll, number: int) -> BallotCode:
    """Record that spare card number `number` was handed out: its code casts from now on and it
    counts as issued, so only while the card ballots' holders outnumber the cards issued (a
    delegate checked in on a card late, or whose card was spoilt and taken back)."""
    poll = _locked(poll)
    if not poll.is_open:
        raise ValidationError({"spare": _("Spare cards are handed out while the poll is open.")})
    card = BallotCode.objects.filter(poll=poll, spare_number=number, handed_out=False).first()
    if card is None:
        raise ValidationError(
            {"spare": _("There is no spare card S%(number)s waiting.") % {"number": number}}
        )
    attendance.check_cards(poll, more=1, field="spare")
    card.handed_out = True
    card.save(update_fields=["handed_out"])
    return card


def canonical_choices(poll: Poll, choices) -> tuple[list, bool]:
    """Check a ballot's choices against the frozen rules; return (canonical, blank).

    For yes/no polls, `choices` maps option ids to "for", "against" or "abstain"; otherwise it
    is a collection of option ids.
    """
    rules = poll.frozen_rules or poll.rules_snapshot()
    option_ids = {o["id"] for o in rules["options"]}
    seats = rules["seats"]
    if poll.kind == Poll.YES_NO:
        answers = {}
        for key, answer in dict(choices).items():
            option = int(key)
            if option not in option_ids or answer not in ("for", "against", "abstain"):
                raise ValidationError(_("This ballot has a choice that is not on it."))
            answers[option] = answer
        if sum(1 for a in answers.values() if a == "for") > seats:
            raise ValidationError(
                _("You approved more than %(seats)s candidates.") % {"seats": seats}
            )
        canonical = sorted([option, answer] for option, answer in answers.items())
        return canonical, not any(a in ("for", "against") for a in answers.values())
    picked = sorted({int(c) for c in choices})
    if any(option not in option_ids for option in picked):
        raise ValidationError(_("This ballot has a choice that is not on it."))
    limit = 1 if poll.kind == Poll.ONE_CHOICE else seats
    if len(picked) > limit:
        raise ValidationError(_("Choose at most %(count)s.") % {"count": limit})
    return picked, not picked


def _store(poll: Poll, canonical: list) -> str:
    """Seal the ballot to the poll's key and insert the ciphertext; return its tracker. Refused
    when it would make more electronic ballots than were issued."""
    attendance.check_electronic(poll)
    if poll.public_key is None:  # opened before ballots were sealed (migration 0008)
        raise ValidationError(_("This poll takes no more electronic ballots."))
    rules = cast(dict[str, Any], poll.frozen_rules)
    if poll.kind == Poll.YES_NO:
        chosen = {option: answer for option, answer in canonical}
    else:
        chosen = {option: "for" for option in canonical}
    plaintext = sealing.encode_choices([o["id"] for o in rules["options"]], chosen)
    sealed = sealing.seal(
        public=bytes(poll.public_key), poll_id=poll.uuid.bytes, plaintext=plaintext
    )
    tracker = sealing.tracker(sealed)
    SealedBallot.objects.create(poll=poll, sealed=sealed, tracker=tracker)
    return sealing.show_tracker(tracker)


@transaction.atomic
def cast_with_code(*, poll: Poll, code: str, choices) -> str:
    """Cast a ballot with a card's one-time code. Returns the ballot's tracker."""
    poll = _locked(poll)
    if not poll.is_open:
        raise ValidationError(_("The poll is not open."))
    canonical, _blank = canonical_choices(poll, choices)
    used = BallotCode.objects.filter(
        poll=poll, code_hash=code_hash(code), consumed=False, handed_out=True
    ).update(consumed=True)
    if used != 1:
        raise ValidationError(
            _("This code is not valid for this poll or has already been used."), code=BAD_CODE
        )
    return _store(poll, canonical)


@transaction.atomic
def cast_with_account(*, poll: Poll, person: Person, choices) -> str:
    """Cast the signed-in delegate's electronic ballot; the issuance is consumed in the same
    transaction. Returns the ballot's tracker."""
    poll = _locked(poll)
    if not poll.is_open:
        raise ValidationError(_("The poll is not open."))
    canonical, _blank = canonical_choices(poll, choices)
    rules = cast(dict[str, Any], poll.frozen_rules)  # frozen when the poll opened
    if not rules["allow_self_vote"] and person.unit_id:
        own = {o["id"] for o in rules["options"] if o["unit"] == person.unit_id}
        chosen = (
            {c[0] for c in canonical if c[1] == "for"}
            if poll.kind == Poll.YES_NO
            else set(canonical)
        )
        if own & chosen:
            raise ValidationError(_("A unit may not vote for itself in this poll."))
    used = Issuance.objects.filter(
        poll=poll, person=person, channel=Issuance.ACCOUNT, consumed=False
    ).update(consumed=True)
    if used != 1:
        raise ValidationError(_("You have no ballot to cast for this poll, or have already voted."))
    return _store(poll, canonical)


@transaction.atomic
def close_poll(*, poll: Poll) -> Poll:
    """Close the poll under the same lock as casting: nothing lands after the count starts.
    A poll with no electronic ballot needs no key: it is erased at once."""
    poll = _locked(poll)
    if not poll.is_open:
        raise ValidationError(_("Only an open poll can be closed."))
    poll.status = Poll.Status.CLOSED
    poll.count_started_at = timezone.now()  # the count starts when the ballot box closes
    poll.save(update_fields=["status", "count_started_at"])
    if not SealedBallot.objects.filter(poll=poll).exists():
        keys.forget(poll)
    return poll


@transaction.atomic
def void_poll(*, poll: Poll, reason: str) -> Poll:
    """A poll that was opened is never reset: it can only be voided, with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for voiding the poll.")})
    poll = _locked(poll)
    if not poll.can_be_voided:
        raise ValidationError(_("This poll can no longer be voided."))
    poll.status = Poll.Status.VOID
    poll.void_reason = reason.strip()
    poll.save(update_fields=["status", "void_reason"])
    return poll


def receipt_counted(*, poll: Poll, receipt: str) -> bool:
    """Whether the ballot with this tracker is in the poll (say so only once it is closed)."""
    return SealedBallot.objects.filter(poll=poll, tracker=sealing.read_tracker(receipt)).exists()


def trackers(*, poll: Poll) -> list[str]:
    """Every tracker of the poll's ballots, in alphabetical order (which says nothing of the
    order of voting), for the poll's page and the minutes' annex once counted."""
    values = SealedBallot.objects.filter(poll=poll).order_by("tracker")
    return [sealing.show_tracker(t) for t in values.values_list("tracker", flat=True)]


def code_usable(*, poll: Poll, code: str) -> bool:
    """Whether an unused card code exists for this poll (read only: nothing is consumed). Used
    to refuse a bad code before the confirmation step; the cast checks again under the lock."""
    return BallotCode.objects.filter(
        poll=poll, code_hash=code_hash(code), consumed=False, handed_out=True
    ).exists()


def ballots_received(*, poll: Poll) -> int:
    """How many ballots the poll holds: the only thing shown while it is open."""
    return SealedBallot.objects.filter(poll=poll).count()


def account_issuance(*, poll: Poll, person: Person | None) -> Issuance | None:
    """The delegate's electronic (account) ballot for this poll, if one was issued."""
    if person is None:
        return None
    return Issuance.objects.filter(poll=poll, person=person, channel=Issuance.ACCOUNT).first()
