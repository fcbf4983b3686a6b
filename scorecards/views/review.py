"""Review of a scorecard (thẩm định): accept or adjust each score with a reason, the unit's one
answer, the final score and finalisation, and each criterion's history of changes.

The three layers (self, reviewed, final) are shown side by side; an action on one criterion
updates its row in place (htmx) together with the group subtotals and the totals.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from clusters.selectors import leader_unit_id
from clusters.shortcuts import change_refusal, cluster_year_for
from common.formatting import plain
from common.forms import add_errors
from common.views import flash_errors, get_object_for

from ..forms.review import AdjustForm, FinalForm, RespondForm
from ..models import Criterion, Evidence, Score, Scorecard
from ..selectors import LAYERS, criteria_of, sheet_of
from ..services import review as review_services
from ..totals import Sheet

LAYER_LABELS = {
    "self_score": gettext_lazy("Self score"),
    "reviewed_score": gettext_lazy("Reviewed score"),
    "final_score": gettext_lazy("Final score"),
}


def _url_or_none(name: str, **kwargs) -> str | None:
    # Pages of other parts of the app (the unit's scorecard, evidence downloads) may not be
    # wired yet; the review page must not break because of them.
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _scorecard(user, uuid, perm: str) -> Scorecard:
    """The scorecard, for a user who has `perm` on it: 404 when missing, else 403 when refused."""
    scorecards = Scorecard.objects.select_related("cluster_year__cluster", "unit", "criteria_set")
    return get_object_for(user, perm, scorecards, uuid=uuid)


def _score(scorecard: Scorecard, score_id: int) -> Score:
    score = get_object_or_404(
        Score.objects.select_related("criterion"), scorecard=scorecard, pk=score_id
    )
    score.scorecard = scorecard
    return score


def _review_url(scorecard: Scorecard, score: Score | None = None) -> str:
    url = reverse("scorecards:review", kwargs={"scorecard": scorecard.uuid})
    return f"{url}#score-{score.pk}" if score else url


# ---------------------------------------------------------------------------------------------
# Reading the sheet


def review_scores(scorecard: Scorecard) -> dict[int, Score]:
    """The scorecard's scores by criterion id, with evidence and reviewers: two queries."""
    scores = scorecard.scores.select_related("reviewed_by__person").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at"))
    )
    return {score.criterion_id: score for score in scores}


@dataclass
class Row:
    criterion: Criterion
    indent: str
    max_points: Decimal
    score: Score | None = None  # None for a group
    values: dict[str, Decimal | None] = field(default_factory=dict)  # layer -> value
    evidence: list[tuple[str, str | None]] = field(default_factory=list)
    adjust_form: AdjustForm | None = None
    final_form: FinalForm | None = None
    open_adjust: bool = False
    open_final: bool = False
    error: str = ""

    @property
    def pk(self):
        return self.score.pk if self.score else self.criterion.pk


@dataclass
class Review:
    scorecard: Scorecard
    rows: list[Row]
    sheets: dict[str, Sheet]
    remaining: int
    can_review: bool
    can_decide: bool

    def row(self, score_id: int) -> Row:
        return next(r for r in self.rows if r.score and r.score.pk == score_id)

    @property
    def groups(self) -> list[Row]:
        return [r for r in self.rows if r.score is None]

    @property
    def totals(self) -> list[dict]:
        labels = {
            "self": _("Self score"),
            "reviewed": _("Reviewed score"),
            "effective": _("Final score"),
        }
        return [
            {
                "label": labels[layer],
                "base": plain(sheet.base),
                "bonus": plain(sheet.bonus),
                "deductions": plain(sheet.deductions),
                "total": plain(sheet.total),
                "missing": sheet.missing,
            }
            for layer, sheet in ((layer, self.sheets[layer]) for layer in LAYERS)
        ]


INDENTS = ["", "ps-3", "ps-4", "ps-5"]


def build_review(
    scorecard: Scorecard, bound: dict[int, object] | None = None, error: tuple | None = None
) -> Review:
    """Rows of the tree with each layer's value and subtotals; `bound` holds forms with errors."""
    bound = bound or {}
    criteria = criteria_of(scorecard.criteria_set)
    scores = review_scores(scorecard)
    sheets = {layer: sheet_of(criteria, scores, layer) for layer in LAYERS}
    depth: dict[int, int] = {}
    can_review = scorecard.is_under_review
    can_decide = scorecard.is_reviewed
    rows = []
    for criterion in criteria:
        depth[criterion.pk] = depth.get(criterion.parent_id, -1) + 1 if criterion.parent_id else 0
        indent = INDENTS[min(depth[criterion.pk], len(INDENTS) - 1)]
        if criterion.is_group:
            rows.append(
                Row(
                    criterion=criterion,
                    indent=indent,
                    max_points=plain(criterion.max_points),
                    values={
                        layer: plain(sheets[layer].nodes.get(criterion.pk)) for layer in LAYERS
                    },
                )
            )
            continue
        score = scores.get(criterion.pk)
        if score is None:  # a criterion added after the scorecard was opened
            continue
        row = Row(
            criterion=criterion,
            indent=indent,
            max_points=plain(criterion.max_points),
            score=score,
            values={
                "self": plain(score.self_score),
                "reviewed": plain(score.reviewed_score),
                "final": plain(score.final_score),
            },
            evidence=[
                (
                    evidence.original_name,
                    _url_or_none("scorecards:evidence_download", evidence=evidence.uuid),
                )
                for evidence in score.evidence.all()
            ],
        )
        if can_review:
            form = bound.get(("adjust", score.pk))
            row.open_adjust = form is not None
            row.adjust_form = form or AdjustForm(
                score=score,
                initial={"reviewed_score": plain(score.reviewed_score or score.self_score)},
            )
        if can_decide:
            form = bound.get(("final", score.pk))
            row.open_final = form is not None
            row.final_form = form or FinalForm(
                score=score,
                initial={
                    "final_score": plain(
                        score.final_score if score.final_score is not None else score.reviewed_score
                    )
                },
            )
        if error and error[0] == score.pk:
            row.error = error[1]
        rows.append(row)
    return Review(
        scorecard=scorecard,
        rows=rows,
        sheets=sheets,
        remaining=sum(1 for s in scores.values() if s.reviewed_score is None),
        can_review=can_review,
        can_decide=can_decide,
    )


def _page_context(scorecard: Scorecard, review) -> dict:
    return {
        "scorecard": scorecard,
        "cluster_year": scorecard.cluster_year,
        "review": review,
        "scorecard_url": _url_or_none("scorecards:scorecard", scorecard=scorecard.uuid),
    }


def _after_row_action(request, scorecard: Scorecard, score: Score, status_before: str, **build):
    """htmx: the row with its group subtotals, totals and actions; the whole sheet when the
    scorecard's status moved (every row then offers other actions). Without htmx: the page."""
    scorecard.refresh_from_db(fields=["status"])
    review = build_review(scorecard, **build)
    context = _page_context(scorecard, review)
    if not request.htmx:
        if build.get("bound") or build.get("error"):
            return render(request, "scorecards/review.html", context)
        return redirect(_review_url(scorecard, score))
    if scorecard.status != status_before:
        response = HttpResponse(
            render_to_string("scorecards/_review_sheet.html", context, request=request)
        )
        return reswap(retarget(response, "#review-sheet"), "outerHTML")
    context["row"] = review.row(score.pk)
    return render(request, "scorecards/_review_row_update.html", context)


# ---------------------------------------------------------------------------------------------
# The secretariat (or, for the leader's own scorecard, the standing deputy)


@login_required
def review(request, scorecard):
    scorecard = _scorecard(request.user, scorecard, "scorecards.view_scorecard")
    if refusal := change_refusal(
        request, scorecard.cluster_year, "scorecards.review_scorecard", scorecard
    ):
        return refusal
    return render(
        request, "scorecards/review.html", _page_context(scorecard, build_review(scorecard))
    )


@login_required
@require_POST
def score_review(request, scorecard, score_id):
    """Accept the self score (action=accept) or adjust it with a reason."""
    scorecard = _scorecard(request.user, scorecard, "scorecards.view_scorecard")
    if refusal := change_refusal(
        request, scorecard.cluster_year, "scorecards.review_scorecard", scorecard
    ):
        return refusal
    score = _score(scorecard, score_id)
    status_before = scorecard.status
    if request.POST.get("action") == "accept":
        try:
            review_services.review_score(
                score=score, reviewed_score=None, reason="", user=request.user
            )
        except ValidationError as error:
            return _after_row_action(
                request, scorecard, score, status_before, error=(score.pk, " ".join(error.messages))
            )
        if not request.htmx:
            messages.success(request, _("Criterion %(number)s accepted.") % _number(score))
        return _after_row_action(request, scorecard, score, status_before)
    form = AdjustForm(request.POST, score=score)
    if form.is_valid():
        try:
            review_services.review_score(
                score=score,
                reviewed_score=form.cleaned_data["reviewed_score"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("Criterion %(number)s reviewed.") % _number(score))
            return _after_row_action(request, scorecard, score, status_before)
    return _after_row_action(
        request, scorecard, score, status_before, bound={("adjust", score.pk): form}
    )


def _number(score: Score) -> dict:
    return {"number": score.criterion.number}


@login_required
@require_POST
def review_accept_all(request, scorecard):
    scorecard = _scorecard(request.user, scorecard, "scorecards.view_scorecard")
    if refusal := change_refusal(
        request, scorecard.cluster_year, "scorecards.review_scorecard", scorecard
    ):
        return refusal
    try:
        count = review_services.accept_remaining(scorecard=scorecard, user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request,
            _("The self score of %(count)s remaining criteria was accepted.") % {"count": count},
        )
    return redirect(_review_url(scorecard))


@login_required
@require_POST
def score_final(request, scorecard, score_id):
    """The final score of one criterion, with a reason when it differs from the reviewed one."""
    scorecard = _scorecard(request.user, scorecard, "scorecards.view_scorecard")
    if refusal := change_refusal(
        request, scorecard.cluster_year, "scorecards.review_scorecard", scorecard
    ):
        return refusal
    score = _score(scorecard, score_id)
    status_before = scorecard.status
    form = FinalForm(request.POST, score=score)
    if form.is_valid():
        try:
            review_services.set_final_score(
                score=score,
                final_score=form.cleaned_data["final_score"],
                reason=form.cleaned_data["reason"],
                user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if not request.htmx:
                messages.success(
                    request,
                    _("The final score of criterion %(number)s was saved.") % _number(score),
                )
            return _after_row_action(request, scorecard, score, status_before)
    return _after_row_action(
        request, scorecard, score, status_before, bound={("final", score.pk): form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def scorecard_finalise(request, scorecard):
    """Confirm, then fix every score: the decided final score, else the reviewed one."""
    scorecard = _scorecard(request.user, scorecard, "scorecards.view_scorecard")
    if refusal := change_refusal(
        request, scorecard.cluster_year, "scorecards.review_scorecard", scorecard
    ):
        return refusal
    if request.method == "POST":
        try:
            review_services.finalise(scorecard=scorecard, user=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request,
                _("The scores of %(unit)s are final.") % {"unit": scorecard.unit.short_name},
            )
        return redirect(_review_url(scorecard))
    review = build_review(scorecard)
    return render(request, "scorecards/review_finalise.html", _page_context(scorecard, review))


# ---------------------------------------------------------------------------------------------
# The unit answers an adjustment, once


@login_required
@require_http_methods(["GET", "POST"])
def score_respond(request, scorecard, score_id):
    scorecard = _scorecard(request.user, scorecard, "scorecards.view_scorecard")
    if refusal := change_refusal(
        request, scorecard.cluster_year, "scorecards.respond_to_review", scorecard
    ):
        return refusal
    score = _score(scorecard, score_id)
    form = RespondForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            review_services.respond(
                score=score, response=form.cleaned_data["response"], user=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("Your explanation was sent to the secretariat."))
                return redirect(
                    "scorecards:score_respond", scorecard=scorecard.uuid, score_id=score.pk
                )
            score.refresh_from_db()
            form = RespondForm()
    context = {
        "scorecard": scorecard,
        "cluster_year": scorecard.cluster_year,
        "score": score,
        "criterion": score.criterion,
        "values": {
            "self": plain(score.self_score),
            "reviewed": plain(score.reviewed_score),
            "final": plain(score.final_score),
        },
        "form": form,
        "scorecard_url": _url_or_none("scorecards:scorecard", scorecard=scorecard.uuid),
    }
    if request.htmx:
        return render(request, "scorecards/_review_response.html", context)
    return render(request, "scorecards/review_respond.html", context)


# ---------------------------------------------------------------------------------------------
# The history of a criterion's score


@dataclass
class Change:
    when: object
    who: object
    layers: list[tuple[str | Promise, Decimal | None, Decimal | None]]
    response: str
    reason: str


def score_changes(score: Score) -> list[Change]:
    """Each recorded change of a layer (or the unit's answer), oldest first: one query."""
    records = score.history.select_related("history_user__person").order_by(
        "history_date", "history_id"
    )
    changes, previous = [], None
    for record in records:
        layers: list[tuple[str | Promise, Decimal | None, Decimal | None]] = []
        for name, label in LAYER_LABELS.items():
            old: Decimal | None = getattr(previous, name) if previous is not None else None
            new = getattr(record, name)
            if old != new:
                layers.append((label, plain(old), plain(new)))
        old_response = previous.unit_response if previous is not None else ""
        response = record.unit_response if record.unit_response != old_response else ""
        if layers or response:
            changes.append(
                Change(
                    when=record.history_date,
                    who=record.history_user,
                    layers=layers,
                    response=response,
                    reason=record.history_change_reason or "",
                )
            )
        previous = record
    return changes


@login_required
def score_history(request, scorecard, score_id):
    scorecard = _scorecard(request.user, scorecard, "scorecards.view_scorecard")
    score = _score(scorecard, score_id)
    context = {
        "scorecard": scorecard,
        "cluster_year": scorecard.cluster_year,
        "score": score,
        "criterion": score.criterion,
        "changes": score_changes(score),
        "scorecard_url": _url_or_none("scorecards:scorecard", scorecard=scorecard.uuid),
    }
    if request.htmx:
        return render(request, "scorecards/_review_history.html", context)
    return render(request, "scorecards/review_history.html", context)


@login_required
def leader_review(request, cluster, year):
    """The standing deputy's officers reach the leader's own scorecard, which they review."""
    cluster_year = cluster_year_for(
        request.user, cluster, year, "scorecards.review_leader_scorecard"
    )
    scorecard = Scorecard.objects.filter(
        cluster_year=cluster_year, unit_id=leader_unit_id(cluster_year)
    ).first()
    if scorecard is None:
        messages.info(request, _("The leader unit has not opened its scorecard yet."))
        return redirect(cluster_year)
    return redirect(_review_url(scorecard))


urlpatterns = [
    path(
        "clusters/<uuid:cluster>/<int:year>/leader-review/",
        leader_review,
        name="leader_review",
    ),
    path("scorecards/<uuid:scorecard>/review/", review, name="review"),
    path(
        "scorecards/<uuid:scorecard>/review/accept-all/",
        review_accept_all,
        name="review_accept_all",
    ),
    path("scorecards/<uuid:scorecard>/finalise/", scorecard_finalise, name="scorecard_finalise"),
    path(
        "scorecards/<uuid:scorecard>/scores/<int:score_id>/review/",
        score_review,
        name="score_review",
    ),
    path(
        "scorecards/<uuid:scorecard>/scores/<int:score_id>/respond/",
        score_respond,
        name="score_respond",
    ),
    path(
        "scorecards/<uuid:scorecard>/scores/<int:score_id>/final/",
        score_final,
        name="score_final",
    ),
    path(
        "scorecards/<uuid:scorecard>/scores/<int:score_id>/history/",
        score_history,
        name="score_history",
    ),
]
