"""The cluster settings area (Thiết lập cụm): an overview of every group of settings, and the
pages of clusters' own groups (roles, rotation order, rotation rule). The apps above add their
groups through CLUSTER_SETTINGS_SECTIONS (templates included in the overview) and their own
pages, which ask the same permissions (clusters.shortcuts.cluster_for_settings)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.forms import add_errors, add_formset_errors

from .forms_settings import RotationForm, RotationRuleForm, role_formset
from .models import LeadershipAssignment, Unit
from .selectors import members_in_year, settings_year, vietnamese_key
from .services_settings import save_roles, save_rotation, save_rotation_rule
from .shortcuts import cluster_for_settings


def _index_url(cluster) -> str:
    return reverse("clusters:settings", kwargs={"cluster": cluster.uuid})


@login_required
def settings_index(request, cluster):
    """Every group of the cluster's settings with its values; links to change them for who may."""
    cluster = cluster_for_settings(request.user, cluster, change=False)
    return render(
        request,
        "clusters/settings/index.html",
        {
            "cluster": cluster,
            "open_year": settings_year(cluster),
            "roles": list(cluster.roles.order_by("rank")),
            "rotation": list(cluster.rotation.select_related("unit").order_by("position")),
            "can_change": request.user.has_perm("clusters.change_cluster_settings", cluster),
            "sections": settings.CLUSTER_SETTINGS_SECTIONS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_roles(request, cluster):
    cluster = cluster_for_settings(request.user, cluster, change=True)
    formset = role_formset(request.POST or None, cluster=cluster)
    problems: list[str] = []
    if request.method == "POST" and formset.is_valid():
        try:
            save_roles(cluster=cluster, rows=formset.rows(), user=request.user)
        except ValidationError as error:
            add_formset_errors(formset, error, others=problems)
        else:
            messages.success(request, _("The leadership roles were saved."))
            return redirect(_index_url(cluster))
    held = set(
        LeadershipAssignment.objects.filter(role__cluster=cluster).values_list("role_id", flat=True)
    )
    return render(
        request,
        "clusters/settings/roles.html",
        {
            "cluster": cluster,
            "formset": formset,
            "problems": problems + list(formset.non_form_errors()),
            "held": held,
        },
    )


def _rotation_units(cluster) -> tuple[list[Unit], dict[int, int]]:
    """The units of the rotation page: those in the rotation, then the open year's members not
    in it (in Vietnamese order); and each unit's position."""
    slots = list(cluster.rotation.select_related("unit").order_by("position"))
    positions = {slot.unit_id: slot.position for slot in slots}
    units = [slot.unit for slot in slots]
    year = settings_year(cluster)
    if year is not None:
        missing = [
            u for u in members_in_year(cluster=cluster, year=year.year) if u.pk not in positions
        ]
        units += sorted(missing, key=lambda unit: vietnamese_key(unit.short_name))
    return units, positions


def _moved(units: list[Unit], positions: dict[int, int], move: str) -> list[Unit] | None:
    """The rotation with one unit moved a place up or down ("<unit id>:up" or ":down"); None
    when the move names no unit of the rotation or goes past an end."""
    unit_id, _sep, direction = move.partition(":")
    order = [unit for unit in units if unit.pk in positions]
    index = next((i for i, unit in enumerate(order) if str(unit.pk) == unit_id), None)
    if index is None or direction not in ("up", "down"):
        return None
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(order):
        return None
    order[index], order[other] = order[other], order[index]
    return order


@login_required
@require_http_methods(["GET", "POST"])
def settings_rotation(request, cluster):
    cluster = cluster_for_settings(request.user, cluster, change=True)
    units, positions = _rotation_units(cluster)
    if "move" in request.POST:
        # The arrows move a unit of the saved rotation one place and save at once.
        order = _moved(units, positions, request.POST["move"])
        if order is not None:
            save_rotation(cluster=cluster, order=order, user=request.user)
            messages.success(request, _("The rotation order was saved."))
        return redirect(reverse("clusters:settings_rotation", kwargs={"cluster": cluster.uuid}))
    form = RotationForm(request.POST or None, units=units, positions=positions)
    if request.method == "POST" and form.is_valid():
        try:
            save_rotation(cluster=cluster, order=form.order(), user=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The rotation order was saved."))
            return redirect(_index_url(cluster))
    return render(request, "clusters/settings/rotation.html", {"cluster": cluster, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def settings_rotation_rule(request, cluster):
    cluster = cluster_for_settings(request.user, cluster, change=True)
    form = RotationRuleForm(
        request.POST or None, initial={"recent_leader_years": cluster.recent_leader_years}
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_rotation_rule(
                cluster=cluster,
                recent_leader_years=form.cleaned_data["recent_leader_years"],
                user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The rotation rule was saved."))
            return redirect(_index_url(cluster))
    return render(
        request,
        "clusters/settings/form.html",
        {"cluster": cluster, "form": form, "title": _("Rotation rule")},
    )
