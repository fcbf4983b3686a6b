"""Reads for the pledge (giao ước thi đua), thematic campaigns (phong trào thi đua chuyên đề)
and indicators, with their prefetching: each makes a fixed number of queries whatever the number
of units, entries or indicators.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from clusters.models import ClusterYear, Unit
from clusters.selectors import members_in_year, user_scope, vietnamese_key
from common.formatting import plain

from .models import (
    Campaign,
    CampaignEntry,
    Indicator,
    IndicatorReport,
    Pledge,
    PledgeSignature,
    Scorecard,
)


def my_units_in_year(user, cluster_year: ClusterYear, members: list[Unit]) -> list[Unit]:
    """The member units the account acts for in the cluster year, in name order."""
    mine = user_scope(user).unit_ids_in_year(cluster_year.year)
    return [unit for unit in members if unit.pk in mine]


def pledge_of(cluster_year: ClusterYear) -> Pledge | None:
    return Pledge.objects.filter(cluster_year=cluster_year).first()


@dataclass
class PledgeStatus:
    pledge: Pledge | None
    members: list[Unit]
    signatures: list[PledgeSignature]
    not_signed: list[Unit]

    @property
    def signed_count(self) -> int:
        return len(self.signatures)

    def signature_of(self, unit: Unit) -> PledgeSignature | None:
        return next((s for s in self.signatures if s.unit_id == unit.pk), None)


def pledge_status(cluster_year: ClusterYear) -> PledgeStatus:
    """Who of the year's members has signed the pledge, and who has not (in name order)."""
    members = members_in_year(cluster=cluster_year.cluster, year=cluster_year.year)
    pledge = pledge_of(cluster_year)
    signatures: list[PledgeSignature] = []
    if pledge is not None:
        member_ids = {unit.pk for unit in members}
        signatures = [
            s
            for s in pledge.signatures.select_related("unit", "signed_by__person")
            if s.unit_id in member_ids
        ]
        signatures.sort(key=lambda s: vietnamese_key(s.unit.short_name))
    signed_ids = {s.unit_id for s in signatures}
    return PledgeStatus(
        pledge=pledge,
        members=members,
        signatures=signatures,
        not_signed=[unit for unit in members if unit.pk not in signed_ids],
    )


def units_not_signed(cluster_year: ClusterYear) -> list[Unit] | None:
    """Members that have not signed the year's pledge; None when there is no pledge to sign."""
    status = pledge_status(cluster_year)
    return None if status.pledge is None else status.not_signed


def units_without_submitted_scorecard(cluster_year: ClusterYear) -> list[Unit]:
    """Members whose scorecard is missing, still a draft, or returned to them for changes."""
    members = members_in_year(cluster=cluster_year.cluster, year=cluster_year.year)
    done = set(
        Scorecard.objects.filter(
            cluster_year=cluster_year, status__in=Scorecard.HANDED_IN
        ).values_list("unit_id", flat=True)
    )
    return [unit for unit in members if unit.pk not in done]


def campaigns_of(cluster_year: ClusterYear) -> QuerySet[Campaign]:
    return cluster_year.campaigns.order_by("start_date", "title")


def campaign_entries(
    *, campaign: Campaign, sees_all: bool, own_unit_ids: set[int]
) -> list[CampaignEntry]:
    """The entries the viewer may see: all of them for the secretariat and supervisors; for a
    unit, its own entries and the shortlisted ones of others."""
    entries = campaign.entries.select_related("unit", "submitted_by__person")
    if not sees_all:
        entries = entries.filter(shortlisted=True) | entries.filter(unit_id__in=own_unit_ids)
    return sorted(entries, key=lambda e: (vietnamese_key(e.unit.short_name), e.submitted_at, e.pk))


def shortlisted_entries(cluster_year: ClusterYear) -> QuerySet[CampaignEntry]:
    """The year's shortlisted campaign entries: the award candidates of the awards issue."""
    return (
        CampaignEntry.objects.filter(campaign__cluster_year=cluster_year, shortlisted=True)
        .select_related("campaign", "unit")
        .order_by("campaign__start_date", "campaign__title", "unit__short_name", "pk")
    )


@dataclass
class IndicatorSummary:
    indicator: Indicator
    total: int
    reports: dict[int, IndicatorReport] = field(default_factory=dict)
    yes: list[Unit] = field(default_factory=list)
    no: list[Unit] = field(default_factory=list)
    values: list[tuple[Unit, Decimal]] = field(default_factory=list)
    not_reported: list[Unit] = field(default_factory=list)

    @property
    def reported_count(self) -> int:
        return self.total - len(self.not_reported)

    @property
    def sum(self) -> Decimal | None:
        return plain(sum((value for _, value in self.values), Decimal(0))) if self.values else None

    @property
    def average(self) -> Decimal | None:
        if not self.values:
            return None
        return plain((self.sum / len(self.values)).quantize(Decimal("0.01")))


def indicator_summaries(cluster_year: ClusterYear) -> tuple[list[Unit], list[IndicatorSummary]]:
    """Each indicator of the year with the members' answers grouped ("4/11" said yes) and the
    members that have not reported."""
    members = members_in_year(cluster=cluster_year.cluster, year=cluster_year.year)
    indicators = list(cluster_year.indicators.order_by("as_of", "text"))
    reports: dict[int, dict[int, IndicatorReport]] = {}
    for answer in IndicatorReport.objects.filter(indicator__in=indicators):
        reports.setdefault(answer.indicator_id, {})[answer.unit_id] = answer
    summaries = []
    for indicator in indicators:
        by_unit = reports.get(indicator.pk, {})
        summary = IndicatorSummary(indicator=indicator, total=len(members), reports=by_unit)
        for unit in members:
            report = by_unit.get(unit.pk)
            if report is None or (
                report.value_yes is None
                if indicator.kind == Indicator.YES_NO
                # a numeric report without a number is not an answer
                else report.value_number is None
            ):
                summary.not_reported.append(unit)
            elif indicator.kind == Indicator.YES_NO:
                (summary.yes if report.value_yes else summary.no).append(unit)
            else:
                summary.values.append((unit, plain(report.value_number)))
        summaries.append(summary)
    return members, summaries
