"""The award proposal (Tờ trình đề nghị khen thưởng) of a nomination round: recording its
outcome. The proposal's text is built by awards.documents."""

from django.db import transaction

from ..models import NominationRound, Proposal


@transaction.atomic
def record_outcome(
    *,
    nomination_round: NominationRound,
    values: dict,
    granted: dict[int, bool | None],
) -> Proposal:
    """Save the proposal's number, dates, status and decision (creating the proposal if need
    be) and each proposed candidate's Candidate.granted, all or nothing."""
    proposal, _created = Proposal.objects.select_for_update().get_or_create(round=nomination_round)
    for name, value in values.items():
        setattr(proposal, name, value)
    proposal.full_clean()
    proposal.save()
    for candidate in nomination_round.candidates.filter(pk__in=list(granted)):
        if candidate.granted != granted[candidate.pk]:
            candidate.granted = granted[candidate.pk]
            candidate.save(update_fields=["granted"])
    return proposal
