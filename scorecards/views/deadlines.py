"""The deadlines page of a cluster year: the year's deadlines, the ones the secretariat adds
(YearDeadline), and the cluster's reminder days. The secretariat of an open year only
(clusters.manage_cluster_year): a closed year sends it back to the year page."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clusters.models import ClusterYear
from clusters.shortcuts import change_refusal, cluster_year_for
from common.forms import add_errors
from common.views import flash_errors, require

from ..forms.deadlines import ReminderDaysForm, YearDeadlineForm
from ..models import YearDeadline
from ..services import deadlines as services
from ..services.reminders import days_before, deadlines_of

VIEW = "clusters.view_cluster_year"
MANAGE = "clusters.manage_cluster_year"


def _page_url(cluster_year: ClusterYear) -> str:
    return reverse(
        "scorecards:deadlines",
        kwargs={"cluster": cluster_year.cluster.uuid, "year": cluster_year.year},
    )


def _default_days() -> list[int]:
    return sorted(settings.REMINDER_DAYS_BEFORE, reverse=True)


def _rows(cluster_year: ClusterYear, days: list[int]) -> list[dict]:
    """Each deadline of the year with the days its reminders go out on (those still to come
    and those past alike), and the added one itself when it is one."""
    return [
        {
            "label": due.deadline.label,
            "day": due.day,
            "added": due.added,
            "reminded_on": [
                due.day - datetime.timedelta(days=n) for n in sorted(days, reverse=True)
            ],
        }
        for due in deadlines_of(cluster_year)
    ]


def _render_page(request, cluster_year, *, form=None, days_form=None, status=200):
    cluster = cluster_year.cluster
    days = days_before(cluster)
    return render(
        request,
        "scorecards/deadlines.html",
        {
            "cluster_year": cluster_year,
            "cluster": cluster,
            "rows": _rows(cluster_year, days),
            "form": form or YearDeadlineForm(),
            "days_form": days_form
            or ReminderDaysForm(
                initial={"reminder_days": cluster.reminder_days},
                default_days=_default_days(),
            ),
            "days": sorted(days, reverse=True),
        },
        status=status,
    )


def _year_for_change(request, cluster, year):
    """The year and the refusal to answer instead of the page (None when it may go ahead)."""
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    return cluster_year, change_refusal(request, cluster_year, MANAGE)


@login_required
@require_http_methods(["GET", "POST"])
def deadlines(request, cluster, year):
    """The page, and the form that adds a deadline."""
    cluster_year, refusal = _year_for_change(request, cluster, year)
    if refusal:
        return refusal
    if request.method == "GET":
        return _render_page(request, cluster_year)
    form = YearDeadlineForm(request.POST)
    if form.is_valid():
        try:
            services.save_deadline(
                cluster_year=cluster_year, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The deadline was added."))
            return redirect(_page_url(cluster_year))
    return _render_page(request, cluster_year, form=form, status=400)


@login_required
@require_POST
def reminder_days(request, cluster, year):
    cluster_year, refusal = _year_for_change(request, cluster, year)
    if refusal:
        return refusal
    form = ReminderDaysForm(request.POST, default_days=_default_days())
    if form.is_valid():
        try:
            services.set_reminder_days(
                cluster=cluster_year.cluster,
                reminder_days=form.cleaned_data["reminder_days"],
                user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The reminder days were saved."))
            return redirect(_page_url(cluster_year))
    return _render_page(request, cluster_year, days_form=form, status=400)


def _deadline_for_change(request, deadline_uuid):
    deadline = get_object_or_404(
        YearDeadline.objects.select_related("cluster_year__cluster"), uuid=deadline_uuid
    )
    cluster_year = deadline.cluster_year
    require(request.user, VIEW, cluster_year)
    return deadline, change_refusal(request, cluster_year, MANAGE)


@login_required
@require_http_methods(["GET", "POST"])
def deadline_edit(request, deadline):
    deadline, refusal = _deadline_for_change(request, deadline)
    if refusal:
        return refusal
    cluster_year = deadline.cluster_year
    form = YearDeadlineForm(request.POST or None, instance=deadline)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_deadline(
                cluster_year=cluster_year,
                deadline=deadline,
                user=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The deadline was saved."))
            return redirect(_page_url(cluster_year))
    return render(
        request,
        "scorecards/deadline_form.html",
        {
            "form": form,
            "deadline": deadline,
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def deadline_delete(request, deadline):
    deadline, refusal = _deadline_for_change(request, deadline)
    if refusal:
        return refusal
    cluster_year = deadline.cluster_year
    try:
        services.delete_deadline(deadline=deadline, user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The deadline was removed."))
    return redirect(_page_url(cluster_year))


YEAR = "clusters/<uuid:cluster>/<int:year>"

urlpatterns = [
    path(f"{YEAR}/deadlines/", deadlines, name="deadlines"),
    path(f"{YEAR}/deadlines/reminder-days/", reminder_days, name="reminder_days"),
    path("deadlines/<uuid:deadline>/edit/", deadline_edit, name="deadline_edit"),
    path("deadlines/<uuid:deadline>/delete/", deadline_delete, name="deadline_delete"),
]
