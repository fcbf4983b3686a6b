"""The criteria of a cluster year (bảng tiêu chí): the published version for everyone of the
cluster, and the draft editor, Excel import/export and versions for the secretariat."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from clusters.models import ClusterYear
from clusters.selectors import user_scope
from clusters.shortcuts import change_refusal, cluster_year_for
from common.forms import add_errors
from common.uploads import sha256_hex
from common.views import flash_errors, require

from ..forms.criteria import CriteriaImportForm, CriterionForm, NewVersionForm
from ..models import CriteriaSet, Criterion, Scorecard
from ..services import criteria as services
from ..services.criteria_excel import export_workbook, parse_workbook
from ..totals import maxima

IMPORT_SESSION_KEY = "criteria_import:{pk}"
VIEW = "scorecards.view_criteria"
MANAGE = "scorecards.manage_criteria"


def _criteria_url(cluster_year: ClusterYear, anchor: str = "") -> str:
    url = reverse(
        "scorecards:criteria",
        kwargs={"cluster": cluster_year.cluster.uuid, "year": cluster_year.year},
    )
    return f"{url}#{anchor}" if anchor else url


def _draft_node(cluster_year: ClusterYear, lineage) -> Criterion:
    """A criterion of the year's draft, addressed by its lineage (a UUID, unique in a set)."""
    return get_object_or_404(
        Criterion.objects.select_related("criteria_set", "parent"),
        criteria_set__cluster_year=cluster_year,
        criteria_set__status=CriteriaSet.Status.DRAFT,
        lineage=lineage,
    )


def _tree(nodes: list[Criterion]) -> dict:
    """The rows of a tree for _criteria_tree.html and the maxima of its families."""
    totals = {key: value for key, value in maxima(nodes).items() if value}
    return {"rows": services.flatten(nodes), "totals": totals}


@login_required
def criteria(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    can_manage = request.user.has_perm(MANAGE, cluster_year)
    sets = list(cluster_year.criteria_sets.select_related("published_by").order_by("-version"))
    published = next((s for s in sets if s.status == CriteriaSet.Status.PUBLISHED), None)
    draft = (
        next((s for s in sets if s.status == CriteriaSet.Status.DRAFT), None)
        if can_manage
        else None
    )
    shown = [s for s in (published, draft) if s is not None]
    nodes = list(Criterion.objects.filter(criteria_set__in=shown)) if shown else []
    context = {
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        "can_manage": can_manage,
        "published": published,
        "draft": draft,
        "earlier": [s for s in sets if s.status == CriteriaSet.Status.SUPERSEDED],
        "published_tree": _tree(
            [n for n in nodes if published and n.criteria_set_id == published.pk]
        ),
    }
    if draft is not None:
        context["draft_tree"] = _tree([n for n in nodes if n.criteria_set_id == draft.pk])
        context["problems"] = services.check(criteria_set=draft)
    if can_manage and not sets:
        context["can_copy"] = ClusterYear.objects.filter(
            cluster_id=cluster_year.cluster_id, year=cluster_year.year - 1
        ).exists()
    if published is not None:
        reconfirm = list(
            Scorecard.objects.filter(cluster_year=cluster_year, needs_reconfirm=True)
            .select_related("unit")
            .order_by("unit__short_name")
        )
        if not request.user.has_perm("scorecards.view_all_scorecards", cluster_year):
            mine = user_scope(request.user).unit_ids_in_year(cluster_year.year)
            reconfirm = [s for s in reconfirm if s.unit_id in mine]
        context["reconfirm"] = reconfirm
    return render(request, "scorecards/criteria.html", context)


@login_required
def criteria_version(request, cluster, year, version):
    """One version of the year's criteria, read-only (drafts only for the secretariat)."""
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    criteria_set = get_object_or_404(
        cluster_year.criteria_sets.select_related("published_by"), version=version
    )
    if criteria_set.status == CriteriaSet.Status.DRAFT:
        require(request.user, MANAGE, cluster_year)
    return render(
        request,
        "scorecards/criteria_version.html",
        {
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "criteria_set": criteria_set,
            "tree": _tree(list(criteria_set.criteria.all())),
        },
    )


@login_required
def criteria_export(request, cluster, year, version):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    criteria_set = get_object_or_404(cluster_year.criteria_sets, version=version)
    if criteria_set.status == CriteriaSet.Status.DRAFT:
        require(request.user, MANAGE, cluster_year)
    response = HttpResponse(
        export_workbook(criteria_set=criteria_set),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"bang-tieu-chi-cum-{cluster_year.cluster.number}-{year}-v{version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def criterion_add(request, cluster, year, node=None):
    """Add a group or criterion at the top level, or under the group `node`."""
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    if refusal := change_refusal(request, cluster_year, MANAGE, back=_criteria_url(cluster_year)):
        return refusal
    parent = _draft_node(cluster_year, node) if node else None
    draft = (
        parent.criteria_set
        if parent
        else cluster_year.criteria_sets.filter(status=CriteriaSet.Status.DRAFT).first()
    )
    if draft is None and services.published_for(cluster_year) is not None:
        messages.error(
            request, _("The criteria are published: start a new version to change them.")
        )
        return redirect(_criteria_url(cluster_year))
    if parent is not None and not parent.is_group:
        messages.error(request, _("Criteria can only be added under a group."))
        return redirect(_criteria_url(cluster_year))
    initial = {"kind": Criterion.GROUP if parent is None else Criterion.POINTS}
    form = CriterionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            criterion = services.add_criterion(
                criteria_set=draft or services.draft_for(cluster_year=cluster_year),
                parent=parent,
                **form.service_kwargs(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(number)s was added.") % {"number": criterion.number})
            return redirect(_criteria_url(cluster_year, f"c-{criterion.lineage}"))
    return render(
        request,
        "scorecards/criteria_node_form.html",
        {
            "form": form,
            "cluster_year": cluster_year,
            "parent": parent,
            "criterion": None,
            "cancel_url": _criteria_url(cluster_year, "draft"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request, cluster, year, node):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    if refusal := change_refusal(request, cluster_year, MANAGE, back=_criteria_url(cluster_year)):
        return refusal
    criterion = _draft_node(cluster_year, node)
    form = CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_criterion(criterion=criterion, **form.service_kwargs())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(number)s was saved.") % {"number": criterion.number})
            return redirect(_criteria_url(cluster_year, f"c-{criterion.lineage}"))
    return render(
        request,
        "scorecards/criteria_node_form.html",
        {
            "form": form,
            "cluster_year": cluster_year,
            "parent": criterion.parent,
            "criterion": criterion,
            "cancel_url": _criteria_url(cluster_year, f"c-{criterion.lineage}"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_delete(request, cluster, year, node):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    if refusal := change_refusal(request, cluster_year, MANAGE, back=_criteria_url(cluster_year)):
        return refusal
    criterion = _draft_node(cluster_year, node)
    if request.method == "POST":
        try:
            count = services.delete_criterion(criterion=criterion)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            if count == 1:
                message = _("%(number)s was deleted.")
            else:
                message = _("%(number)s and everything under it were deleted (%(count)s items).")
            messages.success(request, message % {"number": criterion.number, "count": count})
        return redirect(_criteria_url(cluster_year))
    subtree = services.subtree(criterion)
    return render(
        request,
        "scorecards/criteria_node_delete.html",
        {
            "cluster_year": cluster_year,
            "criterion": criterion,
            "tree": _tree(subtree),
        },
    )


@login_required
@require_POST
def criterion_move(request, cluster, year, node, direction):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    if refusal := change_refusal(request, cluster_year, MANAGE, back=_criteria_url(cluster_year)):
        return refusal
    if direction not in ("up", "down"):
        raise Http404
    criterion = _draft_node(cluster_year, node)
    try:
        services.move_criterion(criterion=criterion, direction=direction)
    except ValidationError as error:
        flash_errors(request, error)
    return redirect(_criteria_url(cluster_year, f"c-{criterion.lineage}"))


@login_required
@require_POST
def criteria_publish(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    if refusal := change_refusal(request, cluster_year, MANAGE, back=_criteria_url(cluster_year)):
        return refusal
    draft = get_object_or_404(cluster_year.criteria_sets, status=CriteriaSet.Status.DRAFT)
    try:
        published = services.publish(criteria_set=draft, user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("Version %(version)s of the criteria was published.")
            % {"version": published.version},
        )
    return redirect(_criteria_url(cluster_year))


@login_required
@require_http_methods(["GET", "POST"])
def criteria_new_version(request, cluster, year):
    """Start changing published criteria: a draft copy, with the reason for the change."""
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    if refusal := change_refusal(request, cluster_year, MANAGE, back=_criteria_url(cluster_year)):
        return refusal
    published = get_object_or_404(cluster_year.criteria_sets, status=CriteriaSet.Status.PUBLISHED)
    if cluster_year.criteria_sets.filter(status=CriteriaSet.Status.DRAFT).exists():
        messages.info(request, _("This year already has a draft of its criteria."))
        return redirect(_criteria_url(cluster_year))
    form = NewVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.new_version(
                cluster_year=cluster_year, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(version)s was started as a draft: change it, then publish it.")
                % {"version": draft.version},
            )
            return redirect(_criteria_url(cluster_year, "draft"))
    return render(
        request,
        "scorecards/criteria_new_version.html",
        {"form": form, "cluster_year": cluster_year, "published": published},
    )


@login_required
@require_http_methods(["GET", "POST"])
def criteria_discard(request, cluster, year):
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    if refusal := change_refusal(request, cluster_year, MANAGE, back=_criteria_url(cluster_year)):
        return refusal
    draft = get_object_or_404(cluster_year.criteria_sets, status=CriteriaSet.Status.DRAFT)
    if request.method == "POST":
        services.discard_draft(criteria_set=draft)
        messages.success(request, _("The draft was discarded."))
        return redirect(_criteria_url(cluster_year))
    return render(
        request,
        "scorecards/criteria_discard.html",
        {"cluster_year": cluster_year, "draft": draft, "count": draft.criteria.count()},
    )


@login_required
@require_POST
def criteria_copy(request, cluster, year):
    """Copy last year's criteria of the cluster into a draft for this year, in one action."""
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    if refusal := change_refusal(request, cluster_year, MANAGE, back=_criteria_url(cluster_year)):
        return refusal
    try:
        services.copy_last_year(cluster_year=cluster_year)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("The criteria of %(source)s were copied into a draft for %(year)s.")
            % {"source": cluster_year.year - 1, "year": cluster_year.year},
        )
    return redirect(_criteria_url(cluster_year))


# --- Excel import ----------------------------------------------------------------------------
# Between the preview and the confirmation, the uploaded file's bytes wait in the user's session
# (server side: the database session backend), keyed by their SHA-256, which is all the confirm
# form carries. Nothing the browser sends back is trusted: on confirmation the very same bytes
# are parsed again with the same checks, so what is imported is exactly what was previewed and
# validated, and a stale or tampered token finds nothing. The bytes are small (the import refuses
# files over 2 MB; a real criteria table is a few dozen kilobytes), and one pending import per
# cluster year per session replaces the previous one, so the session cannot grow without bound.


def _needs_reason(cluster_year: ClusterYear) -> bool:
    sets = {s.status for s in cluster_year.criteria_sets.all()}
    return CriteriaSet.Status.DRAFT not in sets and CriteriaSet.Status.PUBLISHED in sets


def _import_context(cluster_year, form, parsed, token=""):
    draft = cluster_year.criteria_sets.filter(status=CriteriaSet.Status.DRAFT).first()
    return {
        "cluster_year": cluster_year,
        "form": form,
        "parsed": parsed,
        "token": token,
        "draft": draft,
        "replaced": draft.criteria.count() if draft else 0,
        "needs_reason": _needs_reason(cluster_year),
    }


@login_required
@require_http_methods(["GET", "POST"])
def criteria_import(request, cluster, year):
    """Upload an .xlsx and see the rows as they will be created, and the bad rows."""
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    if refusal := change_refusal(request, cluster_year, MANAGE, back=_criteria_url(cluster_year)):
        return refusal
    form = CriteriaImportForm(
        request.POST or None, request.FILES or None, needs_reason=_needs_reason(cluster_year)
    )
    parsed, token = None, ""
    if request.method == "POST" and form.is_valid():
        parsed = form.parsed
        if parsed.ok:
            token = sha256_hex(form.data_bytes)
            request.session[IMPORT_SESSION_KEY.format(pk=cluster_year.pk)] = {
                "sha256": token,
                "data": base64.b64encode(form.data_bytes).decode("ascii"),
                "reason": form.cleaned_data.get("reason", ""),
                "name": form.cleaned_data["file"].name[:200],
            }
    return render(
        request,
        "scorecards/criteria_import.html",
        _import_context(cluster_year, form, parsed, token),
    )


@login_required
@require_POST
def criteria_import_confirm(request, cluster, year):
    """Import the previewed file into the draft: all rows or none."""
    cluster_year = cluster_year_for(request.user, cluster, year, VIEW)
    if refusal := change_refusal(request, cluster_year, MANAGE, back=_criteria_url(cluster_year)):
        return refusal
    key = IMPORT_SESSION_KEY.format(pk=cluster_year.pk)
    pending = request.session.get(key)
    if not pending or pending.get("sha256") != request.POST.get("token", ""):
        messages.error(request, _("The preview is out of date: upload the file again."))
        return redirect("scorecards:criteria_import", cluster=cluster, year=year)
    data = base64.b64decode(pending["data"])
    try:
        parsed = parse_workbook(data)
        if not parsed.ok:
            raise ValidationError(_("The file has bad rows: nothing was imported."))
        draft = services.import_tree(
            cluster_year=cluster_year, rows=parsed.new_criteria(), reason=pending["reason"]
        )
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("scorecards:criteria_import", cluster=cluster, year=year)
    del request.session[key]
    count = len(parsed.rows)
    messages.success(
        request,
        ngettext(
            "%(count)s row was imported into the draft (version %(version)s).",
            "%(count)s rows were imported into the draft (version %(version)s).",
            count,
        )
        % {"count": count, "version": draft.version},
    )
    return redirect(_criteria_url(cluster_year, "draft"))


base = "clusters/<uuid:cluster>/<int:year>/criteria/"
urlpatterns = [
    path(base, criteria, name="criteria"),
    path(f"{base}v<int:version>/", criteria_version, name="criteria_version"),
    path(f"{base}v<int:version>/export/", criteria_export, name="criteria_export"),
    path(f"{base}draft/add/", criterion_add, name="criterion_add"),
    path(f"{base}draft/<uuid:node>/add/", criterion_add, name="criterion_add_under"),
    path(f"{base}draft/<uuid:node>/edit/", criterion_edit, name="criterion_edit"),
    path(f"{base}draft/<uuid:node>/delete/", criterion_delete, name="criterion_delete"),
    path(f"{base}draft/<uuid:node>/move/<str:direction>/", criterion_move, name="criterion_move"),
    path(f"{base}draft/discard/", criteria_discard, name="criteria_discard"),
    path(f"{base}publish/", criteria_publish, name="criteria_publish"),
    path(f"{base}new-version/", criteria_new_version, name="criteria_new_version"),
    path(f"{base}copy-last-year/", criteria_copy, name="criteria_copy"),
    path(f"{base}import/", criteria_import, name="criteria_import"),
    path(f"{base}import/confirm/", criteria_import_confirm, name="criteria_import_confirm"),
]
