"""A poll's key and its shares: made when the poll opens, collected once by each member of the
counting committee, brought together after the close to decrypt the electronic ballots.

The server keeps no usable private key: only the public half, the private half sealed under a
key split into shares (awards.sealing), and for each share its fingerprint. A share waits
sealed under the server's secret until its holder collects it, and is erased then; shares not
collected by the count are erased at the count.
"""

import random
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.selectors import person_name_key

from .. import sealing
from ..models import Ballot, KeyShare, Poll, SealedBallot


def _poll_id(poll: Poll) -> bytes:
    return poll.uuid.bytes


def holders_of(poll: Poll) -> list:
    """The users who hold a share: the counting committee's members with an account, in name
    order; [None] when it has none (whoever runs the poll collects the only share)."""
    members = [p for p in poll.conference.counting_committee.select_related("user") if p.user_id]
    members.sort(key=lambda p: person_name_key(p.full_name))
    return [p.user for p in members] or [None]


def default_threshold(holders: int) -> int:
    """A majority of the holders."""
    return holders // 2 + 1


def make_key(poll: Poll) -> None:
    """The poll's key pair and its shares (inside open_poll's transaction)."""
    holders = holders_of(poll)
    threshold = default_threshold(len(holders))
    key = sealing.new_key(poll_id=_poll_id(poll), holders=len(holders), threshold=threshold)
    poll.public_key = key.public
    poll.sealed_key = key.sealed_private
    poll.shares_needed = threshold
    poll.save(update_fields=["public_key", "sealed_key", "shares_needed"])
    rows = []
    for holder, text in zip(holders, key.shares, strict=True):
        number, share = sealing.read_share(text)
        rows.append(
            KeyShare(
                poll=poll,
                number=number,
                holder=holder,
                fingerprint=sealing.share_fingerprint(
                    poll_id=_poll_id(poll), number=number, share=share
                ),
                waiting=sealing.seal_for_delivery(
                    secret=settings.SECRET_KEY, poll_id=_poll_id(poll), holder=number, share=text
                ),
            )
        )
    KeyShare.objects.bulk_create(rows)


def share_of(poll: Poll, user, shares: list[KeyShare] | None = None) -> KeyShare | None:
    """The share this user may collect or has collected: their own, or the only share of a
    committee without accounts (for whoever runs the poll; user None stands for them).
    `shares`: the poll's shares, when the caller has them."""
    shares = list(poll.key_shares.all()) if shares is None else shares
    pk = getattr(user, "pk", None)
    own = next((s for s in shares if pk is not None and s.holder_id == pk), None)
    if own is None and len(shares) == 1 and shares[0].holder_id is None:
        return shares[0]
    return own


@transaction.atomic
def collect_share(*, poll: Poll, user) -> str:
    """The user's share, once: it is erased from the server as it is shown."""
    share = share_of(poll, user)
    if share is None:
        raise ValidationError(_("You hold no key share for this poll."))
    share = KeyShare.objects.select_for_update().get(pk=share.pk)
    if share.waiting is None:
        raise ValidationError(
            _(
                "Your key share was already shown on %(when)s; it is not kept and cannot be "
                "shown again."
            )
            % {"when": timezone.localtime(share.collected_at).strftime("%H:%M %d/%m/%Y")}
            if share.collected_at
            else _("This key share is no longer available.")
        )
    text = sealing.open_delivery(
        secret=settings.SECRET_KEY,
        poll_id=_poll_id(poll),
        holder=share.number,
        sealed=bytes(share.waiting),
    )
    share.waiting = None
    share.collected_at = timezone.now()
    share.save(update_fields=["waiting", "collected_at"])
    return text


@dataclass(frozen=True)
class ShareState:
    needed: int
    total: int
    collected: int
    shares: list[KeyShare]


def share_state(poll: Poll) -> ShareState:
    shares = list(poll.key_shares.select_related("holder__person"))
    return ShareState(
        needed=poll.shares_needed or 0,
        total=len(shares),
        collected=sum(1 for s in shares if s.collected_at),
        shares=shares,
    )


def _holder_name(share: KeyShare) -> str:
    person = getattr(share.holder, "person", None) if share.holder else None
    if person is not None:
        return person.full_name
    return share.holder.get_username() if share.holder else _("the committee")


def _checked_shares(poll: Poll, texts: list[str]) -> list[tuple[int, bytes]]:
    """The shares as typed, each checked against the fingerprint of the share with its number.
    Errors name the share's holder."""
    by_number = {s.number: s for s in poll.key_shares.select_related("holder__person")}
    found: dict[int, bytes] = {}
    errors = []
    for position, text in enumerate(t for t in texts if t.strip()):
        try:
            number, share = sealing.read_share(text)
        except sealing.BadShare:
            errors.append(
                _("Share %(n)s is not a key share (it reads like 2-ABCD-EFGH-…).")
                % {"n": position + 1}
            )
            continue
        row = by_number.get(number)
        if row is None:
            errors.append(_("This poll has no share number %(number)s.") % {"number": number})
            continue
        fingerprint = sealing.share_fingerprint(poll_id=_poll_id(poll), number=number, share=share)
        if fingerprint != row.fingerprint:
            errors.append(
                _(
                    "The share of %(holder)s (number %(number)s) is wrong: check it and type it "
                    "again."
                )
                % {"holder": _holder_name(row), "number": number}
            )
            continue
        found[number] = share
    if errors:
        raise ValidationError({"shares": errors})
    needed = poll.shares_needed or 1
    if len(found) < needed:
        raise ValidationError(
            {
                "shares": _(
                    "%(needed)s different key shares are needed to decrypt; %(given)s given."
                )
                % {"needed": needed, "given": len(found)}
            }
        )
    return sorted(found.items())


@transaction.atomic
def decrypt(*, poll: Poll, shares: list[str]) -> int:
    """Rebuild the key from enough shares, decrypt the poll's sealed ballots, check each against
    the frozen rules, and write their choices once, in random order, with no link to the
    ciphertexts; then erase the sealed private key and every waiting share, so that the ballots
    can never be decrypted again. Returns the number of ballots decrypted."""
    from .polls import canonical_choices

    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if not poll.is_closed:
        raise ValidationError(_("The electronic ballots are decrypted after the poll closes."))
    if poll.is_decrypted:
        raise ValidationError(_("The electronic ballots of this poll are already decrypted."))
    pieces = _checked_shares(poll, shares)
    if poll.sealed_key is None:  # erased: nothing can decrypt these ballots any more
        raise ValidationError(_("This key share is no longer available."))
    rules = poll.frozen_rules or {}
    option_ids = [o["id"] for o in rules["options"]]
    try:
        private = sealing.unseal_private(
            poll_id=_poll_id(poll), sealed_private=bytes(poll.sealed_key), shares=pieces
        )
        ballots = [
            sealing.decode_choices(
                option_ids,
                sealing.unseal(private=private, poll_id=_poll_id(poll), sealed=bytes(sealed)),
            )
            for sealed in SealedBallot.objects.filter(poll=poll).values_list("sealed", flat=True)
        ]
    except sealing.Undecryptable as error:
        raise ValidationError(
            {"shares": _("The ballots could not be decrypted: the stored data was altered.")}
        ) from error
    del private
    rows = []
    for choices in ballots:
        if poll.kind == Poll.YES_NO:
            canonical, blank = canonical_choices(poll, choices)
        else:
            canonical, blank = canonical_choices(
                poll, [o for o, a in choices.items() if a == "for"]
            )
        rows.append(Ballot(poll=poll, choices=canonical, blank=blank))
    random.SystemRandom().shuffle(rows)
    Ballot.objects.bulk_create(rows)
    forget(poll)
    return len(rows)


def forget(poll: Poll) -> None:
    """Erase the sealed private key and every share still waiting: from now on the sealed
    ballots can never be decrypted."""
    poll.sealed_key = None
    poll.electronic_counted_at = timezone.now()
    poll.save(update_fields=["sealed_key", "electronic_counted_at"])
    KeyShare.objects.filter(poll=poll, waiting__isnull=False).update(waiting=None)
