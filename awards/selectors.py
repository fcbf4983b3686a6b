"""Reads of the awards app, with their prefetching: a page's queries do not grow with the data."""

from dataclasses import dataclass, field

from clusters.models import ClusterYear
from clusters.rules import is_admin, is_secretariat, is_supervisor
from clusters.selectors import user_scope
from scorecards.models import CampaignEntry, RankingPublication
from scorecards.selectors import RankingRow, ranking_table
from scorecards.selectors_engagement import shortlisted_entries

from .models import AwardType, Candidate, NominationRound, Poll


def award_types_of(cluster) -> list[AwardType]:
    return list(AwardType.objects.filter(cluster=cluster).order_by("rank", "name"))


def round_of(cluster_year: ClusterYear) -> NominationRound | None:
    return NominationRound.objects.filter(cluster_year=cluster_year).first()


def candidates_of(nomination_round: NominationRound | None) -> list[Candidate]:
    if nomination_round is None:
        return []
    return list(
        Candidate.objects.filter(round=nomination_round)
        .select_related("award_type", "unit", "person__unit", "campaign_entry__unit")
        .select_related("campaign_entry__campaign")
        .order_by("award_type__rank", "award_type__name", "pk")
    )


@dataclass
class AwardSection:
    award_type: AwardType
    quota: int | None
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def counted(self) -> int:
        """Candidates still in the running (proposed or on the slate)."""
        return sum(1 for c in self.candidates if not c.is_withdrawn)

    @property
    def over_quota(self) -> bool:
        return self.quota is not None and self.counted > self.quota


@dataclass
class NominationPage:
    cluster_year: ClusterYear
    round: NominationRound | None
    sections: list[AwardSection]
    sees_all: bool
    own_unit_ids: set[int]
    ranking_published: bool
    ranking_rows: list[RankingRow]
    bands: list
    entries: list[CampaignEntry]


def sees_all_nominations(user, cluster_year: ClusterYear) -> bool:
    """Admin, supervisors and the year's secretariat see every nomination in full."""
    return bool(
        is_admin(user) or is_supervisor(user, cluster_year) or is_secretariat(user, cluster_year)
    )


def nomination_page(*, cluster_year: ClusterYear, user, with_suggestions: bool) -> NominationPage:
    """Everything the nominations page shows. `with_suggestions` (the secretariat) adds the
    published ranking and the shortlisted campaign entries."""
    nomination_round = round_of(cluster_year)
    types = award_types_of(cluster_year.cluster)
    quotas = (
        {q.award_type_id: q.quota for q in nomination_round.quotas.all()}
        if nomination_round
        else {}
    )
    sections = {t.pk: AwardSection(award_type=t, quota=quotas.get(t.pk)) for t in types}
    sees_all = sees_all_nominations(user, cluster_year)
    own = user_scope(user).unit_ids_in_year(cluster_year.year)
    for candidate in candidates_of(nomination_round):
        candidate.full_view = sees_all or (
            candidate.unit_of_candidate is not None and candidate.unit_of_candidate.pk in own
        )
        sections[candidate.award_type_id].candidates.append(candidate)
    published = RankingPublication.objects.filter(cluster_year=cluster_year).exists()
    rows, bands, entries = [], [], []
    if with_suggestions:
        if published:
            table = ranking_table(cluster_year=cluster_year)
            rows, bands = table.rows, table.bands
        entries = list(shortlisted_entries(cluster_year))
    return NominationPage(
        cluster_year=cluster_year,
        round=nomination_round,
        sections=list(sections.values()),
        sees_all=sees_all,
        own_unit_ids=own,
        ranking_published=published,
        ranking_rows=rows,
        bands=bands,
        entries=entries,
    )


def polls_shown(conference, user) -> list[Poll]:
    """The conference's polls listed on its page for this user: every poll but the voided ones
    for those who run or see all of them (the committee, the secretariat, admins); the published
    ones for the rest of the cluster and the delegates; none for others."""
    polls = (
        Poll.objects.filter(conference=conference)
        .exclude(status=Poll.Status.VOID)
        .select_related("runoff_of", "award_type")
        .order_by("pk")
    )
    if user.has_perm("awards.view_poll_results", conference):
        return list(polls)
    person = getattr(user, "person", None)
    delegate = person is not None and conference.delegates.filter(pk=person.pk).exists()
    if delegate or user.has_perm("awards.view_awards", conference.cluster_year):
        return list(polls.filter(status=Poll.Status.PUBLISHED))
    return []
