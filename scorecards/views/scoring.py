"""Self-scoring by unit officers (tự chấm điểm): the scorecard page, row-by-row saving with
conflict detection, evidence, submission, and the secretariat's list and "return to the unit".

Each criterion row is its own small form. With JavaScript (htmx) a row saves on change and the
answer replaces the row and, out of band, the totals; without it the same forms post normally
and come back to the page. Either way nothing typed is lost: an error or a conflict re-renders
the row with what the officer typed.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clusters.models import Unit
from clusters.selectors import member_unit_ids, members_in_year, user_scope, vietnamese_key
from clusters.shortcuts import cluster_year_for
from common.formatting import plain, time_and_date
from common.forms import add_errors, error_messages
from common.views import flash_errors, get_object_for, require

from ..forms.scoring import EvidenceForm, ReturnForm, ScoreForm
from ..models import Criterion, Evidence, Score, Scorecard
from ..rules import officer_of_scorecard_unit
from ..selectors import criteria_of, sheet_of
from ..services import scoring
from ..totals import Sheet, children_map, maxima

# ---------------------------------------------------------------------------------------------
# Reading a scorecard with its tree (a fixed number of queries whatever the number of criteria)


def _scorecard(user, uuid, perm: str) -> Scorecard:
    """The scorecard, for a user who has `perm` on it: 404 when missing, else 403 when refused."""
    scorecards = Scorecard.objects.select_related(
        "cluster_year__cluster", "unit", "criteria_set", "submitted_by__person"
    )
    return get_object_for(user, perm, scorecards, uuid=uuid)


@dataclass
class Tree:
    criteria: list[Criterion]
    scores: dict[int, Score]  # criterion id -> score (current criteria version only)
    children: dict[int | None, list[Criterion]]
    labels: dict[int, str]  # criterion id -> "I.1.a"
    depths: dict[int, int]
    order: list[Criterion]  # depth first

    def score(self, score_id: int) -> Score | None:
        return next((s for s in self.scores.values() if s.pk == score_id), None)


def _tree(scorecard: Scorecard) -> Tree:
    criteria = criteria_of(scorecard.criteria_set)
    by_id = {c.pk: c for c in criteria}
    scores = (
        scorecard.scores.filter(criterion__criteria_set_id=scorecard.criteria_set_id)
        .select_related("reviewed_by__person")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at")))
    )
    by_criterion = {}
    for score in scores:
        score.criterion = by_id[score.criterion_id]
        score.scorecard = scorecard
        by_criterion[score.criterion_id] = score
    children = children_map(criteria)
    labels, depths, order = {}, {}, []

    def walk(parent_id, prefix, depth):
        for node in children.get(parent_id, []):
            labels[node.pk] = f"{prefix}.{node.number}" if prefix else node.number
            depths[node.pk] = depth
            order.append(node)
            walk(node.pk, labels[node.pk], depth + 1)

    walk(None, "", 0)
    return Tree(criteria, by_criterion, children, labels, depths, order)


@dataclass
class Totals:
    """What the totals block shows, in one score layer."""

    sheet: Sheet
    base_max: Decimal
    bonus_max: Decimal
    deductions_max: Decimal

    @property
    def base(self):
        return plain(self.sheet.base)

    @property
    def bonus(self):
        return plain(self.sheet.bonus)

    @property
    def deductions(self):
        return plain(self.sheet.deductions)

    @property
    def total(self):
        return plain(self.sheet.total)

    @property
    def missing(self) -> int:
        return self.sheet.missing


def _totals(tree: Tree, layer: str, typed: dict[int, Decimal | None] | None = None) -> Totals:
    """The totals of a score layer; `typed` (criterion id -> value) stands in for saved values."""
    family = maxima(tree.criteria)
    return Totals(
        sheet_of(tree.criteria, tree.scores, layer, typed),
        plain(family["base"]),
        plain(family["bonus"]),
        plain(family["deduction"]),
    )


def _typed(query, tree: Tree) -> dict[int, Decimal | None]:
    """The self scores typed on the page and not saved yet, sent as `c<criterion id>=<text>`,
    read as a save reads them (criterion id -> value; empty: not scored). A value a save would
    refuse is left out, so the saved value counts."""
    typed: dict[int, Decimal | None] = {}
    for key, text in query.items():
        score = tree.scores.get(int(key[1:])) if key[:1] == "c" and key[1:].isdigit() else None
        if score is None:
            continue
        form = ScoreForm({"self_score": text, "revision": score.revision}, score=score)
        if not form.is_valid():
            continue
        try:
            scoring.check_value(score.criterion, form.cleaned_data["self_score"], "self_score")
        except ValidationError:
            continue
        typed[score.criterion_id] = form.cleaned_data["self_score"]
    return typed


def _totals_context(tree: Tree, typed: dict[int, Decimal | None] | None = None) -> dict:
    """The totals block and every group subtotal, as the page and its out-of-band updates show
    them (`final_totals`: the figures after review, once there is a review)."""
    totals = _totals(tree, "self", typed)
    return {
        "totals": totals,
        "final_totals": _totals(tree, "effective") if _show_review(tree) else None,
        "groups": [
            GroupRow(
                c,
                tree.labels[c.pk],
                tree.depths[c.pk],
                plain(totals.sheet.nodes.get(c.pk, Decimal(0))),
            )
            for c in tree.order
            if c.is_group
        ],
    }


# ---------------------------------------------------------------------------------------------
# Rows


@dataclass
class RowState:
    """What a request adds to a row: the officer's typed values, errors, a conflict."""

    form: ScoreForm | None = None
    evidence_form: EvidenceForm | None = None
    errors: list[str] = field(default_factory=list)
    conflict: dict | None = None
    saved: bool = False


@dataclass
class Row:
    score: Score
    criterion: Criterion
    label: str
    depth: int
    form: ScoreForm
    evidence_form: EvidenceForm
    editable: bool
    show_review: bool
    errors: list[str]
    conflict: dict | None
    saved: bool

    is_group = False

    @property
    def self_score(self):
        return plain(self.score.self_score)

    @property
    def reviewed_score(self):
        return plain(self.score.reviewed_score)

    @property
    def final_score(self):
        return plain(self.score.final_score)

    @property
    def max_points(self):
        return plain(self.criterion.max_points)

    @property
    def indent(self) -> str:
        return INDENTS[min(self.depth, len(INDENTS) - 1)]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.form.errors or self.evidence_form.errors or self.conflict)


@dataclass
class GroupRow:
    criterion: Criterion
    label: str
    depth: int
    subtotal: Decimal

    is_group = True

    @property
    def max_points(self):
        return plain(self.criterion.max_points)

    @property
    def indent(self) -> str:
        return INDENTS[min(self.depth, len(INDENTS) - 1)]


# Nested levels step in on wide screens only: phones keep the full width.
INDENTS = ["", "ms-lg-3", "ms-lg-4", "ms-lg-5"]


def _show_review(tree: Tree) -> bool:
    return any(
        s.reviewed_score is not None or s.final_score is not None for s in tree.scores.values()
    )


def _row(tree: Tree, score: Score, *, editable: bool, show_review: bool, state=None) -> Row:
    state = state or RowState()
    criterion = tree.scores[score.criterion_id].criterion
    fresh = tree.scores[score.criterion_id]
    return Row(
        score=fresh,
        criterion=criterion,
        label=tree.labels[criterion.pk],
        depth=tree.depths[criterion.pk],
        form=state.form or ScoreForm(score=fresh),
        evidence_form=state.evidence_form or EvidenceForm(score=fresh),
        editable=editable,
        show_review=show_review,
        errors=state.errors,
        conflict=state.conflict,
        saved=state.saved,
    )


def _can_edit(user, scorecard: Scorecard) -> bool:
    return (
        user.has_perm("scorecards.edit_scorecard", scorecard)
        and scoring.read_only_reason(scorecard) is None
    )


def _edit_refusal(request, scorecard: Scorecard) -> str | None:
    """None when the user may change the scorecard. The unit's own officers are told why it is
    read-only (submitted, past the deadline, year closed); anyone else is refused outright."""
    if _can_edit(request.user, scorecard):
        return None
    if not officer_of_scorecard_unit(request.user, scorecard):
        raise PermissionDenied(_("You do not have access to this page."))
    return scoring.read_only_reason(scorecard) or _("You cannot change this scorecard.")


def _score(scorecard: Scorecard, score_id: int) -> Score:
    return get_object_or_404(
        Score.objects.select_related("criterion"),
        pk=score_id,
        scorecard=scorecard,
        criterion__criteria_set_id=scorecard.criteria_set_id,
    )


def _page_context(request, scorecard: Scorecard, *, states=None, submit_errors=None) -> dict:
    """Everything the scorecard page shows. `states` carries a row's typed values and errors
    (score id -> RowState); `submit_errors` the problems found on submission."""
    states = states or {}
    submit_errors = submit_errors or {}
    tree = _tree(scorecard)
    editable = _can_edit(request.user, scorecard)
    show_review = _show_review(tree)
    totals = _totals_context(tree)
    groups = iter(totals["groups"])  # in the order of the tree
    items: list[Row | GroupRow] = []
    problems = []
    for criterion in tree.order:
        if criterion.is_group:
            items.append(next(groups))
            continue
        score = tree.scores.get(criterion.pk)
        if score is None:
            continue  # a leaf added by a newer version is scored once the scorecard moves
        state = states.get(score.pk) or RowState()
        for message in submit_errors.get(score.pk, []):
            state.errors.append(message)
            problems.append((tree.labels[criterion.pk], criterion, score, message))
        items.append(_row(tree, score, editable=editable, show_review=show_review, state=state))
    cluster_year = scorecard.cluster_year
    user = request.user
    return {
        "scorecard": scorecard,
        "cluster_year": cluster_year,
        "cluster": cluster_year.cluster,
        "unit": scorecard.unit,
        "criteria_set": scorecard.criteria_set,
        "items": items,
        **totals,
        "show_review": show_review,
        "editable": editable,
        "read_only_reason": scoring.read_only_reason(scorecard),
        "is_unit_officer": officer_of_scorecard_unit(user, scorecard),
        "deadline_passed": scoring.deadline_passed(cluster_year),
        "problems": problems,
        "general_problems": submit_errors.get(None, []),
        "can_review": user.has_perm("scorecards.review_scorecard", scorecard),
        "can_respond": user.has_perm("scorecards.respond_to_review", scorecard)
        and not scorecard.is_final,
        "can_list": user.has_perm("scorecards.view_all_scorecards", cluster_year),
    }


def _render_page(request, scorecard, **kwargs):
    return render(request, "scorecards/scorecard.html", _page_context(request, scorecard, **kwargs))


def _row_response(request, scorecard: Scorecard, score: Score, state: RowState, message: str):
    """htmx: the row, and the totals and group subtotals out of band. Without JavaScript: back
    to the page with a message, or the page with the row's typed values and errors."""
    has_problem = bool(
        state.errors
        or state.conflict
        or (state.form is not None and state.form.errors)
        or (state.evidence_form is not None and state.evidence_form.errors)
    )
    if not request.htmx:
        if not has_problem:
            messages.success(request, message)
            return redirect(f"{scorecard.get_absolute_url()}#score-{score.pk}")
        return _render_page(request, scorecard, states={score.pk: state})
    tree = _tree(scorecard)
    editable = _can_edit(request.user, scorecard)
    row = _row(tree, score, editable=editable, show_review=_show_review(tree), state=state)
    return render(
        request,
        "scorecards/_score_row_response.html",
        {"scorecard": scorecard, "row": row, "editable": editable, **_totals_context(tree)},
    )


# ---------------------------------------------------------------------------------------------
# Views


@login_required
def my_scorecard(request, cluster, year):
    """Open the officer's own unit's scorecard for the year (a choice when they act for several
    member units)."""
    cluster_year = cluster_year_for(request.user, cluster, year, "scorecards.take_part")
    unit_ids = user_scope(request.user).unit_ids_in_year(year) & member_unit_ids(
        cluster_id=cluster_year.cluster_id, year=year
    )
    units = sorted(Unit.objects.filter(pk__in=unit_ids), key=lambda u: vietnamese_key(u.name))
    chosen = request.GET.get("unit")
    if chosen:
        unit = next((u for u in units if str(u.uuid) == chosen), None)
        if unit is None:
            raise Http404
    elif len(units) == 1:
        unit = units[0]
    else:
        return render(
            request,
            "scorecards/scorecard_choose.html",
            {"cluster_year": cluster_year, "cluster": cluster_year.cluster, "units": units},
        )
    try:
        scorecard = scoring.open_scorecard(cluster_year=cluster_year, unit=unit)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect(cluster_year)
    return redirect(scorecard)


@login_required
def scorecard_list(request, cluster, year):
    """Every member unit's scorecard status, for the secretariat, supervisors and admins."""
    cluster_year = cluster_year_for(request.user, cluster, year, "scorecards.view_all_scorecards")
    cards = {
        card.unit_id: card
        for card in Scorecard.objects.filter(cluster_year=cluster_year).select_related(
            "criteria_set", "submitted_by__person"
        )
    }
    rows = []
    for unit in members_in_year(cluster=cluster_year.cluster, year=year):
        card = cards.get(unit.pk)
        can_return = False
        if card is not None:
            card.cluster_year = cluster_year  # shares the cached leader between the checks
            card.unit = unit
            can_return = card.is_under_review and request.user.has_perm(
                "scorecards.review_scorecard", card
            )
        rows.append({"unit": unit, "scorecard": card, "can_return": can_return})
    submitted = sum(1 for r in rows if r["scorecard"] and r["scorecard"].is_handed_in)
    return render(
        request,
        "scorecards/scorecard_list.html",
        {
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "rows": rows,
            "submitted": submitted,
            "deadline_passed": scoring.deadline_passed(cluster_year),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scorecard_return(request, scorecard):
    """The secretariat (or, for the leader's own scorecard, the standing deputy) sends a
    submitted scorecard back to the unit with a reason."""
    scorecard = _scorecard(request.user, scorecard, "scorecards.review_scorecard")
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scoring.return_to_unit(
                scorecard=scorecard, reason=form.cleaned_data["reason"], user=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("The scorecard of %(unit)s was returned to the unit.")
                % {"unit": scorecard.unit.short_name},
            )
            return redirect(
                "scorecards:scorecard_list",
                cluster=scorecard.cluster_year.cluster.uuid,
                year=scorecard.cluster_year.year,
            )
    return render(
        request,
        "scorecards/scorecard_return.html",
        {
            "scorecard": scorecard,
            "cluster_year": scorecard.cluster_year,
            "cluster": scorecard.cluster_year.cluster,
            "form": form,
        },
    )


@login_required
def scorecard_detail(request, scorecard):
    scorecard = _scorecard(request.user, scorecard, "scorecards.view_scorecard")
    return _render_page(request, scorecard)


@login_required
@require_http_methods(["GET", "POST"])
def score_save(request, scorecard, score_id):
    """Save one criterion's score and explanation. GET gives the row as saved (to take the
    other officer's values after a conflict)."""
    scorecard = _scorecard(request.user, scorecard, "scorecards.view_scorecard")
    score = _score(scorecard, score_id)
    if request.method == "GET":
        if not request.htmx:
            return redirect(f"{scorecard.get_absolute_url()}#score-{score.pk}")
        return _row_response(request, scorecard, score, RowState(), "")
    refusal = _edit_refusal(request, scorecard)
    form = ScoreForm(request.POST, score=score)
    state = RowState(form=form)
    if refusal:
        state.errors.append(refusal)
    elif form.is_valid():
        revision = form.cleaned_data["revision"]
        overwrite = request.POST.get("overwrite", "")
        if overwrite.isdigit():  # "keep mine" after a conflict: over the revision they saw
            revision = int(overwrite)
        try:
            scoring.save_score(
                score=score,
                self_score=form.cleaned_data["self_score"],
                explanation=form.cleaned_data["explanation"],
                revision=revision,
                user=request.user,
            )
        except scoring.ConflictError as conflict:
            state.conflict = _conflict(conflict.score)
        except ValidationError as error:
            add_errors(form, error, others=state.errors)
        else:
            state = RowState(saved=True)
    return _row_response(
        request,
        scorecard,
        score,
        state,
        _("Criterion %(number)s was saved.") % {"number": _label(score.criterion)},
    )


@login_required
@require_GET
def scorecard_totals(request, scorecard):
    """htmx: the totals and group subtotals counting what the officer has typed and not saved
    (`c<criterion id>=<text>`), so they follow the typing; scorecard.js asks as they type."""
    scorecard = _scorecard(request.user, scorecard, "scorecards.view_scorecard")
    if not request.htmx:
        return redirect(scorecard)
    tree = _tree(scorecard)
    return render(
        request,
        "scorecards/_score_totals_update.html",
        {"scorecard": scorecard, **_totals_context(tree, _typed(request.GET, tree))},
    )


def _label(criterion: Criterion) -> str:
    """The criterion's full number, e.g. "I.1" (a few queries: only for the page without JS)."""
    parts, node = [], criterion
    while node is not None:
        parts.append(node.number)
        node = node.parent
    return ".".join(reversed(parts))


def _conflict(current: Score) -> dict:
    who, when = scoring.last_change(current)
    return {
        "self_score": plain(current.self_score),
        "explanation": current.explanation,
        "revision": current.revision,
        "who": who,
        "when": when,
    }


@login_required
@require_POST
def evidence_add(request, scorecard, score_id):
    """Attach a file, checked by content and size; errors appear in the row."""
    scorecard = _scorecard(request.user, scorecard, "scorecards.view_scorecard")
    score = _score(scorecard, score_id)
    refusal = _edit_refusal(request, scorecard)
    form = EvidenceForm(request.POST, request.FILES, score=score)
    state = RowState(evidence_form=form)
    if refusal:
        state.errors.append(refusal)
    elif form.is_valid():
        try:
            evidence = scoring.add_evidence(
                score=score, uploaded=form.cleaned_data["file"], user=request.user
            )
        except ValidationError as error:
            add_errors(form, error, others=state.errors)
        else:
            state = RowState()
            return _row_response(
                request,
                scorecard,
                score,
                state,
                _("%(name)s was added.") % {"name": evidence.original_name},
            )
    return _row_response(request, scorecard, score, state, "")


def _evidence(uuid) -> Evidence:
    return get_object_or_404(
        Evidence.objects.select_related(
            "score__criterion",
            "score__scorecard__cluster_year__cluster",
            "score__scorecard__unit",
            "score__scorecard__criteria_set",
        ),
        uuid=uuid,
    )


@login_required
@require_POST
def evidence_remove(request, evidence):
    evidence = _evidence(evidence)
    score = evidence.score
    scorecard = score.scorecard
    require(request.user, "scorecards.view_scorecard", scorecard)
    refusal = _edit_refusal(request, scorecard)
    state = RowState()
    if refusal:
        state.errors.append(refusal)
    else:
        try:
            scoring.remove_evidence(evidence=evidence, user=request.user)
        except ValidationError as error:
            state.errors.extend(error.messages)
    return _row_response(
        request,
        scorecard,
        score,
        state,
        _("%(name)s was removed.") % {"name": evidence.original_name},
    )


@login_required
def evidence_download(request, evidence):
    """The file itself, to those who may see the scorecard (never a public media URL)."""
    evidence = _evidence(evidence)
    require(request.user, "scorecards.view_scorecard", evidence.score.scorecard)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name)


@login_required
@require_http_methods(["GET", "POST"])
def scorecard_submit(request, scorecard):
    """Confirm, then submit: problems are listed at the top and shown in their rows."""
    scorecard = _scorecard(request.user, scorecard, "scorecards.view_scorecard")
    refusal = _edit_refusal(request, scorecard)
    late_only = (
        not scorecard.cluster_year.is_closed
        and scorecard.is_editable_by_unit
        and scoring.deadline_passed(scorecard.cluster_year)
    )
    # A late submission goes to the service, which says which deadline passed.
    if refusal and not (request.method == "POST" and late_only):
        messages.error(request, refusal)
        return redirect(scorecard)
    if request.method == "GET":
        context = _page_context(request, scorecard)
        return render(request, "scorecards/scorecard_submit.html", context)
    try:
        scoring.submit(scorecard=scorecard, user=request.user)
    except ValidationError as error:
        problems: dict[int | None, list[str]] = {}
        for key, key_errors in error_messages(error).items():
            on_score = key is not None and key.startswith("score_")
            score_id = int(key.removeprefix("score_")) if on_score else None
            problems.setdefault(score_id, []).extend(key_errors)
        return _render_page(request, scorecard, submit_errors=problems)
    messages.success(
        request,
        _("The scorecard was submitted at %(time)s.") % {"time": time_and_date(timezone.now())},
    )
    return redirect(scorecard)


urlpatterns = [
    path("clusters/<uuid:cluster>/<int:year>/my-scorecard/", my_scorecard, name="my_scorecard"),
    path("clusters/<uuid:cluster>/<int:year>/scorecards/", scorecard_list, name="scorecard_list"),
    path("scorecards/<uuid:scorecard>/", scorecard_detail, name="scorecard"),
    path("scorecards/<uuid:scorecard>/totals/", scorecard_totals, name="scorecard_totals"),
    path("scorecards/<uuid:scorecard>/submit/", scorecard_submit, name="scorecard_submit"),
    path("scorecards/<uuid:scorecard>/return/", scorecard_return, name="scorecard_return"),
    path("scorecards/<uuid:scorecard>/scores/<int:score_id>/", score_save, name="score_save"),
    path(
        "scorecards/<uuid:scorecard>/scores/<int:score_id>/evidence/",
        evidence_add,
        name="evidence_add",
    ),
    path("scorecards/evidence/<uuid:evidence>/", evidence_download, name="evidence_download"),
    path("scorecards/evidence/<uuid:evidence>/remove/", evidence_remove, name="evidence_remove"),
]
