"""Publishing the ranking of a cluster year."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusters.models import ClusterYear, Unit
from clusters.selectors import member_unit_ids, vietnamese_key

from .. import notices
from ..models import GradeBand, RankingPublication, Scorecard, ScoringPolicy


@transaction.atomic
def publish_ranking(*, cluster_year: ClusterYear, user) -> RankingPublication:
    """Make the ranking visible to every member; every member's scorecard must be final.

    Side effects: creates the RankingPublication with the cluster's tie-break order and grade
    bands of today, which the year's ranking reads from then on (later settings leave it
    unchanged); every member officer of the year sees the ranking and every scorecard, and is
    notified.
    """
    # Lock the year: two secretaries pressing "publish" at once get one publication, one refusal.
    ClusterYear.objects.select_for_update().get(pk=cluster_year.pk)
    if RankingPublication.objects.filter(cluster_year=cluster_year).exists():
        raise ValidationError(_("The ranking is already published."))
    members = member_unit_ids(cluster_id=cluster_year.cluster_id, year=cluster_year.year)
    final = set(
        Scorecard.objects.filter(
            cluster_year=cluster_year, status=Scorecard.Status.FINALISED
        ).values_list("unit_id", flat=True)
    )
    missing = members - final
    if missing:
        names = sorted(
            Unit.objects.filter(pk__in=missing).values_list("short_name", flat=True),
            key=vietnamese_key,
        )
        raise ValidationError(
            ngettext(
                "%(count)s member unit does not have final scores yet: %(units)s.",
                "%(count)s member units do not have final scores yet: %(units)s.",
                len(missing),
            )
            % {"count": len(missing), "units": ", ".join(names)}
        )
    policy = ScoringPolicy.objects.filter(cluster_id=cluster_year.cluster_id).first()
    bands = GradeBand.objects.filter(cluster_id=cluster_year.cluster_id).order_by("-min_total")
    publication = RankingPublication.objects.create(
        cluster_year=cluster_year,
        published_at=timezone.now(),
        published_by=user,
        tie_breaks=policy.tie_breaks if policy else [],
        grade_bands=[[band.name, str(band.min_total)] for band in bands],
    )
    notices.ranking_published(cluster_year)
    return publication
