"""The cluster settings page's section of the award settings (CLUSTER_SETTINGS_SECTIONS)."""

from django import template

from ..models import ClusterAwardSettings, Poll
from ..services.settings import award_settings_of

register = template.Library()


@register.simple_tag
def award_settings_for(cluster) -> ClusterAwardSettings:
    """`{% award_settings_for cluster as awards %}`: the cluster's award settings, the defaults
    when it set none (1 query)."""
    return award_settings_of(cluster)


@register.filter
def invalid_reasons_words(codes) -> list[str]:
    words = dict(Poll.INVALID_REASONS)
    return [str(words[code]) for code in codes if code in words]
