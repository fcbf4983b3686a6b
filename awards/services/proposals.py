"""The award proposal (Tờ trình đề nghị khen thưởng) of a nomination round: its signer, its
states (draft, sent, decided) and its outcome. The proposal's text is built by awards.documents
from the published votes on the slate (awards.selectors_slate)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import NominationRound, Proposal
from ..selectors_slate import slate_vote


def issue_refusal(nomination_round: NominationRound) -> ValidationError | None:
    """Why the proposal may not be sent yet, keyed "status": the polls of the slate not
    published, the runoffs not held, the award types not voted on (each named); None when the
    votes on the whole slate are published."""
    vote = slate_vote(nomination_round)
    if not vote.awards:
        return ValidationError({"status": _("Nobody is on the slate: there is nothing to send.")})
    if vote.missing:
        return ValidationError(
            {
                "status": [_("The proposal follows the published votes, and some are missing:")]
                + vote.missing
            }
        )
    return None


@transaction.atomic
def record_outcome(
    *,
    nomination_round: NominationRound,
    values: dict,
    granted: dict[int, bool | None],
) -> Proposal:
    """Save the proposal's number, date, signer, status and decision (creating the proposal if
    need be) and each proposed candidate's Candidate.granted, all or nothing. Sending it (or
    recording its decision) is refused, storing nothing, while a poll of the slate is not
    published or a runoff pending (issue_refusal), or without its number and date."""
    proposal, _created = Proposal.objects.select_for_update().get_or_create(round=nomination_round)
    for name, value in values.items():
        setattr(proposal, name, value)
    if proposal.is_issued:
        problems: dict[str, list[str]] = {}
        if not proposal.number:
            problems["number"] = [_("Enter the number of the proposal before sending it.")]
        if not proposal.signed_on:
            problems["signed_on"] = [_("Enter the date of the proposal before sending it.")]
        refusal = issue_refusal(nomination_round)
        if refusal is not None:
            problems.update(refusal.message_dict)
        if problems:
            raise ValidationError(problems)
    proposal.full_clean()
    proposal.save()
    for candidate in nomination_round.candidates.filter(pk__in=list(granted)):
        if candidate.granted != granted[candidate.pk]:
            candidate.granted = granted[candidate.pk]
            candidate.save(update_fields=["granted"])
    return proposal
