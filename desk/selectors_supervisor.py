"""The supervisor's (and the admin's) view: each cluster's year with its progress per stage,
the summary and the award proposal it sent up, and the way to the roll-up."""

from dataclasses import dataclass

from django.urls import reverse

from clusters.models import ClusterYear

from .progress import YearProgress


@dataclass
class ClusterProgress:
    progress: YearProgress
    reports_url: str
    proposal_url: str

    @property
    def cluster_year(self) -> ClusterYear:
        return self.progress.cluster_year

    @property
    def summary_published(self) -> bool:
        summary = self.progress.summary
        return summary is not None and summary.published_version_id is not None

    @property
    def proposal_sent(self) -> bool:
        proposal = self.progress.proposal
        return proposal is not None and proposal.is_issued


def cluster_progress(year: YearProgress) -> ClusterProgress:
    cy = year.cluster_year
    round_ = year.nomination_round
    return ClusterProgress(
        progress=year,
        reports_url=reverse("reports:year", kwargs={"cluster": cy.cluster.uuid, "year": cy.year}),
        proposal_url=(
            reverse("awards:proposal", kwargs={"round": round_.uuid})
            if round_ is not None and year.proposal is not None
            else ""
        ),
    )
