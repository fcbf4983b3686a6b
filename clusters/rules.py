"""Who may do what, derived from the data: one vocabulary for views, templates and the admin.

Roles (docs/ARCHITECTURE.md, "Roles and permissions"): admin, supervisor, secretariat of a
cluster year (officers of that year's leader unit plus staff added by name), unit officer,
counting committee, delegate.
An officer acts for a unit in every cluster year that their term touches, so when next year's
leader takes office its officers become next year's secretariat by themselves, and the outgoing
leader keeps its own year until that year is closed.
"""

import rules
from django.db.models import F, Q
from django.utils import timezone

from .models import Cluster, ClusterYear, Conference, LeadershipRole, Unit
from .selectors import (
    is_officer_of,
    leader_unit_id,
    leadership_unit_id,
    member_unit_ids,
    settings_year,
    user_scope,
)

is_admin = rules.is_superuser


def _cluster_of(obj) -> Cluster | None:
    if isinstance(obj, Cluster):
        return obj
    if isinstance(obj, ClusterYear):
        return obj.cluster
    if isinstance(obj, Conference):
        return obj.cluster_year.cluster
    return None


def _cluster_year_of(obj) -> ClusterYear | None:
    if isinstance(obj, ClusterYear):
        return obj
    if isinstance(obj, Conference):
        return obj.cluster_year
    return None


@rules.predicate
def is_supervisor(user, obj) -> bool:
    cluster = _cluster_of(obj)
    return cluster is not None and cluster.pk in user_scope(user).supervised_cluster_ids


@rules.predicate
def is_cluster_member_officer(user, obj) -> bool:
    """An officer, in any year, of a unit that was a member of the cluster in any year: who may
    open the cluster and read its history."""
    cluster = _cluster_of(obj)
    if cluster is None:
        return False
    unit_ids = user_scope(user).unit_ids()
    return bool(unit_ids) and cluster.memberships.filter(unit_id__in=unit_ids).exists()


@rules.predicate
def is_named_staff_of_cluster(user, obj) -> bool:
    cluster = _cluster_of(obj)
    return cluster is not None and cluster.pk in user_scope(user).staff_cluster_ids


@rules.predicate
def is_secretariat(user, obj) -> bool:
    """Officers of the year's leader unit, or staff added to that year by name."""
    cluster_year = _cluster_year_of(obj)
    if cluster_year is None:
        return False
    if cluster_year.pk in user_scope(user).staff_cluster_year_ids:
        return True
    return is_officer_of(user, leader_unit_id(cluster_year), cluster_year.year)


@rules.predicate
def is_member_officer_in_year(user, obj) -> bool:
    """An officer of a unit that is a member of the cluster in that cluster year."""
    cluster_year = _cluster_year_of(obj)
    if cluster_year is None:
        return False
    unit_ids = user_scope(user).unit_ids_in_year(cluster_year.year)
    return bool(
        unit_ids & member_unit_ids(cluster_id=cluster_year.cluster_id, year=cluster_year.year)
    )


def reviews_unit(user, cluster_year: ClusterYear, unit_id: int) -> bool:
    """Who reviews what a member unit hands in for a year (its scorecard, its report): the
    secretariat, except for the leader's own, which the standing deputy's officers review.
    Nobody reviews a unit they are an officer of."""
    if is_officer_of(user, unit_id, cluster_year.year):
        return False
    if unit_id == leader_unit_id(cluster_year):
        deputy = leadership_unit_id(cluster_year, LeadershipRole.STANDING_DEPUTY)
        return is_officer_of(user, deputy, cluster_year.year)
    return is_secretariat(user, cluster_year)


@rules.predicate
def is_year_open(user, obj) -> bool:
    cluster_year = _cluster_year_of(obj)
    return cluster_year is not None and not cluster_year.is_closed


@rules.predicate
def is_unit_officer(user, unit) -> bool:
    """An officer of the unit in any year: who looks after its people (not tied to a year)."""
    return isinstance(unit, Unit) and unit.pk in user_scope(user).unit_ids()


@rules.predicate
def supervises_unit(user, unit) -> bool:
    if not isinstance(unit, Unit):
        return False
    supervised = user_scope(user).supervised_cluster_ids
    return bool(supervised) and unit.memberships.filter(cluster_id__in=supervised).exists()


@rules.predicate
def is_current_unit_officer(user, unit) -> bool:
    """An officer of the unit today: who may invite a colleague or end a colleague's term (an
    officer whose term has ended no longer acts for the unit)."""
    if not isinstance(unit, Unit):
        return False
    today = timezone.localdate()
    return any(
        term.unit_id == unit.pk
        and term.start_date <= today
        and (term.end_date is None or term.end_date >= today)
        for term in user_scope(user).terms
    )


@rules.predicate
def is_secretariat_of_unit(user, unit) -> bool:
    """The secretariat of an open cluster year in which the unit is a member."""
    if not isinstance(unit, Unit) or not user.is_authenticated:
        return False
    # One filter() call: the three conditions on one and the same membership (separate calls
    # would let two different memberships of the unit satisfy them).
    years = ClusterYear.objects.exclude(status=ClusterYear.Status.CLOSED).filter(
        Q(cluster__memberships__end_year__isnull=True)
        | Q(cluster__memberships__end_year__gte=F("year")),
        cluster__memberships__unit=unit,
        cluster__memberships__start_year__lte=F("year"),
    )
    return any(is_secretariat(user, cluster_year) for cluster_year in years.distinct())


@rules.predicate
def is_counting_committee(user, conference) -> bool:
    return (
        isinstance(conference, Conference)
        and hasattr(user, "person")
        and conference.counting_committee.filter(pk=user.person.pk).exists()
    )


@rules.predicate
def is_delegate(user, conference) -> bool:
    return (
        isinstance(conference, Conference)
        and hasattr(user, "person")
        and conference.delegates.filter(pk=user.person.pk).exists()
    )


@rules.predicate
def is_settings_secretariat(user, obj) -> bool:
    """The secretariat of the cluster's open year (selectors.settings_year): who keeps the
    cluster's settings. Last year's secretariat is not, once its year is closed."""
    cluster = _cluster_of(obj)
    if cluster is None:
        return False
    cluster_year = settings_year(cluster)
    return cluster_year is not None and is_secretariat(user, cluster_year)


@rules.predicate
def supervises_any_cluster(user) -> bool:
    return bool(user_scope(user).supervised_cluster_ids)


can_view_cluster = is_admin | is_supervisor | is_cluster_member_officer | is_named_staff_of_cluster

rules.add_perm("clusters.view_cluster", can_view_cluster)
rules.add_perm("clusters.view_cluster_year", can_view_cluster)
rules.add_perm("clusters.manage_cluster_year", is_admin | (is_secretariat & is_year_open))
rules.add_perm("clusters.view_conference", can_view_cluster | is_delegate | is_counting_committee)
rules.add_perm("clusters.manage_conference", is_admin | (is_secretariat & is_year_open))
rules.add_perm("clusters.view_unit", rules.is_authenticated)
rules.add_perm("clusters.manage_unit_people", is_admin | is_unit_officer)
# Officer accounts of a unit: invite its people, resend or cancel invitations, end terms.
can_manage_unit_officers = (
    is_admin | supervises_unit | is_secretariat_of_unit | is_current_unit_officer
)
rules.add_perm("clusters.manage_unit_officers", can_manage_unit_officers)
rules.add_perm(
    "clusters.view_unit_people",
    is_admin | is_unit_officer | supervises_unit | is_secretariat_of_unit,
)
# The cluster settings (Thiết lập cụm): the secretariat of the open year changes them,
# supervisors read them; the settings pages of the apps above ask these too.
rules.add_perm("clusters.view_cluster_settings", is_admin | is_supervisor | is_settings_secretariat)
rules.add_perm("clusters.change_cluster_settings", is_admin | is_settings_secretariat)
# The new-cluster wizard.
rules.add_perm("clusters.create_cluster", is_admin | supervises_any_cluster)
