"""Publishing the ranking of a cluster year."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import ClusterYear
from clusters.selectors import member_unit_ids

from ..models import RankingPublication, Scorecard


@transaction.atomic
def publish_ranking(*, cluster_year: ClusterYear, user) -> RankingPublication:
    """Make the ranking visible to every member; every member's scorecard must be final."""
    if hasattr(cluster_year, "ranking_publication"):
        raise ValidationError(_("The ranking is already published."))
    members = member_unit_ids(cluster_id=cluster_year.cluster_id, year=cluster_year.year)
    final = set(
        Scorecard.objects.filter(cluster_year=cluster_year, status=Scorecard.FINALISED).values_list(
            "unit_id", flat=True
        )
    )
    missing = members - final
    if missing:
        raise ValidationError(
            _("%(count)s member units do not have final scores yet.") % {"count": len(missing)}
        )
    return RankingPublication.objects.create(
        cluster_year=cluster_year, published_at=timezone.now(), published_by=user
    )
