"""The new-cluster wizard (admins and supervisors): seven screens, one write.

What each step's form received is kept in the session as typed (the draft), so going back
shows it again and a step with an error keeps it; every request checks the steps again in
order, so a change to the units reaches the rotation and the leadership. Only the review screen
writes, through clusters.services_settings.create_cluster, in one transaction."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from common.forms import error_messages
from common.views import require

from .forms_wizard import (
    ClusterStepForm,
    OfficersStepForm,
    RotationStepForm,
    UnitChoices,
    UnitsStepForm,
    YearStepForm,
    role_step_formset,
)
from .models import LeadershipRole
from .services_settings import DEADLINES, ClusterDraft, create_cluster

SESSION_KEY = "cluster_wizard"
STEPS = [
    ("cluster", gettext_lazy("Cluster")),
    ("units", gettext_lazy("Member units")),
    ("roles", gettext_lazy("Leadership roles")),
    ("rotation", gettext_lazy("Rotation order")),
    ("year", gettext_lazy("First year and its leadership")),
    ("officers", gettext_lazy("Officers to invite")),
    ("review", gettext_lazy("Review and create")),
]
STEP_NAMES = [name for name, _label in STEPS]
# The step where a refusal of the service about a field is told.
FIELD_STEPS = {
    "number": "cluster",
    "units": "units",
    "existing_units": "units",
    "roles": "roles",
    "rotation": "rotation",
    "year": "year",
    "leadership": "year",
    "emails": "officers",
    **{name: "year" for name in DEADLINES},
}


@dataclass
class Replay:
    """The steps checked again from the draft: each valid step's form, and the first step that
    is not done (no data yet, or an error)."""

    forms: dict = field(default_factory=dict)
    first_open: str = "cluster"


def _bound(raw: dict | None) -> QueryDict | None:
    if raw is None:
        return None
    data = QueryDict(mutable=True)
    for key, values in raw.items():
        data.setlist(key, values)
    return data


def _form(step: str, data, forms: dict):
    """The form of `step`, bound to `data` (or unbound), built from the earlier steps' forms."""
    if step == "cluster":
        return ClusterStepForm(data)
    if step == "units":
        return UnitsStepForm(data)
    if step == "roles":
        return role_step_formset(data)
    units: UnitChoices = forms["units"].choices()
    if step == "rotation":
        return RotationStepForm(data, units=units.keyed())
    if step == "year":
        labels = dict(units.keyed())
        order = forms["rotation"].order()
        return YearStepForm(
            data,
            roles=forms["roles"].roles(),
            units=[(key, labels[key]) for key in order],
            rotation=order,
            start_year=units.start_year,
        )
    if step == "officers":
        return OfficersStepForm(data, units=units.keyed())
    raise Http404


def _replay(draft: dict) -> Replay:
    replay = Replay()
    for step in STEP_NAMES[:-1]:
        raw = draft.get(step)
        form = _form(step, _bound(raw), replay.forms) if raw is not None else None
        if form is None or not form.is_valid():
            replay.first_open = step
            return replay
        replay.forms[step] = form
    replay.first_open = "review"
    return replay


def _draft_of(forms: dict) -> ClusterDraft:
    cluster = forms["cluster"].cleaned_data
    units: UnitChoices = forms["units"].choices()
    year = forms["year"].cleaned_data
    return ClusterDraft(
        number=cluster["number"],
        name=cluster["name"],
        sector=cluster["sector"],
        supervising_body=cluster["supervising_body"],
        new_units=units.new_units,
        existing_unit_ids=[unit.pk for unit in units.existing],
        start_year=units.start_year,
        roles=forms["roles"].roles(),
        rotation=forms["rotation"].order(),
        year=year["year"],
        deadlines={name: year.get(name) for name in DEADLINES},
        leadership=forms["year"].leadership(),
        emails=forms["officers"].emails(),
        names=forms["officers"].names(),
    )


def _step_url(step: str) -> str:
    return reverse("clusters:cluster_wizard_step", kwargs={"step": step})


@login_required
@require_http_methods(["GET", "POST"])
def wizard(request, step: str | None = None):
    require(request.user, "clusters.create_cluster", None)
    draft: dict = request.session.get(SESSION_KEY, {})
    if step is None:
        if request.method == "POST":  # start again
            request.session.pop(SESSION_KEY, None)
            return redirect(_step_url("cluster"))
        return redirect(_step_url(_replay(draft).first_open))
    if step not in STEP_NAMES:
        raise Http404
    replay = _replay(draft)
    index = STEP_NAMES.index(step)
    if index > STEP_NAMES.index(replay.first_open):
        # A later screen needs the earlier ones done: back to the first one that is not.
        return redirect(_step_url(replay.first_open))
    if step == "review":
        return _review(request, replay)
    if request.method == "POST":
        raw = {k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"}
        form = _form(step, _bound(raw), replay.forms)
        # What was typed is kept even when it is wrong: going back and forth shows it again.
        draft[step] = raw
        request.session[SESSION_KEY] = draft
        if form.is_valid():
            return redirect(_step_url(STEP_NAMES[index + 1]))
    else:
        form = _form(step, _bound(draft.get(step)), replay.forms)
    return render(request, "clusters/wizard/step.html", _context(step, form))


def _context(step: str, form, **extra) -> dict:
    index = STEP_NAMES.index(step)
    return {
        "step": step,
        "form": form,
        "steps": [(name, label, i < index) for i, (name, label) in enumerate(STEPS)],
        "number": index + 1,
        "count": len(STEPS),
        "title": dict(STEPS)[step],
        "back_url": _step_url(STEP_NAMES[index - 1]) if index else None,
        **extra,
    }


def _review(request, replay: Replay):
    forms = replay.forms
    draft = _draft_of(forms)
    problems: list[tuple[str, str]] = []  # (step, message)
    if request.method == "POST":
        try:
            created = create_cluster(
                draft=draft, user=request.user, base_url=request.build_absolute_uri("/")
            )
        except ValidationError as error:
            for key, found in error_messages(error).items():
                problems += [(FIELD_STEPS.get(key or "", "review"), m) for m in found]
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(
                request,
                _("The cluster %(name)s was created with its first year %(year)s.")
                % {"name": created.cluster.name, "year": created.cluster_year.year},
            )
            if created.invitations:
                messages.info(
                    request,
                    _("Invitations sent to: %(list)s.")
                    % {
                        "list": "; ".join(
                            f"{unit.short_name}: {email}" for unit, email in created.invitations
                        )
                    },
                )
            return redirect(created.cluster)
    labels = dict(forms["units"].choices().keyed())
    kinds = dict(LeadershipRole.KINDS)
    return render(
        request,
        "clusters/wizard/review.html",
        _context(
            "review",
            None,
            draft=draft,
            units=forms["units"].choices(),
            roles=[(name, kinds[kind]) for name, kind in draft.roles],
            rotation=[labels[key] for key in draft.rotation],
            leadership=[
                (name, labels.get(key or "", ""))
                for (name, _kind), key in zip(draft.roles, draft.leadership, strict=True)
            ],
            deadlines=[(forms["year"][name].label, draft.deadlines[name]) for name in DEADLINES],
            emails=[
                (labels[key], draft.names.get(key, ""), email)
                for key, email in draft.emails.items()
            ],
            problems=[(_step_url(s), dict(STEPS)[s], m) for s, m in problems],
        ),
    )
