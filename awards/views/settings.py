"""The award settings page of a cluster (part of Thiết lập cụm, see clusters.views_settings):
the secrecy threshold of the count and the default rules of a new poll."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clusters.shortcuts import cluster_for_settings

from ..forms.settings import AwardSettingsForm
from ..services.settings import award_settings_of, save_award_settings


@login_required
@require_http_methods(["GET", "POST"])
def award_settings(request, cluster):
    cluster = cluster_for_settings(request.user, cluster, change=True)
    form = AwardSettingsForm(request.POST or None, instance=award_settings_of(cluster))
    if request.method == "POST" and form.is_valid():
        save_award_settings(settings=form.instance, user=request.user)
        messages.success(request, _("The poll settings were saved."))
        return redirect(reverse("clusters:settings", kwargs={"cluster": cluster.uuid}))
    return render(
        request,
        "clusters/settings/form.html",
        {
            "cluster": cluster,
            "form": form,
            "title": _("Polls: secrecy and default rules"),
            "intro": _(
                "A new poll starts from these rules; the counting committee may change them "
                "before it opens. A poll's rules are frozen when it opens."
            ),
        },
    )


urlpatterns = [
    path("clusters/<uuid:cluster>/settings/polls/", award_settings, name="settings_polls"),
]
