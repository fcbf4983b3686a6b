"""View helpers of a cluster year, shared by the pages of every app: the getter with its access
check, the answer to a change of a closed year, and the access check of a page that changes
something of a year."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from common.views import get_object_for, require

from .models import Cluster, ClusterYear


def _cluster_years(related: tuple[str, ...]):
    return ClusterYear.objects.select_related("cluster", *related)


def cluster_year_or_404(cluster_uuid, year: int, *, related: tuple[str, ...] = ()) -> ClusterYear:
    """Year `year` of the cluster `cluster_uuid`, with its cluster (and `related`); 404 when the
    cluster has no such year. For a page that checks its access on another object."""
    return get_object_or_404(_cluster_years(related), cluster__uuid=cluster_uuid, year=year)


def cluster_year_for(
    user, cluster_uuid, year: int, perm: str, *, related: tuple[str, ...] = ()
) -> ClusterYear:
    """Year `year` of the cluster `cluster_uuid`, with its cluster (and `related`), for a user
    who has the permission `perm` on it: 404 when the cluster has no such year, 403 when the
    permission is refused."""
    return get_object_for(
        user, perm, _cluster_years(related), cluster__uuid=cluster_uuid, year=year
    )


def closed_refusal(
    request, cluster_year: ClusterYear, back: str | None = None
) -> HttpResponse | None:
    """A closed year is read-only for everyone but admins: say so, and send the user back (to
    `back`, else the year's page), instead of a bare 403. None when the year is open."""
    if not cluster_year.is_closed or request.user.is_superuser:
        return None
    messages.error(
        request,
        _("The year %(year)s is closed: it can no longer be changed.")
        % {"year": cluster_year.year},
    )
    target = back or cluster_year.get_absolute_url()
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(target)
    return redirect(target)


def change_refusal(
    request, cluster_year: ClusterYear, perm: str, obj=None, *, back: str | None = None
) -> HttpResponse | None:
    """The rest of the access check of a page that changes something of `cluster_year`, once
    the year is fetched for a user who may see it: a closed year sends them back with a message
    (`closed_refusal`, to `back`, else the year's page), then they need the permission `perm` on
    `obj` (default: the year), else 403. None when the change may go ahead.

    The year comes first: the permissions to change ask for an open year, so on a closed one
    they would answer a bare 403 even to the secretariat."""
    if refusal := closed_refusal(request, cluster_year, back):
        return refusal
    require(request.user, perm, cluster_year if obj is None else obj)
    return None


def cluster_for_settings(user, cluster_uuid, *, change: bool) -> Cluster:
    """The cluster `cluster_uuid` for its settings pages (Thiết lập cụm), shared by the
    settings pages of every app: 404 when there is none, 403 unless the user may read its
    settings (admin, supervisor, the open year's secretariat) or, with `change`, change them
    (admin, the open year's secretariat)."""
    perm = "clusters.change_cluster_settings" if change else "clusters.view_cluster_settings"
    return get_object_for(user, perm, Cluster, uuid=cluster_uuid)
