"""Who is told of each hand-off of a scorecard or of the ranking, and what: the people who act
next (notifications.services.notify), in the service's transaction."""

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters.models import ClusterYear
from clusters.selectors import member_officer_users, officer_users, reviewer_users
from notifications.models import Kind
from notifications.services import notify

from .models import Score, Scorecard


def _review_url(scorecard: Scorecard) -> str:
    return reverse("scorecards:review", kwargs={"scorecard": scorecard.uuid})


def _params(scorecard: Scorecard) -> dict:
    return {"unit": scorecard.unit.short_name, "year": scorecard.cluster_year.year}


def _unit_officers(scorecard: Scorecard):
    return officer_users(unit_ids=[scorecard.unit_id], year=scorecard.cluster_year.year)


def submitted(scorecard: Scorecard) -> None:
    """To the reviewers (the secretariat; the standing deputy's officers for the leader's own)."""
    notify(
        users=reviewer_users(scorecard.cluster_year, scorecard.unit_id),
        kind=Kind.SCORECARD_SUBMITTED,
        message=_("%(unit)s submitted its scorecard for %(year)s: it waits for your review."),
        params=_params(scorecard),
        url=_review_url(scorecard),
    )


def returned(scorecard: Scorecard) -> None:
    notify(
        users=_unit_officers(scorecard),
        kind=Kind.SCORECARD_RETURNED,
        message=_("The scorecard of %(unit)s for %(year)s was returned to the unit: %(reason)s"),
        params={**_params(scorecard), "reason": scorecard.returned_reason},
        url=scorecard.get_absolute_url(),
    )


def reviewed(scorecard: Scorecard) -> None:
    """When the review of every criterion is done: the unit hears of the scores adjusted (it
    may explain each once); a review that adjusted nothing tells nothing until the scores are
    final."""
    adjusted = (
        scorecard.current_scores()
        .filter(reviewed_score__isnull=False)
        .exclude(reviewed_score=F("self_score"))
        .count()
    )
    if not adjusted:
        return
    notify(
        users=_unit_officers(scorecard),
        kind=Kind.SCORECARD_ADJUSTED,
        message=_(
            "The review of the scorecard of %(unit)s for %(year)s adjusted scores "
            "(%(count)s): you may explain each adjustment once."
        ),
        params={**_params(scorecard), "count": adjusted},
        url=scorecard.get_absolute_url(),
    )


def explained(score: Score) -> None:
    scorecard = score.scorecard
    notify(
        users=reviewer_users(scorecard.cluster_year, scorecard.unit_id),
        kind=Kind.SCORECARD_EXPLAINED,
        message=_("%(unit)s explained its score on criterion %(criterion)s (%(year)s)."),
        params={**_params(scorecard), "criterion": score.criterion.number},
        url=f"{_review_url(scorecard)}#score-{score.pk}",
    )


def finalised(scorecard: Scorecard) -> None:
    notify(
        users=_unit_officers(scorecard),
        kind=Kind.SCORECARD_FINALISED,
        message=_("The scores of %(unit)s for %(year)s are final."),
        params=_params(scorecard),
        url=scorecard.get_absolute_url(),
    )


def ranking_published(cluster_year: ClusterYear) -> None:
    notify(
        users=member_officer_users(cluster_year),
        kind=Kind.RANKING_PUBLISHED,
        message=_("The ranking of %(cluster)s for %(year)s is published."),
        params={"cluster": cluster_year.cluster.name, "year": cluster_year.year},
        url=reverse(
            "scorecards:ranking",
            kwargs={"cluster": cluster_year.cluster.uuid, "year": cluster_year.year},
        ),
    )
