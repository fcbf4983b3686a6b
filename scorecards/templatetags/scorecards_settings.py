"""The cluster settings page's section of the ranking settings (CLUSTER_SETTINGS_SECTIONS)."""

from dataclasses import dataclass

from django import template

from ..models import GradeBand, ScoringPolicy
from ..selectors import tie_break_label

register = template.Library()


@dataclass
class RankingSettings:
    bands: list[GradeBand]
    tie_breaks: list[str]  # in words


@register.simple_tag
def ranking_settings_of(cluster) -> RankingSettings:
    """`{% ranking_settings_of cluster as ranking %}`: the bands and tie-breaks of today (2
    queries)."""
    policy = ScoringPolicy.objects.filter(cluster=cluster).first()
    return RankingSettings(
        bands=list(GradeBand.objects.filter(cluster=cluster).order_by("-min_total")),
        tie_breaks=[tie_break_label(key) for key in (policy.tie_breaks if policy else [])],
    )
