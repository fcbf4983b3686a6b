"""Signed scans: the scan of the signed, stamped award proposal once it is sent, and of a poll's
signed vote-count minutes once the poll is counted, each kept with its SHA-256, who uploaded it
and when. Every upload is kept (the newest first); nothing is replaced."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.uploads import file_sha256, validate_scan

from ..models import NominationRound, Poll, Proposal, SignedScan


def _keep(*, uploaded, user, **of) -> SignedScan:
    """Check the file by content and size (errors keyed "file") and keep it with its hash."""
    try:
        validate_scan(uploaded)
    except ValidationError as error:
        raise ValidationError({"file": error.error_list}) from error
    scan = SignedScan(
        file=uploaded,
        original_name=uploaded.name[:255],
        size=uploaded.size,
        sha256=file_sha256(uploaded),
        uploaded_by=user,
        **of,
    )
    scan._history_user = user
    scan.save()
    return scan


@transaction.atomic
def keep_proposal_scan(*, nomination_round: NominationRound, uploaded, user) -> SignedScan:
    """Keep the scan of the round's signed proposal. Refused, storing nothing, while the
    proposal is a draft (or not written yet): what is signed is the proposal as sent."""
    proposal = Proposal.objects.select_for_update().filter(round=nomination_round).first()
    if proposal is None or not proposal.is_issued:
        raise ValidationError(
            {"file": _("The signed proposal can be uploaded once the proposal is sent.")}
        )
    return _keep(uploaded=uploaded, user=user, proposal=proposal)


@transaction.atomic
def keep_minutes_scan(*, poll: Poll, uploaded, user) -> SignedScan:
    """Keep the scan of a poll's signed vote-count minutes. Refused, storing nothing, before the
    poll is counted (there are no minutes to sign yet) and for a void poll."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if not poll.is_counted:
        raise ValidationError(
            {"file": _("The signed minutes can be uploaded once the votes are counted.")}
        )
    return _keep(uploaded=uploaded, user=user, poll=poll)
