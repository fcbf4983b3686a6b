"""The cluster's award settings (part of Thiết lập cụm): the secrecy threshold of the count and
the rules a new poll starts from."""

from django.db import transaction

from clusters.models import Cluster

from ..models import ClusterAwardSettings

# The poll rules a cluster may set a default for (ClusterAwardSettings' fields of the same name).
DEFAULT_RULE_FIELDS = (
    "threshold_base",
    "comparator",
    "fraction",
    "tie_rule",
    "allow_self_vote",
    "invalid_if",
)


def award_settings_of(cluster: Cluster) -> ClusterAwardSettings:
    """The cluster's award settings, unsaved with the defaults when it set none."""
    found = ClusterAwardSettings.objects.filter(cluster=cluster).first()
    return found or ClusterAwardSettings(cluster=cluster)


def default_poll_rules(*, cluster_id: int) -> dict:
    """The default rules of the cluster's new polls; empty when it set none (one query)."""
    found = ClusterAwardSettings.objects.filter(cluster_id=cluster_id).first()
    if found is None:
        return {}
    return {name: getattr(found, name) for name in DEFAULT_RULE_FIELDS}


@transaction.atomic
def save_award_settings(*, settings: ClusterAwardSettings, user) -> ClusterAwardSettings:
    """Record the cluster's award settings as a validated form filled them in, as edited by
    `user`. New polls start from these rules; the counts of every poll of the cluster not yet
    shown use the threshold (a poll's own rules are frozen when it opens)."""
    settings._history_user = user
    settings.save()
    return settings
