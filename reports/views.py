"""Pages of the reports: a year's reports (units' reports, the summary's settings, compiling
with a live progress bar, versions, publication, the signed copy), a unit's report, and the
supervisors' roll-up. Every view checks a permission of reports/rules.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clusters.models import ClusterYear, Unit
from clusters.selectors import members_in_year, user_scope
from clusters.shortcuts import change_refusal, cluster_year_for, cluster_year_or_404
from common.formatting import plain
from common.forms import add_errors
from common.views import flash_errors, require

from . import jobs, services
from .forms import (
    KeyFigureFormSet,
    ReturnReportForm,
    RollupForm,
    SignedSummaryForm,
    UnitReportForm,
    YearSummaryForm,
    figure_rows,
)
from .models import ReportJob, SignedSummary, UnitReport

JOBS_SHOWN = 10
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _cluster_year(user, cluster_uuid, year, perm: str) -> ClusterYear:
    """The year with its summary's settings, for a user who has `perm` on it (404, else 403)."""
    return cluster_year_for(user, cluster_uuid, year, perm, related=("summary",))


def _summary_jobs(cluster_year: ClusterYear):
    return (
        cluster_year.report_jobs.filter(kind=ReportJob.SUMMARY)
        .select_related("requested_by__person", "version")
        .order_by("-created_at", "-pk")[:JOBS_SHOWN]
    )


# The year's reports ---------------------------------------------------------------------------


@login_required
@require_GET
def year_reports(request, cluster, year):
    user = request.user
    cluster_year = _cluster_year(user, cluster, year, "reports.view_reports")
    reports = {
        report.unit_id: report
        for report in cluster_year.unit_reports.select_related("submitted_by__person")
    }
    members = members_in_year(cluster=cluster_year.cluster, year=cluster_year.year)
    my_units = user_scope(user).unit_ids_in_year(cluster_year.year)
    can_manage = user.has_perm("reports.manage_summary", cluster_year)
    sees_versions = user.has_perm("reports.view_all_versions", cluster_year)
    summary = services.summary_of_year(cluster_year)
    context = {
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        # Members see their own unit's row; the secretariat and supervisors every unit's.
        "rows": [
            (unit, reports.get(unit.pk)) for unit in members if sees_versions or unit.pk in my_units
        ],
        "my_units": my_units,
        "received": sum(1 for r in reports.values() if r.status != UnitReport.Status.DRAFT),
        "member_count": len(members),
        "summary": summary,
        "can_manage": can_manage,
        "sees_versions": sees_versions,
    }
    if sees_versions:
        context["jobs"] = _summary_jobs(cluster_year)
    if user.has_perm("reports.view_summary_files", cluster_year):
        context["signed"] = cluster_year.signed_summaries.select_related(
            "uploaded_by__person", "based_on"
        )
    if can_manage:
        context["signed_form"] = SignedSummaryForm(cluster_year=cluster_year)
    return render(request, "reports/year_reports.html", context)


def _report_for(cluster_year, unit, reports: dict) -> UnitReport:
    """The unit's report, or an unsaved blank one (so permissions can be asked of it)."""
    report = reports.get(unit.pk) or UnitReport(cluster_year=cluster_year, unit=unit)
    report.cluster_year = cluster_year
    report.unit = unit
    return report


@login_required
@require_http_methods(["GET", "POST"])
def summary_edit(request, cluster, year):
    cluster_year = _cluster_year(request.user, cluster, year, "reports.manage_summary")
    summary = services.summary_of_year(cluster_year)
    form = YearSummaryForm(request.POST or None, instance=summary)
    if request.method == "POST" and form.is_valid():
        services.save_summary(
            cluster_year=cluster_year,
            values={name: form.cleaned_data[name] for name in form.Meta.fields},
            user=request.user,
        )
        messages.success(request, _("The summary's details are saved."))
        return redirect("reports:year", cluster_year.cluster.uuid, cluster_year.year)
    return render(
        request,
        "reports/summary_form.html",
        {"cluster_year": cluster_year, "cluster": cluster_year.cluster, "form": form},
    )


# Jobs: compile, follow, download ---------------------------------------------------------------


@login_required
@require_POST
def summary_compile(request, cluster, year):
    cluster_year = _cluster_year(request.user, cluster, year, "reports.manage_summary")
    with transaction.atomic():
        job = jobs.request_summary(cluster_year=cluster_year, user=request.user)
    job.refresh_from_db()  # without Redis it has already run, in-process
    if request.htmx:
        return render(
            request,
            "reports/_job_row.html",
            {"job": job, "can_manage": True, "summary": services.summary_of_year(cluster_year)},
        )
    messages.success(request, _("The summary is being compiled."))
    return redirect("reports:year", cluster_year.cluster.uuid, cluster_year.year)


def _job(uuid) -> ReportJob:
    return get_object_or_404(
        ReportJob.objects.select_related(
            "cluster_year__cluster", "cluster_year__summary", "requested_by__person", "version"
        ),
        uuid=uuid,
    )


def _require_job(user, job: ReportJob) -> None:
    if job.kind == ReportJob.ROLLUP:
        require(user, "reports.view_rollup", job)
    elif not user.has_perm("reports.view_all_versions", job.cluster_year):
        summary = getattr(job.cluster_year, "summary", None)
        published = (
            summary is not None
            and summary.published_version_id is not None
            and (summary.published_version.job_id == job.pk)
        )
        if not (published and user.has_perm("reports.view_summary_files", job.cluster_year)):
            raise PermissionDenied(_("You do not have access to this page."))


@login_required
@require_GET
def job_row(request, job):
    """The row of one job, polled by htmx every second while it runs."""
    job = _job(job)
    _require_job(request.user, job)
    can_manage = job.kind == ReportJob.SUMMARY and request.user.has_perm(
        "reports.manage_summary", job.cluster_year
    )
    template = (
        "reports/_rollup_row.html" if job.kind == ReportJob.ROLLUP else "reports/_job_row.html"
    )
    return render(request, template, {"job": job, "can_manage": can_manage})


@login_required
@require_GET
def job_file(request, job, kind):
    job = _job(job)
    _require_job(request.user, job)
    version = getattr(job, "version", None)
    if kind not in CONTENT_TYPES or version is None or not getattr(version, kind):
        raise Http404
    stored = getattr(version, kind)
    response = FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=stored.name.rsplit("/", 1)[-1],
        content_type=CONTENT_TYPES[kind],
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def summary_publish(request, job):
    job = _job(job)
    if job.kind != ReportJob.SUMMARY:
        raise Http404
    require(request.user, "reports.manage_summary", job.cluster_year)
    version = getattr(job, "version", None)
    if version is None:
        messages.error(request, _("Only a compiled version can be published."))
    else:
        services.publish(version=version, user=request.user)
        messages.success(
            request,
            _("Version %(number)s is published to the members of the cluster.")
            % {"number": version.number},
        )
    return redirect("reports:year", job.cluster_year.cluster.uuid, job.cluster_year.year)


@login_required
@require_POST
def signed_upload(request, cluster, year):
    cluster_year = _cluster_year(request.user, cluster, year, "reports.manage_summary")
    form = SignedSummaryForm(request.POST, request.FILES, cluster_year=cluster_year)
    if form.is_valid():
        services.upload_signed(
            cluster_year=cluster_year,
            uploaded=form.cleaned_data["file"],
            based_on=form.cleaned_data["based_on"],
            user=request.user,
        )
        messages.success(request, _("The signed summary is kept."))
        return redirect("reports:year", cluster_year.cluster.uuid, cluster_year.year)
    return render(
        request,
        "reports/signed_form.html",
        {"cluster_year": cluster_year, "cluster": cluster_year.cluster, "form": form},
    )


@login_required
@require_GET
def signed_file(request, signed):
    signed = get_object_or_404(
        SignedSummary.objects.select_related("cluster_year__summary"), uuid=signed
    )
    require(request.user, "reports.view_summary_files", signed.cluster_year)
    response = FileResponse(
        signed.file.open("rb"), as_attachment=True, filename=signed.original_name
    )
    response["Cache-Control"] = "private, no-store"
    return response


# A unit's report --------------------------------------------------------------------------------


def _unit_report(user, cluster_uuid, year, unit_uuid) -> UnitReport:
    """The unit's report of the year (unsaved while not written), for a user who may see it:
    404 when the year or the unit is missing, 403 when reports.view_unit_report is refused."""
    cluster_year = cluster_year_or_404(cluster_uuid, year, related=("summary",))
    unit = get_object_or_404(Unit, uuid=unit_uuid)
    report = (
        UnitReport.objects.select_related("submitted_by__person", "accepted_by__person")
        .prefetch_related("figures")
        .filter(cluster_year=cluster_year, unit=unit)
        .first()
    )
    report = _report_for(cluster_year, unit, {unit.pk: report} if report else {})
    require(user, "reports.view_unit_report", report)
    return report


@login_required
@require_http_methods(["GET", "POST"])
def unit_report(request, cluster, year, unit):
    user = request.user
    report = _unit_report(user, cluster, year, unit)
    cluster_year = report.cluster_year
    can_edit = user.has_perm("reports.edit_unit_report", report)
    if request.method == "POST":
        if refusal := change_refusal(
            request, cluster_year, "reports.edit_unit_report", report, back=request.path
        ):
            return refusal
    data = request.POST if request.method == "POST" else None
    form = UnitReportForm(data, instance=report)
    initial = (
        [
            {"label": f.label, "value": plain(f.value), "measure": f.measure}
            for f in report.figures.all()
        ]
        if report.pk
        else []
    )
    figures = KeyFigureFormSet(data, initial=initial, prefix="figures")
    if request.method == "POST" and form.is_valid() and figures.is_valid():
        try:
            services.save_report(
                cluster_year=cluster_year,
                unit=report.unit,
                values={name: form.cleaned_data[name] for name in UnitReport.SECTIONS},
                figures=figure_rows(figures),
                revision=form.cleaned_data["revision"],
                user=user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The report is saved."))
            return redirect(request.path)
    return render(
        request,
        "reports/unit_report.html",
        {
            "report": report,
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "form": form,
            "figures": figures,
            "can_edit": can_edit,
            "can_review": user.has_perm("reports.review_unit_report", report),
            "return_form": ReturnReportForm(),
            "read_only_reason": services.read_only_reason(report) if report.pk else None,
        },
    )


def _act(request, report: UnitReport, action, success: str):
    try:
        action()
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, success)
    return redirect(report_url(report))


def report_url(report: UnitReport) -> str:
    return report.get_absolute_url()


@login_required
@require_POST
def unit_report_submit(request, cluster, year, unit):
    report = _unit_report(request.user, cluster, year, unit)
    if refusal := change_refusal(
        request, report.cluster_year, "reports.edit_unit_report", report, back=report_url(report)
    ):
        return refusal
    if report.pk is None:
        messages.error(request, _("Write the report before submitting it."))
        return redirect(report_url(report))
    return _act(
        request,
        report,
        lambda: services.submit_report(report=report, user=request.user),
        _("The report is submitted to the secretariat."),
    )


@login_required
@require_POST
def unit_report_accept(request, cluster, year, unit):
    report = _unit_report(request.user, cluster, year, unit)
    if refusal := change_refusal(
        request, report.cluster_year, "reports.review_unit_report", report, back=report_url(report)
    ):
        return refusal
    if report.pk is None:
        raise Http404
    return _act(
        request,
        report,
        lambda: services.accept_report(report=report, user=request.user),
        _("The report is accepted."),
    )


@login_required
@require_POST
def unit_report_return(request, cluster, year, unit):
    report = _unit_report(request.user, cluster, year, unit)
    if refusal := change_refusal(
        request, report.cluster_year, "reports.review_unit_report", report, back=report_url(report)
    ):
        return refusal
    if report.pk is None:
        raise Http404
    form = ReturnReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for returning the report."))
        return redirect(report_url(report))
    return _act(
        request,
        report,
        lambda: services.return_report(
            report=report, reason=form.cleaned_data["reason"], user=request.user
        ),
        _("The report is returned to the unit."),
    )


# The roll-up for supervisors ----------------------------------------------------------------------


def _supervised_years(user, year: int):
    scope = user_scope(user)
    years = ClusterYear.objects.filter(year=year).select_related("cluster")
    if not user.is_superuser:
        years = years.filter(cluster_id__in=scope.supervised_cluster_ids)
    return list(years.order_by("cluster__number", "cluster__name"))


def _rollup_years(user) -> list[int]:
    scope = user_scope(user)
    years = ClusterYear.objects.all()
    if not user.is_superuser:
        years = years.filter(cluster_id__in=scope.supervised_cluster_ids)
    return sorted(set(years.values_list("year", flat=True)), reverse=True)


@login_required
@require_http_methods(["GET", "POST"])
def rollup(request):
    user = request.user
    require(user, "reports.run_rollup", None)
    form = RollupForm(request.POST or request.GET or None, years=_rollup_years(user))
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        cluster_years = _supervised_years(user, year)
        if not cluster_years:
            form.add_error(
                "year", _("None of your clusters has data for %(year)s.") % {"year": year}
            )
        else:
            jobs.request_rollup(user=user, year=year, cluster_years=cluster_years)
            messages.success(
                request, _("The roll-up of %(year)s is being compiled.") % {"year": year}
            )
            return redirect("reports:rollup")
    rollups = (
        ReportJob.objects.filter(kind=ReportJob.ROLLUP, requested_by=user)
        .select_related("version")
        .order_by("-created_at", "-pk")[:JOBS_SHOWN]
    )
    return render(request, "reports/rollup.html", {"form": form, "jobs": rollups})
