"""Pages of the pledge (giao ước thi đua), thematic campaigns (phong trào thi đua chuyên đề) and
indicators of a cluster year.

Everyone of the cluster sees them (scorecards.view_criteria); the secretariat manages them
(clusters.manage_cluster_year); member units' officers sign, submit entries and report
(scorecards.take_part), each for their own unit.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clusters.models import ClusterYear, Unit
from clusters.selectors import members_in_year
from clusters.shortcuts import change_refusal, cluster_year_for
from common.forms import add_errors
from common.views import flash_errors, require

from ..forms.engagement import (
    CampaignEntryForm,
    CampaignForm,
    IndicatorForm,
    IndicatorReportForm,
    PledgeForm,
    PledgeSignForm,
)
from ..models import Campaign, CampaignEntry, Indicator, IndicatorReport
from ..selectors_engagement import (
    campaign_entries,
    campaigns_of,
    indicator_summaries,
    my_units_in_year,
    pledge_status,
)
from ..services import engagement as services

VIEW = "scorecards.view_criteria"
MANAGE = "clusters.manage_cluster_year"
TAKE_PART = "scorecards.take_part"
SEE_ALL = "scorecards.view_all_scorecards"  # admin, supervisors, the year's secretariat


def _download(field_file):
    if not field_file:
        raise Http404
    name = field_file.name.rsplit("/", 1)[-1]
    return FileResponse(field_file.open("rb"), as_attachment=True, filename=name)


def _year_url(name: str, cluster_year: ClusterYear) -> str:
    return reverse(
        f"scorecards:{name}",
        kwargs={"cluster": cluster_year.cluster.uuid, "year": cluster_year.year},
    )


# The pledge ------------------------------------------------------------------------------------


def _pledge_page(request, cluster_year: ClusterYear, sign_form=None, status_code=200):
    status = pledge_status(cluster_year)
    mine = my_units_in_year(request.user, cluster_year, status.members)
    can_sign = status.pledge is not None and request.user.has_perm(TAKE_PART, cluster_year)
    unsigned_mine = [u for u in mine if u in status.not_signed] if can_sign else []
    if sign_form is None and unsigned_mine:
        sign_form = PledgeSignForm(units=unsigned_mine)
    sees_all = request.user.has_perm(SEE_ALL, cluster_year)
    mine_ids = {u.pk for u in mine}
    return render(
        request,
        "scorecards/pledge.html",
        {
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "status": status,
            "rows": [
                (s, sees_all or s.unit_id in mine_ids) for s in status.signatures
            ],  # (signature, may open its scan)
            "my_units": mine,
            "sign_form": sign_form if unsigned_mine else None,
            "can_manage": request.user.has_perm(MANAGE, cluster_year),
        },
        status=status_code,
    )


@login_required
def pledge(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    return _pledge_page(request, cluster_year)


@login_required
@require_http_methods(["GET", "POST"])
def pledge_edit(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    back = _year_url("pledge", cluster_year)
    if refusal := change_refusal(request, cluster_year, MANAGE, back=back):
        return refusal
    status = pledge_status(cluster_year)
    if status.signatures:
        messages.error(
            request, _("Units have already signed the pledge: it can no longer be changed.")
        )
        return redirect(back)
    current = status.pledge
    form = PledgeForm(
        request.POST or None,
        request.FILES or None,
        initial={"text": current.text if current else ""},
        has_document=bool(current and current.document),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_pledge(
                cluster_year=cluster_year,
                text=form.cleaned_data["text"],
                document=form.cleaned_data["document"],
                user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The pledge was saved."))
            return redirect(back)
    return render(
        request,
        "scorecards/pledge_form.html",
        {
            "form": form,
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "pledge": current,
            "document_name": current.document.name.rsplit("/", 1)[-1]
            if current and current.document
            else "",
        },
    )


@login_required
@require_POST
def pledge_sign(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    back = _year_url("pledge", cluster_year)
    if refusal := change_refusal(request, cluster_year, TAKE_PART, back=back):
        return refusal
    members = members_in_year(cluster=cluster_year.cluster, year=cluster_year.year)
    form = PledgeSignForm(
        request.POST, request.FILES, units=my_units_in_year(request.user, cluster_year, members)
    )
    if form.is_valid():
        unit = form.chosen_unit()
        try:
            services.sign_pledge(
                cluster_year=cluster_year,
                unit=unit,
                user=request.user,
                scan=form.cleaned_data["scan"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_errors(form, error)
                return _pledge_page(request, cluster_year, form, status_code=400)
            flash_errors(request, error)
            return redirect(back)
        messages.success(request, _("%(unit)s has signed the pledge.") % {"unit": unit.short_name})
        return redirect(back)
    return _pledge_page(request, cluster_year, form, status_code=400)


@login_required
def pledge_document(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    status = pledge_status(cluster_year)
    if status.pledge is None:
        raise Http404
    return _download(status.pledge.document)


@login_required
def pledge_scan(request, cluster, year, unit):
    """A unit's signed copy: for the secretariat, supervisors and the unit's own officers."""
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    unit = get_object_or_404(Unit, uuid=unit)
    status = pledge_status(cluster_year)
    signature = status.signature_of(unit)
    if signature is None:
        raise Http404
    mine = my_units_in_year(request.user, cluster_year, status.members)
    if unit not in mine and not request.user.has_perm(SEE_ALL, cluster_year):
        raise PermissionDenied(_("You do not have access to this page."))
    return _download(signature.scan)


# Campaigns -------------------------------------------------------------------------------------


@login_required
def campaigns(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    sees_all = request.user.has_perm(SEE_ALL, cluster_year)
    rows = campaigns_of(cluster_year).annotate(
        shortlisted_count=Count("entries", filter=Q(entries__shortlisted=True)),
        entry_count=Count("entries"),
    )
    return render(
        request,
        "scorecards/campaign_list.html",
        {
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "campaigns": rows,
            "sees_all": sees_all,
            "can_manage": request.user.has_perm(MANAGE, cluster_year),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    back = _year_url("campaigns", cluster_year)
    if refusal := change_refusal(request, cluster_year, MANAGE, back=back):
        return refusal
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(
                cluster_year=cluster_year, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The campaign was saved."))
            return redirect("scorecards:campaign", campaign=campaign.uuid)
    return render(
        request,
        "scorecards/campaign_form.html",
        {"form": form, "cluster_year": cluster_year, "cluster": cluster_year.cluster},
    )


def _campaign(uuid) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("cluster_year__cluster"), uuid=uuid)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request, campaign):
    campaign = _campaign(campaign)
    cluster_year = campaign.cluster_year
    require(request.user, VIEW, cluster_year)
    back = reverse("scorecards:campaign", kwargs={"campaign": campaign.uuid})
    if refusal := change_refusal(request, cluster_year, MANAGE, back=back):
        return refusal
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_campaign(campaign=campaign, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The campaign was saved."))
            return redirect(back)
    return render(
        request,
        "scorecards/campaign_form.html",
        {
            "form": form,
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "campaign": campaign,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign(request, campaign):
    """The campaign, the entries the viewer may see, and the entry form for unit officers."""
    campaign = _campaign(campaign)
    cluster_year = campaign.cluster_year
    require(request.user, VIEW, cluster_year)
    members = members_in_year(cluster=cluster_year.cluster, year=cluster_year.year)
    mine = my_units_in_year(request.user, cluster_year, members)
    can_enter = bool(mine) and request.user.has_perm(TAKE_PART, cluster_year)
    is_open = services.campaign_is_open(campaign)
    form = None
    status_code = 200
    if request.method == "POST":
        back = reverse("scorecards:campaign", kwargs={"campaign": campaign.uuid})
        if refusal := change_refusal(request, cluster_year, TAKE_PART, back=back):
            return refusal
        if not mine:
            raise PermissionDenied(_("You do not have access to this page."))
        form = CampaignEntryForm(request.POST, request.FILES, units=mine)
        if form.is_valid():
            unit = form.chosen_unit()
            try:
                services.submit_entry(
                    campaign=campaign,
                    unit=unit,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    results=form.cleaned_data["results"],
                    attachment=form.cleaned_data["attachment"],
                    user=request.user,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, _("The entry of %(unit)s was submitted.") % {"unit": unit.short_name}
                )
                return redirect(back)
        status_code = 400
    elif can_enter and is_open:
        form = CampaignEntryForm(units=mine)
    sees_all = request.user.has_perm(SEE_ALL, cluster_year)
    return render(
        request,
        "scorecards/campaign_detail.html",
        {
            "campaign": campaign,
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "entries": campaign_entries(
                campaign=campaign, sees_all=sees_all, own_unit_ids={u.pk for u in mine}
            ),
            "sees_all": sees_all,
            "form": form,
            "can_enter": can_enter,
            "is_open": is_open,
            "has_started": campaign.start_date <= timezone.localdate(),
            "can_manage": request.user.has_perm(MANAGE, cluster_year),
        },
        status=status_code,
    )


def _entry(uuid) -> CampaignEntry:
    return get_object_or_404(
        CampaignEntry.objects.select_related("campaign__cluster_year__cluster"), uuid=uuid
    )


@login_required
@require_POST
def entry_shortlist(request, entry):
    """The secretariat shortlists an entry (shortlisted=1) or takes it off (shortlisted=0)."""
    entry = _entry(entry)
    cluster_year = entry.campaign.cluster_year
    require(request.user, VIEW, cluster_year)
    back = reverse("scorecards:campaign", kwargs={"campaign": entry.campaign.uuid})
    if refusal := change_refusal(request, cluster_year, MANAGE, back=back):
        return refusal
    shortlisted = request.POST.get("shortlisted") == "1"
    services.set_shortlisted(entry=entry, shortlisted=shortlisted, user=request.user)
    if shortlisted:
        messages.success(request, _("“%(title)s” was shortlisted.") % {"title": entry.title})
    else:
        messages.success(
            request, _("“%(title)s” was taken off the shortlist.") % {"title": entry.title}
        )
    return redirect(f"{back}#entry-{entry.uuid}")


@login_required
def entry_file(request, entry):
    entry = _entry(entry)
    cluster_year = entry.campaign.cluster_year
    require(request.user, VIEW, cluster_year)
    if not (
        entry.shortlisted
        or request.user.has_perm(SEE_ALL, cluster_year)
        or entry.unit_id
        in {
            u.pk
            for u in my_units_in_year(
                request.user,
                cluster_year,
                members_in_year(cluster=cluster_year.cluster, year=cluster_year.year),
            )
        }
    ):
        raise PermissionDenied(_("You do not have access to this page."))
    return _download(entry.attachment)


# Indicators ------------------------------------------------------------------------------------


@login_required
def indicators(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    members, summaries = indicator_summaries(cluster_year)
    mine = my_units_in_year(request.user, cluster_year, members)
    return render(
        request,
        "scorecards/indicator_list.html",
        {
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "members": members,
            "summaries": summaries,
            "my_units": mine,
            "can_report": bool(mine) and request.user.has_perm(TAKE_PART, cluster_year),
            "can_manage": request.user.has_perm(MANAGE, cluster_year),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, cluster=None, year=None, indicator=None):
    if indicator is not None:
        instance = get_object_or_404(
            Indicator.objects.select_related("cluster_year__cluster"), uuid=indicator
        )
        cluster_year = instance.cluster_year
        require(request.user, VIEW, cluster_year)
    else:
        instance = None
        cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    back = _year_url("indicators", cluster_year)
    if refusal := change_refusal(request, cluster_year, MANAGE, back=back):
        return refusal
    form = IndicatorForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_indicator(
                cluster_year=cluster_year,
                indicator=instance,
                user=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The indicator was saved."))
            return redirect(back)
    return render(
        request,
        "scorecards/indicator_form.html",
        {
            "form": form,
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "indicator": instance,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_report(request, cluster, year):
    """A unit officer answers all the year's indicators for their unit."""
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    back = _year_url("indicators", cluster_year)
    if refusal := change_refusal(request, cluster_year, TAKE_PART, back=back):
        return refusal
    members = members_in_year(cluster=cluster_year.cluster, year=cluster_year.year)
    mine = my_units_in_year(request.user, cluster_year, members)
    if not mine:
        raise PermissionDenied(_("You do not have access to this page."))
    wanted = request.POST.get("unit") or request.GET.get("unit")
    unit = next((u for u in mine if str(u.uuid) == wanted), mine[0])
    year_indicators = list(cluster_year.indicators.order_by("as_of", "text"))
    reports = {
        r.indicator_id: r
        for r in IndicatorReport.objects.filter(indicator__in=year_indicators, unit=unit)
    }
    form = IndicatorReportForm(request.POST or None, indicators=year_indicators, reports=reports)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_indicators(
                cluster_year=cluster_year,
                unit=unit,
                values=form.cleaned_values(),
                user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("The indicators of %(unit)s were saved.") % {"unit": unit.short_name},
            )
            return redirect(back)
    return render(
        request,
        "scorecards/indicator_report.html",
        {
            "form": form,
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "unit": unit,
            "my_units": mine,
            "rows": [(i, form[v], form[n]) for i, v, n in form.rows],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


YEAR = "clusters/<uuid:cluster>/<int:year>"

urlpatterns = [
    path(f"{YEAR}/pledge/", pledge, name="pledge"),
    path(f"{YEAR}/pledge/edit/", pledge_edit, name="pledge_edit"),
    path(f"{YEAR}/pledge/sign/", pledge_sign, name="pledge_sign"),
    path(f"{YEAR}/pledge/document/", pledge_document, name="pledge_document"),
    path(f"{YEAR}/pledge/scans/<uuid:unit>/", pledge_scan, name="pledge_scan"),
    path(f"{YEAR}/campaigns/", campaigns, name="campaigns"),
    path(f"{YEAR}/campaigns/new/", campaign_create, name="campaign_create"),
    path("campaigns/<uuid:campaign>/", campaign, name="campaign"),
    path("campaigns/<uuid:campaign>/edit/", campaign_edit, name="campaign_edit"),
    path("campaign-entries/<uuid:entry>/shortlist/", entry_shortlist, name="entry_shortlist"),
    path("campaign-entries/<uuid:entry>/file/", entry_file, name="entry_file"),
    path(f"{YEAR}/indicators/", indicators, name="indicators"),
    path(f"{YEAR}/indicators/new/", indicator_edit, name="indicator_create"),
    path(f"{YEAR}/indicators/report/", indicator_report, name="indicator_report"),
    path("indicators/<uuid:indicator>/edit/", indicator_edit, name="indicator_edit"),
]
