"""Recording next year's leadership elected at a conference (one-choice polls)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.views import require

from ..models import Poll
from ..services.elections import apply_election, election_plan


@login_required
@require_http_methods(["GET", "POST"])
def election_apply(request, poll):
    """GET: what the conference's elections would record for next year; POST: record it."""
    poll = get_object_or_404(
        Poll.objects.select_related("conference__cluster_year__cluster", "elects_role"), uuid=poll
    )
    conference = poll.conference
    require(request.user, "clusters.manage_cluster_year", conference.cluster_year)
    if poll.elects_role_id is None:
        raise Http404(_("This poll does not elect a leadership role."))
    errors = []
    if request.method == "POST":
        try:
            new_year = apply_election(poll=poll, user=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("The leadership for %(year)s was recorded from the elections.")
                % {"year": new_year.year},
            )
            return redirect(new_year)
    plan = election_plan(poll=poll)
    return render(
        request,
        "awards/election_apply.html",
        {
            "poll": poll,
            "conference": conference,
            "cluster_year": conference.cluster_year,
            "plan": plan,
            "errors": errors,
        },
    )


urlpatterns = [
    path("polls/<uuid:poll>/election/", election_apply, name="election_apply"),
]
