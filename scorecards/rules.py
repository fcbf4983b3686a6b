"""Who may do what with criteria and scorecards, in the vocabulary of clusters.rules.

Nobody reviews their own unit: the leader's own scorecard is reviewed by the officers of the
standing deputy (cụm phó Thường trực) instead of the secretariat.
"""

import rules

from clusters.models import LeadershipRole
from clusters.rules import (
    can_view_cluster,
    is_admin,
    is_member_officer_in_year,
    is_secretariat,
    is_supervisor,
    is_year_open,
    reviews_unit,
)
from clusters.selectors import is_officer_of, leadership_unit_id

from .models import Scorecard


def _year(obj):
    return obj.cluster_year if isinstance(obj, Scorecard) else obj


@rules.predicate
def year_open(user, obj) -> bool:
    return is_year_open(user, _year(obj))


@rules.predicate
def secretariat_of_year(user, obj) -> bool:
    return is_secretariat(user, _year(obj))


@rules.predicate
def supervisor_of_year(user, obj) -> bool:
    return is_supervisor(user, _year(obj))


@rules.predicate
def member_officer_of_year(user, obj) -> bool:
    return is_member_officer_in_year(user, _year(obj))


@rules.predicate
def officer_of_scorecard_unit(user, scorecard) -> bool:
    return isinstance(scorecard, Scorecard) and is_officer_of(
        user, scorecard.unit_id, scorecard.cluster_year.year
    )


@rules.predicate
def is_reviewer(user, scorecard) -> bool:
    return isinstance(scorecard, Scorecard) and reviews_unit(
        user, scorecard.cluster_year, scorecard.unit_id
    )


@rules.predicate
def reviews_the_leader(user, obj) -> bool:
    """An officer of the year's standing deputy: the reviewer of the leader's own scorecard."""
    cluster_year = _year(obj)
    deputy = leadership_unit_id(cluster_year, LeadershipRole.STANDING_DEPUTY)
    return is_officer_of(user, deputy, cluster_year.year)


@rules.predicate
def ranking_published(user, obj) -> bool:
    cluster_year = _year(obj)
    return hasattr(cluster_year, "ranking_publication")


@rules.predicate
def scorecard_editable(user, scorecard) -> bool:
    return isinstance(scorecard, Scorecard) and scorecard.is_editable_by_unit


can_see_all_scores = is_admin | supervisor_of_year | secretariat_of_year

rules.add_perm("scorecards.view_criteria", can_view_cluster)
rules.add_perm("scorecards.manage_criteria", is_admin | (secretariat_of_year & year_open))
rules.add_perm(
    "scorecards.view_scorecard",
    can_see_all_scores
    | officer_of_scorecard_unit
    | is_reviewer
    | (ranking_published & member_officer_of_year),
)
rules.add_perm(
    "scorecards.edit_scorecard", officer_of_scorecard_unit & scorecard_editable & year_open
)
rules.add_perm("scorecards.review_scorecard", is_reviewer & year_open)
rules.add_perm("scorecards.respond_to_review", officer_of_scorecard_unit & year_open)
rules.add_perm("scorecards.review_leader_scorecard", reviews_the_leader & year_open)
rules.add_perm("scorecards.view_all_scorecards", can_see_all_scores)
rules.add_perm(
    "scorecards.view_ranking", can_see_all_scores | (ranking_published & member_officer_of_year)
)
rules.add_perm("scorecards.publish_ranking", is_admin | (secretariat_of_year & year_open))
rules.add_perm("scorecards.take_part", member_officer_of_year & year_open)
