"""Award types and the nomination round of a cluster year.

Everyone of the cluster sees the nominations (awards.view_awards): unit officers see their own
unit's nominations in full and the others' names only. The secretariat of the year (or an admin)
manages award types, quotas, unit and campaign-entry candidates and the slate
(awards.manage_awards); unit officers nominate people of their own unit (awards.nominate).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clusters.models import ClusterYear, Person, Unit
from clusters.selectors import member_unit_ids, user_scope
from clusters.shortcuts import change_refusal, cluster_year_for
from common.forms import add_errors
from common.views import flash_errors, require
from scorecards.models import CampaignEntry, GradeBand
from scorecards.selectors import ranking

from ..forms.nominations import (
    AwardTypeForm,
    EntryCandidateForm,
    PersonNominationForm,
    QuotaForm,
    SlateForm,
    UnitCandidateForm,
)
from ..models import AwardType, Candidate
from ..selectors import (
    award_types_of,
    candidates_of,
    nomination_page,
    round_of,
    sees_all_nominations,
)
from ..services import nominations as services

VIEW = "awards.view_awards"
MANAGE = "awards.manage_awards"
NOMINATE = "awards.nominate"


def _url(name: str, cluster_year: ClusterYear) -> str:
    return reverse(
        f"awards:{name}", kwargs={"cluster": cluster_year.cluster.uuid, "year": cluster_year.year}
    )


# Award types -----------------------------------------------------------------------------------


@login_required
def award_types(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    return render(
        request,
        "awards/award_type_list.html",
        {
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "award_types": award_types_of(cluster_year.cluster),
            "can_manage": request.user.has_perm(MANAGE, cluster_year),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_type_form(request, cluster, year, pk=None):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    back = _url("award_types", cluster_year)
    if refusal := change_refusal(request, cluster_year, MANAGE, back=back):
        return refusal
    instance = (
        get_object_or_404(AwardType, pk=pk, cluster=cluster_year.cluster) if pk else AwardType()
    )
    grade_names = list(
        GradeBand.objects.filter(cluster=cluster_year.cluster).values_list("name", flat=True)
    )
    form = AwardTypeForm(request.POST or None, instance=instance, grade_names=grade_names)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_award_type(award_type=form.instance, cluster=cluster_year.cluster)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("The award type %(name)s was saved.") % {"name": form.instance.name}
            )
            return redirect(back)
    return render(
        request,
        "awards/award_type_form.html",
        {
            "form": form,
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "award_type": instance if pk else None,
        },
        status=400 if form.errors else 200,
    )


# The nominations page --------------------------------------------------------------------------


def _own_people(user, cluster_year: ClusterYear):
    own = user_scope(user).unit_ids_in_year(cluster_year.year) & member_unit_ids(
        cluster_id=cluster_year.cluster_id, year=cluster_year.year
    )
    return Person.objects.filter(unit_id__in=own).select_related("unit").order_by("full_name")


def _cluster_people(cluster_year: ClusterYear):
    return Person.objects.filter(
        unit_id__in=member_unit_ids(cluster_id=cluster_year.cluster_id, year=cluster_year.year)
    )


def _individual_types(cluster_year):
    return AwardType.objects.filter(cluster=cluster_year.cluster, recipient=AwardType.INDIVIDUAL)


def _unit_types(cluster_year):
    return AwardType.objects.filter(cluster=cluster_year.cluster, recipient=AwardType.UNIT)


def _page(request, cluster_year: ClusterYear, status=200, **forms):
    user = request.user
    can_manage = user.has_perm(MANAGE, cluster_year)
    can_nominate = user.has_perm(NOMINATE, cluster_year)
    page = nomination_page(cluster_year=cluster_year, user=user, with_suggestions=can_manage)
    is_final = page.round is not None and page.round.is_final
    if is_final:  # the forms are gone from the page: say why the input was refused
        texts = list((forms.get("unit_error") or {}).get("messages", []))
        for name in ("quota_form", "nominate_form"):
            if forms.get(name) is not None:
                texts += [e for errors in forms[name].errors.values() for e in errors]
        for text in dict.fromkeys(texts):
            messages.error(request, text)
    context = {
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        "page": page,
        "is_final": is_final,
        "can_manage": can_manage and not is_final,
        "can_nominate": can_nominate and not is_final,
    }
    if context["can_manage"]:
        types = award_types_of(cluster_year.cluster)
        current = {s.award_type.pk: s.quota for s in page.sections}
        context["quota_form"] = forms.get("quota_form") or QuotaForm(
            award_types=types, current=current
        )
        unit_types = [t for t in types if t.recipient == AwardType.UNIT]
        context["unit_types"] = unit_types
        proposed = {(c.award_type_id, c.unit_id) for s in page.sections for c in s.candidates}
        suggestions = []
        error = forms.get("unit_error") or {}
        for row in page.ranking_rows:
            choices = []
            for t in unit_types:
                if (t.pk, row.unit.pk) in proposed:
                    continue
                failed = error.get("unit") == str(row.unit.pk) and error.get("type") == str(t.pk)
                choices.append(
                    {
                        "award_type": t,
                        "warnings": services.check_hints(
                            award_type=t, unit=row.unit, row=row, bands=page.bands
                        ).warnings,
                        "errors": error["messages"] if failed else [],
                        "reason": error.get("reason", "") if failed else "",
                    }
                )
            suggestions.append({"row": row, "choices": choices})
        context["suggestions"] = suggestions
        placed = any(choice["errors"] for s in suggestions for choice in s["choices"])
        context["unit_errors"] = [] if placed else error.get("messages", [])
        context["entry_types"] = types
        entry_done = {
            (c.award_type_id, c.campaign_entry_id) for s in page.sections for c in s.candidates
        }
        context["entries"] = [
            {"entry": e, "types": [t for t in types if (t.pk, e.pk) not in entry_done]}
            for e in page.entries
        ]
    if context["can_nominate"]:
        own_people = list(_own_people(user, cluster_year))
        context["can_nominate"] = bool(own_people) or "nominate_form" in forms
        context["nominate_form"] = forms.get("nominate_form") or PersonNominationForm(
            award_types=_individual_types(cluster_year),
            people=_cluster_people(cluster_year),
            own_people=own_people,
        )
    return render(request, "awards/nominations.html", context, status=status)


@login_required
def nominations(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    return _page(request, cluster_year)


@login_required
@require_POST
def nomination_quotas(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    back = _url("nominations", cluster_year)
    if refusal := change_refusal(request, cluster_year, MANAGE, back=back):
        return refusal
    types = award_types_of(cluster_year.cluster)
    form = QuotaForm(request.POST, award_types=types, current={})
    if form.is_valid():
        try:
            services.set_quotas(cluster_year=cluster_year, quotas=form.quotas())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The quotas were saved."))
            return redirect(back)
    return _page(request, cluster_year, status=400, quota_form=form)


@login_required
@require_POST
def nomination_add_unit(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    back = _url("nominations", cluster_year)
    if refusal := change_refusal(request, cluster_year, MANAGE, back=back):
        return refusal
    form = UnitCandidateForm(request.POST, award_types=_unit_types(cluster_year))
    if form.is_valid():
        unit = get_object_or_404(Unit, pk=form.cleaned_data["unit"])
        table_rows = ranking(cluster_year=cluster_year)
        bands = list(GradeBand.objects.filter(cluster_id=cluster_year.cluster_id))
        try:
            candidate = services.add_unit(
                cluster_year=cluster_year,
                award_type=form.cleaned_data["award_type"],
                unit=unit,
                ranking_rows=table_rows,
                bands=bands,
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(candidate)s was proposed for %(award)s.")
                % {"candidate": unit.short_name, "award": candidate.award_type.name},
            )
            return redirect(back + "#suggestions")
    unit_error = {"unit": request.POST.get("unit"), "type": request.POST.get("award_type")}
    unit_error["messages"] = [e for errors in form.errors.values() for e in errors]
    unit_error["reason"] = request.POST.get("reason", "")
    return _page(request, cluster_year, status=400, unit_error=unit_error)


@login_required
@require_POST
def nomination_add_entry(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    back = _url("nominations", cluster_year)
    if refusal := change_refusal(request, cluster_year, MANAGE, back=back):
        return refusal
    form = EntryCandidateForm(
        request.POST, award_types=AwardType.objects.filter(cluster=cluster_year.cluster)
    )
    if form.is_valid():
        entry = get_object_or_404(
            CampaignEntry.objects.select_related("campaign"), pk=form.cleaned_data["entry"]
        )
        try:
            candidate = services.add_entry(
                cluster_year=cluster_year,
                award_type=form.cleaned_data["award_type"],
                entry=entry,
                user=request.user,
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request,
                _("%(candidate)s was proposed for %(award)s.")
                % {"candidate": entry.title, "award": candidate.award_type.name},
            )
    else:
        messages.error(request, _("Choose an award type."))
    return redirect(back + "#entries")


@login_required
@require_POST
def nomination_nominate(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    back = _url("nominations", cluster_year)
    if refusal := change_refusal(request, cluster_year, NOMINATE, back=back):
        return refusal
    form = PersonNominationForm(
        request.POST,
        request.FILES,
        award_types=_individual_types(cluster_year),
        people=_cluster_people(cluster_year).select_related("unit"),
        own_people=list(_own_people(request.user, cluster_year)),
    )
    if form.is_valid():
        try:
            candidate = services.nominate_person(
                cluster_year=cluster_year,
                award_type=form.cleaned_data["award_type"],
                person=form.cleaned_data["person"],
                achievements=form.cleaned_data["achievements"],
                attachment=form.cleaned_data.get("attachment"),
                user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(candidate)s was proposed for %(award)s.")
                % {"candidate": candidate.person.full_name, "award": candidate.award_type.name},
            )
            return redirect(back + "#nominate")
    return _page(request, cluster_year, status=400, nominate_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def nomination_finalise(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    back = _url("nominations", cluster_year)
    if refusal := change_refusal(request, cluster_year, MANAGE, back=back):
        return refusal
    nomination_round = round_of(cluster_year)
    if nomination_round is None or nomination_round.is_final:
        messages.error(request, _("There is no open nomination round to finalise."))
        return redirect(back)
    candidates = candidates_of(nomination_round)
    form = SlateForm(
        request.POST if request.method == "POST" else None,
        candidates=candidates,
        initial={"on_slate": [c.pk for c in candidates if not c.is_withdrawn]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.finalise_slate(
                nomination_round=nomination_round, on_slate=set(form.cleaned_data["on_slate"])
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The slate is final."))
            for warning in result.over_quota:
                messages.warning(request, warning)
            return redirect(back)
    page = nomination_page(cluster_year=cluster_year, user=request.user, with_suggestions=False)
    return render(
        request,
        "awards/nomination_finalise.html",
        {
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "form": form,
            "page": page,
            "chosen": {int(v) for v in (form["on_slate"].value() or [])},
        },
        status=400 if form.errors else 200,
    )


@login_required
def nomination_attachment(request, candidate):
    candidate = get_object_or_404(
        Candidate.objects.select_related("round__cluster_year__cluster", "person"),
        uuid=candidate,
    )
    cluster_year = candidate.round.cluster_year
    require(request.user, VIEW, cluster_year)
    own = user_scope(request.user).unit_ids_in_year(cluster_year.year)
    unit = candidate.unit_of_candidate
    if not (sees_all_nominations(request.user, cluster_year) or (unit and unit.pk in own)):
        raise PermissionDenied(_("You do not have access to this page."))
    if not candidate.attachment:
        raise Http404
    name = candidate.attachment.name.rsplit("/", 1)[-1]
    return FileResponse(candidate.attachment.open("rb"), as_attachment=True, filename=name)


Y = "clusters/<uuid:cluster>/<int:year>/"
urlpatterns = [
    path(Y + "awards/types/", award_types, name="award_types"),
    path(Y + "awards/types/new/", award_type_form, name="award_type_create"),
    path(Y + "awards/types/<int:pk>/", award_type_form, name="award_type_edit"),
    path(Y + "nominations/", nominations, name="nominations"),
    path(Y + "nominations/quotas/", nomination_quotas, name="nomination_quotas"),
    path(Y + "nominations/units/", nomination_add_unit, name="nomination_add_unit"),
    path(Y + "nominations/entries/", nomination_add_entry, name="nomination_add_entry"),
    path(Y + "nominations/people/", nomination_nominate, name="nomination_nominate"),
    path(Y + "nominations/finalise/", nomination_finalise, name="nomination_finalise"),
    path(
        "nominations/candidates/<uuid:candidate>/attachment/",
        nomination_attachment,
        name="nomination_attachment",
    ),
]
