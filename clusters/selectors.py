"""Reads of the cluster structure that are reused, with their prefetching."""

import datetime
from dataclasses import dataclass, field
from typing import cast

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import (
    Cluster,
    ClusterYear,
    Conference,
    Invitation,
    LeadershipAssignment,
    LeadershipRole,
    Membership,
    OfficerTerm,
    SecretariatStaff,
    Supervision,
    Unit,
    year_end,
    year_start,
)


def day_passed(deadline: datetime.date | None, now: datetime.datetime | None = None) -> bool:
    """True after the end of a deadline day, in the cluster's time zone (TIME_ZONE); never
    without a deadline."""
    return deadline is not None and timezone.localdate(now or timezone.now()) > deadline


def memberships_in_year(*, cluster: Cluster, year: int):
    return (
        Membership.objects.filter(cluster=cluster, start_year__lte=year)
        .filter(Q(end_year__isnull=True) | Q(end_year__gte=year))
        .select_related("unit__successor__successor")
        .prefetch_related("unit__predecessors")
    )


def members_in_year(*, cluster: Cluster, year: int) -> list[Unit]:
    """The member units of a cluster in a year, in Vietnamese name order."""
    units = [m.unit for m in memberships_in_year(cluster=cluster, year=year)]
    return sorted(units, key=lambda unit: vietnamese_key(unit.short_name))


def member_unit_ids(*, cluster_id: int, year: int) -> set[int]:
    return set(
        Membership.objects.filter(cluster_id=cluster_id, start_year__lte=year)
        .filter(Q(end_year__isnull=True) | Q(end_year__gte=year))
        .values_list("unit_id", flat=True)
    )


def membership_years(*, cluster: Cluster) -> list[int]:
    """Every year in which the cluster had members, up to the latest cluster year or today."""
    spans = list(cluster.memberships.values_list("start_year", "end_year"))
    if not spans:
        return []
    last_cluster_year = cluster.years.order_by("-year").values_list("year", flat=True).first()
    today = datetime.date.today().year
    horizon = max([today, last_cluster_year or today] + [end for _, end in spans if end])
    first = min(start for start, _ in spans)
    return list(range(first, horizon + 1))


_VI_ORDER = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệfghiìíỉĩịjklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvwxyỳýỷỹỵz"
)
_VI_RANK = {ch: i for i, ch in enumerate(_VI_ORDER)}


def vietnamese_key(text: str) -> list[int]:
    """Sort key for Vietnamese alphabetical order (a < ă < â < b < … < đ …)."""
    return [_VI_RANK.get(ch, 1000 + ord(ch)) for ch in text.lower()]


def person_name_key(full_name: str) -> tuple[list[int], list[int]]:
    """Sort key of people's names the Vietnamese way: by the given name (the last word:
    "Nguyễn Văn An" under A), then the whole name."""
    words = full_name.split() or [""]
    return vietnamese_key(words[-1]), vietnamese_key(full_name)


def current_cluster_year(cluster_years: list[ClusterYear]) -> ClusterYear | None:
    """The year being worked on: the latest one under way, else the latest not closed, else the
    latest."""
    ordered = sorted(cluster_years, key=lambda cy: cy.year, reverse=True)
    for statuses in (
        (ClusterYear.Status.IN_PROGRESS, ClusterYear.Status.YEAR_END),
        (ClusterYear.Status.PLANNING,),
    ):
        for cluster_year in ordered:
            if cluster_year.status in statuses:
                return cluster_year
    return ordered[0] if ordered else None


def settings_year(cluster: Cluster) -> ClusterYear | None:
    """The open year whose secretariat looks after the cluster's settings: the one being worked
    on among the years not closed (current_cluster_year); None when every year is closed. One
    query per cluster object, then cached on it (the settings pages ask several times)."""
    if not hasattr(cluster, "_settings_year"):
        open_years = list(cluster.years.exclude(status=ClusterYear.Status.CLOSED))
        cluster._settings_year = current_cluster_year(open_years)
    return cluster._settings_year


def leadership_unit_id(cluster_year: ClusterYear, kind: str) -> int | None:
    """The unit holding the role of that kind in the year; one query per cluster year object,
    whose holders are then cached on it (permission checks ask several times a request)."""
    if not hasattr(cluster_year, "_holders_by_kind"):
        cluster_year._holders_by_kind = dict(
            LeadershipAssignment.objects.filter(cluster_year=cluster_year).values_list(
                "role__kind", "unit_id"
            )
        )
    return cluster_year._holders_by_kind.get(kind)


def leader_unit_id(cluster_year: ClusterYear) -> int | None:
    return leadership_unit_id(cluster_year, LeadershipRole.LEADER)


# "Officer of unit U in year Y": an account whose officer term of U covers at least one day of
# Y. An officer therefore acts for the unit in every cluster year the term touches (see
# clusters.rules). officer_terms() says it in SQL, UserScope.unit_ids_in_year() in memory for
# the signed-in account; everything else asks one of these two.


def officer_terms(
    *, unit_ids, year: int, in_office_on: datetime.date | None = None
) -> QuerySet[OfficerTerm]:
    """The officer terms of these units that cover at least one day of the year; with
    `in_office_on`, only those not ended before that day (who can still be reached)."""
    terms = OfficerTerm.objects.filter(unit_id__in=unit_ids, start_date__lte=year_end(year))
    terms = terms.filter(Q(end_date__isnull=True) | Q(end_date__gte=year_start(year)))
    if in_office_on is not None:
        terms = terms.filter(Q(end_date__isnull=True) | Q(end_date__gte=in_office_on))
    return terms


def officer_emails(
    *, unit_ids, year: int, in_office_on: datetime.date | None = None
) -> dict[int, list[str]]:
    """The email addresses of each unit's officers in the year (see officer_terms), active
    accounts with an email only: {unit id: sorted addresses}."""
    rows = (
        officer_terms(unit_ids=unit_ids, year=year, in_office_on=in_office_on)
        .filter(user__is_active=True)
        .exclude(user__email="")
        .values_list("unit_id", "user__email")
    )
    emails: dict[int, set[str]] = {}
    for unit_id, email in rows:
        emails.setdefault(unit_id, set()).add(email.strip().lower())
    return {unit_id: sorted(found) for unit_id, found in emails.items()}


def leadership_recipients(cluster_year: ClusterYear, *, today: datetime.date) -> list[str]:
    """Who is told of the leadership confirmed for a cluster year: the officers of the leading
    units in that year, and their officers of the year before who are still in office. The
    leadership of year Y is confirmed at the year-end conference of Y-1, often before the units
    have registered their officers for Y, so those in office when it is confirmed hear of it."""
    unit_ids = list(cluster_year.leadership.values_list("unit_id", flat=True))
    found: set[str] = set()
    for year in (cluster_year.year - 1, cluster_year.year):
        for emails in officer_emails(unit_ids=unit_ids, year=year, in_office_on=today).values():
            found.update(emails)
    return sorted(found)


# Who acts next after a hand-off (notifications.services.notify): accounts, active ones only,
# each a QuerySet of one query.


def _active_users():
    return get_user_model().objects.filter(is_active=True)


def officer_users(*, unit_ids, year: int) -> QuerySet:
    """The accounts that are officers of these units in the year (officer_terms)."""
    ids = [unit_id for unit_id in unit_ids if unit_id is not None]
    return _active_users().filter(pk__in=officer_terms(unit_ids=ids, year=year).values("user_id"))


def secretariat_users(cluster_year: ClusterYear) -> QuerySet:
    """The secretariat of the year (clusters.rules.is_secretariat): the officers of the leader
    unit in that year and the staff added to the year by name."""
    return _active_users().filter(
        Q(
            pk__in=officer_terms(
                unit_ids=[leader_unit_id(cluster_year)], year=cluster_year.year
            ).values("user_id")
        )
        | Q(pk__in=SecretariatStaff.objects.filter(cluster_year=cluster_year).values("user_id"))
    )


def reviewer_users(cluster_year: ClusterYear, unit_id: int) -> QuerySet:
    """Who reviews what the unit hands in for the year (clusters.rules.reviews_unit): the
    secretariat, or for the leader's own the standing deputy's officers; never the unit's own
    officers."""
    if unit_id == leader_unit_id(cluster_year):
        deputy = leadership_unit_id(cluster_year, LeadershipRole.STANDING_DEPUTY)
        users = officer_users(unit_ids=[deputy], year=cluster_year.year)
    else:
        users = secretariat_users(cluster_year)
    own = officer_terms(unit_ids=[unit_id], year=cluster_year.year).values("user_id")
    return users.exclude(pk__in=own)


def member_officer_users(cluster_year: ClusterYear) -> QuerySet:
    """The officers of every member unit of the cluster in the year."""
    members = member_unit_ids(cluster_id=cluster_year.cluster_id, year=cluster_year.year)
    return officer_users(unit_ids=members, year=cluster_year.year)


def supervisor_users(cluster: Cluster) -> QuerySet:
    """The staff of the supervising body who oversee the cluster."""
    return _active_users().filter(supervisions__cluster=cluster)


def delegate_users(conference: Conference) -> QuerySet:
    """The voting delegates of the conference who have an account."""
    return _active_users().filter(person__in=conference.delegates.all())


def leadership_recipient_users(cluster_year: ClusterYear, *, today: datetime.date) -> QuerySet:
    """The accounts of leadership_recipients: the officers of the leading units in the year,
    and their officers of the year before still in office."""
    unit_ids = cluster_year.leadership.values("unit_id")
    found = Q()
    for year in (cluster_year.year - 1, cluster_year.year):
        terms = officer_terms(unit_ids=unit_ids, year=year, in_office_on=today)
        found |= Q(pk__in=terms.values("user_id"))
    return _active_users().filter(found)


def is_officer_of(user, unit_id: int | None, year: int) -> bool:
    """Whether the account is an officer of the unit in the year (from its scope, no query
    after the first)."""
    return unit_id is not None and unit_id in user_scope(user).unit_ids_in_year(year)


@dataclass
class UserScope:
    """What an account is, loaded once per request: officer terms, supervisions, named staff."""

    terms: list[OfficerTerm] = field(default_factory=list)
    supervised_cluster_ids: set[int] = field(default_factory=set)
    staff_cluster_year_ids: set[int] = field(default_factory=set)
    staff_cluster_ids: set[int] = field(default_factory=set)

    def unit_ids_in_year(self, year: int) -> set[int]:
        """The units the account is an officer of in the year: its terms that cover at least
        one day of it (as officer_terms)."""
        first, last = year_start(year), year_end(year)
        return {
            term.unit_id
            for term in self.terms
            if term.start_date <= last and (term.end_date is None or term.end_date >= first)
        }

    def unit_ids(self) -> set[int]:
        """The units the account was ever an officer of, in any year."""
        return {term.unit_id for term in self.terms}


def user_scope(user) -> UserScope:
    if not user.is_authenticated:
        return UserScope()
    if not hasattr(user, "_emulation_scope"):
        staff = list(
            SecretariatStaff.objects.filter(user=user).values_list(
                "cluster_year_id", "cluster_year__cluster_id"
            )
        )
        user._emulation_scope = UserScope(
            terms=list(OfficerTerm.objects.filter(user=user).select_related("unit")),
            supervised_cluster_ids=set(
                Supervision.objects.filter(user=user).values_list("cluster_id", flat=True)
            ),
            staff_cluster_year_ids={cy for cy, _ in staff},
            staff_cluster_ids={c for _, c in staff},
        )
    return user._emulation_scope


def visible_clusters(user):
    """Clusters the account may open: its units' clusters, supervised ones, staffed ones."""
    if user.is_superuser:
        return Cluster.objects.all()
    scope = user_scope(user)
    return Cluster.objects.filter(
        Q(pk__in=scope.supervised_cluster_ids)
        | Q(pk__in=scope.staff_cluster_ids)
        | Q(memberships__unit_id__in=scope.unit_ids())
    ).distinct()


def leadership_history(*, cluster: Cluster) -> list[dict]:
    """Who held each role in each cluster year, newest first, with the units' successors."""
    years = list(
        cluster.years.order_by("-year").prefetch_related(
            Prefetch(
                "leadership",
                queryset=LeadershipAssignment.objects.select_related(
                    "role", "unit__successor__successor", "decided_at"
                ).order_by("role__rank"),
            )
        )
    )
    roles = list(cluster.roles.order_by("rank"))
    rows = []
    for cluster_year in years:
        by_role = {a.role_id: a for a in cluster_year.leadership.all()}
        rows.append(
            {
                "cluster_year": cluster_year,
                "holders": [(role, by_role.get(role.pk)) for role in roles],
            }
        )
    return rows


def successor_chain(unit: Unit) -> list[Unit]:
    """The successors of a unit, nearest first (uses the select_related chain where loaded)."""
    chain, seen, current = [], {unit.pk}, unit
    while current.successor_id and current.successor_id not in seen:
        current = cast(Unit, current.successor)  # successor_id is set
        seen.add(current.pk)
        chain.append(current)
    return chain


@dataclass
class ServedConference:
    """A conference where the account's person serves, and how."""

    conference: Conference
    as_delegate: bool
    on_committee: bool


def conferences_served(user) -> list[ServedConference]:
    """The conferences of the years not yet closed where the account's person is a voting
    delegate or on the counting committee, soonest first. One query."""
    if not user.is_authenticated:
        return []
    delegates = Conference.delegates.through.objects.filter(
        conference=OuterRef("pk"), person__user=user
    )
    committee = Conference.counting_committee.through.objects.filter(
        conference=OuterRef("pk"), person__user=user
    )
    conferences = (
        Conference.objects.exclude(cluster_year__status=ClusterYear.Status.CLOSED)
        .annotate(as_delegate=Exists(delegates), on_committee=Exists(committee))
        .filter(Q(as_delegate=True) | Q(on_committee=True))
        .select_related("cluster_year__cluster")
        .order_by("date", "pk")
    )
    return [
        ServedConference(
            conference=conference,
            as_delegate=conference.as_delegate,
            on_committee=conference.on_committee,
        )
        for conference in conferences
    ]


@dataclass
class UnitAccounts:
    """The officer accounts of a unit, for its people page."""

    terms: list[OfficerTerm]
    invitations: list[Invitation]  # pending, newest first


def unit_accounts(unit: Unit) -> UnitAccounts:
    """The unit's officer terms (current ones first, then by start, newest first) with their
    account and person, and its pending invitations. Two queries whatever their number."""
    terms = list(
        OfficerTerm.objects.filter(unit=unit)
        .select_related("user__person")
        .order_by(F("end_date").desc(nulls_first=True), "-start_date", "pk")
    )
    invitations = list(
        Invitation.objects.filter(unit=unit, accepted_at__isnull=True, cancelled_at__isnull=True)
        .select_related("person", "invited_by__person")
        .order_by("-created_at")
    )
    return UnitAccounts(terms=terms, invitations=invitations)
