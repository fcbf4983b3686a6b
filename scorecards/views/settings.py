"""The ranking settings pages of a cluster (part of Thiết lập cụm, see clusters.views_settings):
its grade bands and its tie-break order."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clusters.shortcuts import cluster_for_settings
from common.forms import add_errors, add_formset_errors

from ..forms.settings import TieBreakForm, band_formset
from ..models import ScoringPolicy
from ..services.settings import save_grade_bands, save_tie_breaks


def _index_url(cluster) -> str:
    return reverse("clusters:settings", kwargs={"cluster": cluster.uuid})


@login_required
@require_http_methods(["GET", "POST"])
def grade_bands(request, cluster):
    cluster = cluster_for_settings(request.user, cluster, change=True)
    formset = band_formset(request.POST or None, cluster=cluster)
    problems: list[str] = []
    if request.method == "POST" and formset.is_valid():
        try:
            save_grade_bands(cluster=cluster, rows=formset.rows(), user=request.user)
        except ValidationError as error:
            add_formset_errors(formset, error, others=problems)
        else:
            messages.success(request, _("The grade bands were saved."))
            return redirect(_index_url(cluster))
    return render(
        request,
        "scorecards/settings/grade_bands.html",
        {"cluster": cluster, "formset": formset, "problems": problems},
    )


@login_required
@require_http_methods(["GET", "POST"])
def tie_breaks(request, cluster):
    cluster = cluster_for_settings(request.user, cluster, change=True)
    policy = ScoringPolicy.objects.filter(cluster=cluster).first()
    current = policy.tie_breaks if policy else []
    form = TieBreakForm(request.POST or None, cluster=cluster, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            save_tie_breaks(cluster=cluster, keys=form.keys(), user=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The tie-break order was saved."))
            return redirect(_index_url(cluster))
    return render(
        request,
        "clusters/settings/form.html",
        {
            "cluster": cluster,
            "form": form,
            "title": _("Tie-break order"),
            "intro": _(
                "Units with the same total are ranked by these, in this order; each at most once."
            ),
        },
    )


urlpatterns = [
    path("clusters/<uuid:cluster>/settings/grade-bands/", grade_bands, name="settings_grade_bands"),
    path("clusters/<uuid:cluster>/settings/tie-breaks/", tie_breaks, name="settings_tie_breaks"),
]
