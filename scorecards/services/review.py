"""Review by the secretariat: accept or adjust each score with a reason, one answer from the unit,
then the final score. The self score is never overwritten."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import notices
from ..models import Score, Scorecard
from .scoring import check_value


def _locked_score(score: Score) -> Score:
    return (
        Score.objects.select_for_update()
        .select_related("criterion", "scorecard__cluster_year")
        .get(pk=score.pk)
    )


def _open_year(scorecard: Scorecard) -> None:
    if scorecard.cluster_year.is_closed:
        raise ValidationError(_("The year is closed."))


@transaction.atomic
def review_score(*, score: Score, reviewed_score: Decimal | None, reason: str, user) -> Score:
    """Accept the self score (reviewed_score None or equal) or adjust it with a mandatory reason.

    When every score of the scorecard is reviewed, the scorecard becomes "reviewed".
    """
    score = _locked_score(score)
    scorecard = score.scorecard
    _open_year(scorecard)
    if not scorecard.is_under_review:
        raise ValidationError(_("Only a submitted scorecard can be reviewed."))
    if reviewed_score is None:
        reviewed_score = score.self_score
    if reviewed_score is None:
        raise ValidationError({"reviewed_score": _("The unit has not scored this criterion.")})
    check_value(score.criterion, reviewed_score, "reviewed_score")
    reason = reason.strip()
    if reviewed_score != score.self_score and not reason:
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    score.reviewed_score = reviewed_score
    score.review_reason = reason if reviewed_score != score.self_score else ""
    score.reviewed_by = user
    score.reviewed_at = timezone.now()
    score.revision += 1
    score._history_user = user
    score._change_reason = score.review_reason or None
    score.save()
    if not scorecard.current_scores().filter(reviewed_score__isnull=True).exists():
        if not scorecard.is_reviewed:
            scorecard.status = Scorecard.Status.REVIEWED
            scorecard._history_user = user
            scorecard.save(update_fields=["status"])
            notices.reviewed(scorecard)
    return score


@transaction.atomic
def accept_remaining(*, scorecard: Scorecard, user) -> int:
    """Accept the self score of every criterion not reviewed yet; returns how many.

    Each score gets its own history record (who, when); the scorecard becomes "reviewed" when
    nothing is left. Scores the unit left empty are skipped, never accepted as empty.
    """
    scorecard = (
        Scorecard.objects.select_for_update().select_related("cluster_year").get(pk=scorecard.pk)
    )
    _open_year(scorecard)
    if not scorecard.is_under_review:
        raise ValidationError(_("Only a submitted scorecard can be reviewed."))
    now = timezone.now()
    accepted = 0
    for score in (
        scorecard.current_scores()
        .select_for_update()
        .filter(reviewed_score__isnull=True, self_score__isnull=False)
    ):
        score.reviewed_score = score.self_score
        score.review_reason = ""
        score.reviewed_by = user
        score.reviewed_at = now
        score.revision += 1
        score._history_user = user
        score._change_reason = None
        score.save()
        accepted += 1
    if (
        not scorecard.is_reviewed
        and not scorecard.current_scores().filter(reviewed_score__isnull=True).exists()
    ):
        scorecard.status = Scorecard.Status.REVIEWED
        scorecard._history_user = user
        scorecard.save(update_fields=["status"])
        notices.reviewed(scorecard)
    return accepted


@transaction.atomic
def respond(*, score: Score, response: str, user) -> Score:
    """The unit answers an adjustment, once, before the secretariat finalises."""
    score = _locked_score(score)
    _open_year(score.scorecard)
    if not score.is_adjusted:
        raise ValidationError(_("Only an adjusted score can be answered."))
    if score.unit_response:
        raise ValidationError(_("The unit has already answered this adjustment."))
    if score.scorecard.is_final:
        raise ValidationError(_("The scores are final."))
    if not response.strip():
        raise ValidationError({"response": _("Write the explanation.")})
    score.unit_response = response.strip()
    score.responded_at = timezone.now()
    score.revision += 1
    score._history_user = user
    score.save()
    notices.explained(score)
    return score


@transaction.atomic
def set_final_score(*, score: Score, final_score: Decimal, reason: str, user) -> Score:
    """The secretariat decides a score after the unit's answer (a reason when it changes)."""
    score = _locked_score(score)
    _open_year(score.scorecard)
    if not score.scorecard.is_reviewed:
        raise ValidationError(_("Finish the review of every criterion first."))
    check_value(score.criterion, final_score, "final_score")
    reason = reason.strip()
    if final_score != score.reviewed_score and not reason:
        raise ValidationError({"reason": _("Give the reason for the final score.")})
    score.final_score = final_score
    score.final_reason = reason
    score.revision += 1
    score._history_user = user
    score._change_reason = reason or None
    score.save()
    return score


@transaction.atomic
def finalise(*, scorecard: Scorecard, user) -> Scorecard:
    """Fix every score: final = the decided final score, else the reviewed score."""
    scorecard = (
        Scorecard.objects.select_for_update().select_related("cluster_year").get(pk=scorecard.pk)
    )
    _open_year(scorecard)
    if not scorecard.is_reviewed:
        raise ValidationError(_("Finish the review of every criterion first."))
    for score in scorecard.current_scores().filter(final_score__isnull=True):
        score.final_score = score.reviewed_score
        score._history_user = user
        score.save()
    scorecard.status = Scorecard.Status.FINALISED
    scorecard._history_user = user
    scorecard.save(update_fields=["status"])
    notices.finalised(scorecard)
    return scorecard
