"""Self-scoring by unit officers: drafts that never lose a keystroke, evidence, submission."""

import datetime
from decimal import Decimal
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import ClusterYear, Unit
from clusters.selectors import day_passed, member_unit_ids
from common.formatting import points, short_date
from common.uploads import file_sha256, validate_document

from .. import notices
from ..models import Criterion, Evidence, Score, Scorecard
from .criteria import published_for


class ConflictError(Exception):
    """Someone else saved this score since the form was loaded."""

    def __init__(self, score: Score):
        super().__init__("conflict")
        self.score = score


def check_value(criterion: Criterion, value: Decimal | None, field: str) -> None:
    """A score within what the criterion allows, or a ValidationError at `field`."""
    if value is None:
        return
    maximum = criterion.max_points
    if value < 0:
        raise ValidationError({field: _("A score cannot be below zero.")})
    if criterion.kind == Criterion.YES_NO and value not in (0, maximum):
        raise ValidationError(
            {
                field: _("This criterion is yes or no: enter 0 or %(max)s.")
                % {"max": points(maximum)}
            }
        )
    if value > maximum:
        messages = {
            Criterion.BONUS: _("Bonus points here are capped at %(max)s."),
            Criterion.DEDUCTION: _("Deductions here are capped at %(max)s."),
        }
        message = messages.get(criterion.kind, _("The maximum for this criterion is %(max)s."))
        raise ValidationError({field: message % {"max": points(maximum)}})


@transaction.atomic
def open_scorecard(*, cluster_year: ClusterYear, unit: Unit) -> Scorecard:
    """The unit's scorecard for the year, created with an empty score per criterion."""
    criteria_set = published_for(cluster_year)
    if criteria_set is None:
        raise ValidationError(_("The criteria of this year are not published yet."))
    if unit.pk not in member_unit_ids(cluster_id=cluster_year.cluster_id, year=cluster_year.year):
        raise ValidationError(
            _("%(unit)s is not a member of the cluster in %(year)s.")
            % {"unit": unit.short_name, "year": cluster_year.year}
        )
    scorecard, created = Scorecard.objects.get_or_create(
        cluster_year=cluster_year, unit=unit, defaults={"criteria_set": criteria_set}
    )
    if created:
        Score.objects.bulk_create(
            Score(scorecard=scorecard, criterion=criterion)
            for criterion in criteria_set.criteria.exclude(kind=Criterion.GROUP)
        )
    return scorecard


def deadline_passed(cluster_year: ClusterYear, now: datetime.datetime | None = None) -> bool:
    """True after the end of the self-scoring deadline day, in the cluster's time zone."""
    return day_passed(cluster_year.scorecard_deadline, now)


def read_only_reason(scorecard: Scorecard) -> str | None:
    """Why the unit can no longer change its scorecard, or None while it can."""
    if scorecard.cluster_year.is_closed:
        return _("The year is closed.")
    if not scorecard.is_editable_by_unit:
        return _(
            "The scorecard has been submitted: it is read-only unless the secretariat returns it."
        )
    if scorecard.is_draft and deadline_passed(scorecard.cluster_year):
        return _("The self-scoring deadline has passed.")
    return None


def _editable(scorecard: Scorecard) -> None:
    reason = read_only_reason(scorecard)
    if reason is not None:
        raise ValidationError(reason)


@transaction.atomic
def save_score(
    *,
    score: Score,
    self_score: Decimal | None,
    explanation: str,
    revision: int,
    user,
) -> Score:
    """Save a draft score. Raises ConflictError when another officer saved it meanwhile."""
    score = (
        Score.objects.select_for_update()
        .select_related("criterion", "scorecard__cluster_year")
        .get(pk=score.pk)
    )
    _editable(score.scorecard)
    if score.criterion.criteria_set_id != score.scorecard.criteria_set_id:
        raise ValidationError(_("This criterion belongs to an earlier version of the criteria."))
    if score.revision != revision:
        raise ConflictError(score)
    check_value(score.criterion, self_score, "self_score")
    if score.self_score == self_score and score.explanation == explanation:
        return score
    score.self_score = self_score
    score.explanation = explanation
    score.revision += 1
    score._history_user = user
    score.save()
    return score


def last_change(score: Score) -> tuple[object | None, datetime.datetime]:
    """Who last saved the score and when (from its audit trail), for a conflict message."""
    record = score.history.order_by("-history_date", "-history_id").select_related("history_user")
    latest = record.first()
    if latest is None:
        return None, score.updated_at
    return latest.history_user, latest.history_date


@transaction.atomic
def add_evidence(*, score: Score, uploaded, user) -> Evidence:
    """Attach a file to a score, checked by content and size; its SHA-256 is kept."""
    score = (
        Score.objects.select_for_update().select_related("scorecard__cluster_year").get(pk=score.pk)
    )
    _editable(score.scorecard)
    try:
        validate_document(uploaded)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    evidence = Evidence(
        score=score,
        file=uploaded,
        original_name=uploaded.name[:255],
        size=uploaded.size,
        sha256=file_sha256(uploaded),
        uploaded_by=user,
    )
    evidence._history_user = user
    evidence.save()
    return evidence


@transaction.atomic
def remove_evidence(*, evidence: Evidence, user) -> None:
    _editable(evidence.score.scorecard)
    evidence._history_user = user
    evidence.delete()


@transaction.atomic
def submit(*, scorecard: Scorecard, user, now: datetime.datetime | None = None) -> Scorecard:
    """Submit before the deadline, complete, with evidence where required; then read-only.

    A returned scorecard may be resubmitted after the deadline. The reviewers are notified.
    """
    scorecard = (
        Scorecard.objects.select_for_update().select_related("cluster_year").get(pk=scorecard.pk)
    )
    if scorecard.cluster_year.is_closed:
        raise ValidationError(_("The year is closed."))
    if not scorecard.is_editable_by_unit:
        raise ValidationError(_("The scorecard has already been submitted."))
    if scorecard.is_draft and deadline_passed(scorecard.cluster_year, now):
        raise ValidationError(
            _("The self-scoring deadline (%(day)s) has passed: ask the secretariat.")
            # deadline_passed is true only for a set deadline
            % {"day": short_date(cast(datetime.date, scorecard.cluster_year.scorecard_deadline))}
        )
    # Scores of an earlier criteria version stay on the scorecard as history: only the
    # current version's criteria must be complete.
    scores = list(
        scorecard.current_scores()
        .select_related("criterion")
        .prefetch_related("evidence")
        .order_by("criterion__position")
    )
    problems = {}
    for score in scores:
        if score.self_score is None:
            problems[f"score_{score.pk}"] = [_("Not scored yet.")]
        elif score.criterion.evidence_required and not score.evidence.all():
            problems[f"score_{score.pk}"] = [_("Evidence is required for this criterion.")]
    if problems:
        raise ValidationError(problems)
    scorecard.status = Scorecard.Status.SUBMITTED
    scorecard.submitted_at = now or timezone.now()
    scorecard.submitted_by = user
    scorecard.needs_reconfirm = False
    scorecard._history_user = user
    scorecard.save()
    notices.submitted(scorecard)
    return scorecard


@transaction.atomic
def return_to_unit(*, scorecard: Scorecard, reason: str, user) -> Scorecard:
    """The secretariat sends a submitted scorecard back to the unit, with a reason; the unit's
    officers are notified."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for returning the scorecard.")})
    scorecard = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
    if not scorecard.is_under_review:
        raise ValidationError(_("Only a submitted scorecard can be returned."))
    scorecard.status = Scorecard.Status.RETURNED
    scorecard.returned_reason = reason.strip()
    scorecard._history_user = user
    scorecard.save()
    notices.returned(scorecard)
    return scorecard
