"""The roles an account holds, in words, for the top bar and the home page."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from .models import Cluster, ClusterYear, LeadershipAssignment, LeadershipRole, Membership
from .selectors import current_cluster_year, user_scope, visible_clusters


@dataclass
class ClusterRoles:
    cluster: Cluster
    cluster_year: ClusterYear | None
    roles: list[str]


def roles_overview(user) -> list[ClusterRoles]:
    """For each cluster the account can open, its roles in that cluster's current year.

    A fixed number of queries, whatever the number of clusters and years.
    """
    if not user.is_authenticated:
        return []
    clusters = list(
        visible_clusters(user).prefetch_related(
            Prefetch("years", queryset=ClusterYear.objects.order_by("-year"))
        )
    )
    current = {c.pk: current_cluster_year(list(c.years.all())) for c in clusters}
    year_ids = [cy.pk for cy in current.values() if cy]
    holders: dict[int, dict[int, LeadershipAssignment]] = {}
    for a in LeadershipAssignment.objects.filter(cluster_year_id__in=year_ids).select_related(
        "role"
    ):
        holders.setdefault(a.cluster_year_id, {})[a.unit_id] = a
    scope = user_scope(user)
    member_q = Q(pk__in=[])
    for cy in current.values():
        if cy:
            member_q |= Q(cluster_id=cy.cluster_id, start_year__lte=cy.year) & (
                Q(end_year__isnull=True) | Q(end_year__gte=cy.year)
            )
    memberships = set(
        Membership.objects.filter(member_q, unit_id__in=scope.unit_ids()).values_list(
            "cluster_id", "unit_id"
        )
    )

    overview = []
    for cluster in clusters:
        cy = current[cluster.pk]
        labels = []
        if user.is_superuser:
            labels.append(_("administrator"))
        if cluster.pk in scope.supervised_cluster_ids:
            labels.append(_("supervisor"))
        if cy is not None:
            units = scope.unit_ids_in_year(cy.year)
            year_holders = holders.get(cy.pk, {})
            leader = next(
                (uid for uid, a in year_holders.items() if a.role.kind == LeadershipRole.LEADER),
                None,
            )
            if cy.pk in scope.staff_cluster_year_ids or (leader and leader in units):
                labels.append(_("secretariat"))
            for term in scope.terms:
                if term.unit_id in units and (cluster.pk, term.unit_id) in memberships:
                    label = _("officer of %(unit)s") % {"unit": term.unit.short_name}
                    held = year_holders.get(term.unit_id)
                    if held:
                        label += f" ({held.role.name})"
                    if label not in labels:
                        labels.append(label)
        overview.append(ClusterRoles(cluster=cluster, cluster_year=cy, roles=labels))
    return overview
