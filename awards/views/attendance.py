"""The conference's check-in: the counting committee checks delegates in once, each with the
channel of their ballots, undoes a mistaken check-in and checks out those who leave."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.forms import add_errors

from ..forms.attendance import CheckInForm
from ..models import Issuance
from ..services import attendance
from .polls import _conference

DONE = {
    CheckInForm.CHECK_IN: lambda name, entry: (
        _("%(name)s is checked in: %(channel)s.")
        % {"name": name, "channel": entry.get_channel_display()}
    ),
    CheckInForm.UNDO: lambda name, entry: (
        _("The check-in of %(name)s was undone.") % {"name": name}
    ),
    CheckInForm.CHECK_OUT: lambda name, entry: _("%(name)s is checked out.") % {"name": name},
}


def _do(form: CheckInForm, conference, user):
    data = form.cleaned_data
    person, action = data["person"], data["action"]
    if action == CheckInForm.UNDO:
        return attendance.undo_check_in(conference=conference, person=person, user=user)
    if action == CheckInForm.CHECK_OUT:
        return attendance.check_out(conference=conference, person=person, user=user)
    return attendance.check_in(
        conference=conference, person=person, channel=data["channel"], user=user
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_check_in(request, conference):
    conference = _conference(request.user, conference)
    roster = conference.delegates.select_related("unit").order_by("unit__short_name", "full_name")
    form = CheckInForm(request.POST or None, roster=roster)
    if request.method == "POST" and form.is_valid():
        try:
            entry = _do(form, conference, request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            person = form.cleaned_data["person"]
            messages.success(request, DONE[form.cleaned_data["action"]](person.full_name, entry))
            back = reverse("awards:conference_check_in", kwargs={"conference": conference.uuid})
            return redirect(f"{back}#person-{person.uuid}")
    check_ins = attendance.attendance_of(conference)
    rows = [(person, check_ins.get(person.pk)) for person in roster]
    present = [c for c in check_ins.values() if c.is_present]
    by_channel = [
        (label, sum(1 for c in present if c.channel == channel))
        for channel, label in Issuance.CHANNELS
    ]
    return render(
        request,
        "awards/check_in.html",
        {
            "conference": conference,
            "cluster_year": conference.cluster_year,
            "form": form,
            "rows": rows,
            "present": len(present),
            "by_channel": by_channel,
            "channels": Issuance.CHANNELS,
        },
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path(
        "conferences/<uuid:conference>/check-in/", conference_check_in, name="conference_check_in"
    ),
]
