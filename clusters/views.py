from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.forms import add_errors
from common.views import get_object_for

from .forms import ClusterYearForm, ConferenceForm, LeadershipConfirmForm, PersonForm
from .models import (
    Cluster,
    ClusterYear,
    Conference,
    Invitation,
    LeadershipAssignment,
    Membership,
    Person,
    Unit,
)
from .selectors import (
    leadership_history,
    members_in_year,
    membership_years,
    successor_chain,
    unit_accounts,
    visible_clusters,
)
from .services import (
    confirm_leadership,
    propose_leadership,
    save_cluster_year,
    save_conference,
    save_person,
)
from .shortcuts import change_refusal, cluster_year_for


@login_required
def cluster_list(request):
    clusters = visible_clusters(request.user).order_by("number", "name")
    return render(request, "clusters/cluster_list.html", {"clusters": clusters})


@login_required
def cluster_detail(request, cluster):
    cluster = get_object_for(request.user, "clusters.view_cluster", Cluster, uuid=cluster)
    years = membership_years(cluster=cluster)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year not in years:
        cluster_years = list(cluster.years.values_list("year", "status"))
        open_years = [y for y, status in cluster_years if status != ClusterYear.Status.CLOSED]
        year = min(open_years) if open_years else (years[-1] if years else None)
    members = members_in_year(cluster=cluster, year=year) if year else []
    for unit in members:
        unit.later = successor_chain(unit)
    return render(
        request,
        "clusters/cluster_detail.html",
        {
            "cluster": cluster,
            "year": year,
            "years": years,
            "members": members,
            "cluster_years": cluster.years.order_by("-year"),
            "history": leadership_history(cluster=cluster),
            "rotation": cluster.rotation.select_related("unit__successor").order_by("position"),
            "sections": settings.CLUSTER_SECTIONS,
        },
    )


@login_required
def year_detail(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, "clusters.view_cluster_year")
    leadership = (
        LeadershipAssignment.objects.filter(cluster_year=cluster_year)
        .select_related("role", "unit__successor", "decided_at", "confirmed_by")
        .order_by("role__rank")
    )
    return render(
        request,
        "clusters/year_detail.html",
        {
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "members": members_in_year(cluster=cluster_year.cluster, year=cluster_year.year),
            "leadership": leadership,
            "conferences": cluster_year.conferences.select_related("host_unit").order_by("date"),
            "staff": cluster_year.secretariat_staff.select_related("user"),
            "next_year": ClusterYear.objects.filter(
                cluster=cluster_year.cluster, year=cluster_year.year + 1
            ).first(),
            "can_manage": request.user.has_perm("clusters.manage_cluster_year", cluster_year),
            "sections": settings.CLUSTER_YEAR_SECTIONS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def year_edit(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, "clusters.view_cluster_year")
    if refusal := change_refusal(request, cluster_year, "clusters.manage_cluster_year"):
        return refusal
    form = ClusterYearForm(request.POST or None, request.FILES or None, instance=cluster_year)
    if request.method == "POST" and form.is_valid():
        save_cluster_year(cluster_year=form.instance, user=request.user)
        messages.success(request, _("The year %(year)s was saved.") % {"year": year})
        return redirect(cluster_year)
    return render(request, "clusters/year_form.html", {"form": form, "cluster_year": cluster_year})


@login_required
@require_http_methods(["GET", "POST"])
def leadership_next(request, cluster, year):
    """The secretariat of `year` proposes and confirms the leadership of `year + 1`."""
    cluster_year = cluster_year_for(request.user, cluster, year, "clusters.view_cluster_year")
    if refusal := change_refusal(request, cluster_year, "clusters.manage_cluster_year"):
        return refusal
    cluster = cluster_year.cluster
    next_year = cluster_year.year + 1
    proposal = propose_leadership(cluster=cluster, year=next_year)
    conferences = cluster_year.conferences.order_by("-date")
    form = LeadershipConfirmForm(request.POST or None, proposal=proposal, conferences=conferences)
    if request.method == "POST" and form.is_valid():
        choices, reasons = form.cleaned_choices()
        try:
            new_year = confirm_leadership(
                cluster=cluster,
                year=next_year,
                choices=choices,
                reasons=reasons,
                decided_at=form.cleaned_data["decided_at"],
                user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("The leadership for %(year)s was confirmed.") % {"year": next_year}
            )
            return redirect(new_year)
    current = {
        a.role_id: a
        for a in LeadershipAssignment.objects.filter(
            cluster_year__cluster=cluster, cluster_year__year=next_year
        ).select_related("unit")
    }
    return render(
        request,
        "clusters/leadership_next.html",
        {
            "cluster_year": cluster_year,
            "cluster": cluster,
            "next_year": next_year,
            "proposal": proposal,
            "form": form,
            "rows": [
                (holder, form[unit_field], form[reason_field], current.get(holder.role.pk))
                for holder, unit_field, reason_field in form.role_rows
            ],
            "history": leadership_history(cluster=cluster),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_create(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, "clusters.view_cluster_year")
    if refusal := change_refusal(request, cluster_year, "clusters.manage_conference"):
        return refusal
    form = ConferenceForm(request.POST or None, request.FILES or None, cluster_year=cluster_year)
    if request.method == "POST" and form.is_valid():
        conference = _save_conference(form, request.user)
        messages.success(request, _("The conference was saved."))
        return redirect(conference)
    return render(
        request, "clusters/conference_form.html", {"form": form, "cluster_year": cluster_year}
    )


def _save_conference(form: ConferenceForm, user) -> Conference:
    data = form.cleaned_data
    return save_conference(
        conference=form.instance,
        attending_units=data["attending_units"],
        attendees=data["attendees"],
        delegates=data["delegates"],
        counting_committee=data["counting_committee"],
        user=user,
    )


def _conference(user, uuid) -> Conference:
    conferences = Conference.objects.select_related("cluster_year__cluster", "host_unit")
    return get_object_for(user, "clusters.view_conference", conferences, uuid=uuid)


@login_required
def conference_detail(request, conference):
    conference = _conference(request.user, conference)
    people = ("unit",)
    return render(
        request,
        "clusters/conference_detail.html",
        {
            "conference": conference,
            "cluster_year": conference.cluster_year,
            "attending_units": conference.attending_units.order_by("short_name"),
            "attendees": conference.attendees.select_related(*people),
            "delegates": conference.delegates.select_related(*people),
            "committee": conference.counting_committee.select_related(*people),
            "invited_ids": set(
                Invitation.objects.filter(
                    accepted_at__isnull=True,
                    cancelled_at__isnull=True,
                    person__in=conference.delegates.all() | conference.counting_committee.all(),
                ).values_list("person_id", flat=True)
            ),
            "can_manage": request.user.has_perm("clusters.manage_conference", conference),
            "sections": settings.CONFERENCE_SECTIONS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_edit(request, conference):
    conference = _conference(request.user, conference)
    cluster_year = conference.cluster_year
    if refusal := change_refusal(request, cluster_year, "clusters.manage_conference", conference):
        return refusal
    form = ConferenceForm(
        request.POST or None, request.FILES or None, instance=conference, cluster_year=cluster_year
    )
    if request.method == "POST" and form.is_valid():
        _save_conference(form, request.user)
        messages.success(request, _("The conference was saved."))
        return redirect(conference)
    return render(
        request,
        "clusters/conference_form.html",
        {"form": form, "cluster_year": cluster_year, "conference": conference},
    )


@login_required
def unit_detail(request, unit):
    units = Unit.objects.select_related("successor__successor")
    unit = get_object_for(request.user, "clusters.view_unit", units, uuid=unit)
    return render(
        request,
        "clusters/unit_detail.html",
        {
            "unit": unit,
            "later": successor_chain(unit),
            "predecessors": unit.predecessors.order_by("short_name"),
            "memberships": Membership.objects.filter(unit=unit).select_related("cluster"),
            "leadership": LeadershipAssignment.objects.filter(unit=unit)
            .select_related("role", "cluster_year__cluster")
            .order_by("-cluster_year__year"),
            "can_see_people": request.user.has_perm("clusters.view_unit_people", unit),
        },
    )


@login_required
def unit_people(request, unit):
    unit = get_object_for(request.user, "clusters.view_unit_people", Unit, uuid=unit)
    can_manage_officers = request.user.has_perm("clusters.manage_unit_officers", unit)
    accounts = unit_accounts(unit)
    return render(
        request,
        "clusters/unit_people.html",
        {
            "unit": unit,
            "people": unit.people.select_related("user").order_by("full_name"),
            "accounts": accounts,
            "invited_ids": {invitation.person_id for invitation in accounts.invitations},
            "can_manage": request.user.has_perm("clusters.manage_unit_people", unit),
            "can_manage_officers": can_manage_officers,
            "now": timezone.now(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, unit, person=None):
    unit = get_object_for(request.user, "clusters.manage_unit_people", Unit, uuid=unit)
    instance = Person(unit=unit)
    if person is not None:
        instance = unit.people.filter(uuid=person).first()
        if instance is None:
            raise Http404
    form = PersonForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = save_person(person=form.instance, user=request.user)
        messages.success(request, _("%(name)s was saved.") % {"name": saved.full_name})
        return redirect("clusters:unit_people", unit=unit.uuid)
    return render(
        request,
        "clusters/person_form.html",
        {"form": form, "unit": unit, "person": instance if instance.pk else None},
    )
