"""Generated documents: a poll's vote-count minutes (Word, PDF) and a nomination round's award
proposal (Word, PDF) with the page recording its outcome."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from clusters.shortcuts import change_refusal
from common.forms import add_errors
from common.views import require

from .. import documents
from ..forms.documents import ProposalForm
from ..models import Candidate, NominationRound, Poll, Proposal
from ..selectors_slate import slate_vote
from ..services import proposals

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _poll(uuid) -> Poll:
    return get_object_or_404(
        Poll.objects.select_related("conference__cluster_year__cluster"), uuid=uuid
    )


def _require_minutes(request, poll: Poll):
    """Who may read the minutes (awards.view_minutes). Returns a redirect with a message while
    the poll is not counted."""
    if not request.user.has_perm("awards.view_minutes", poll):
        raise PermissionDenied(_("You do not have access to this page."))
    if not poll.is_counted:
        messages.error(request, _("The minutes are available once the votes are counted."))
        return redirect(poll)
    return None


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def poll_minutes_docx(request, poll):
    poll = _poll(poll)
    if refusal := _require_minutes(request, poll):
        return refusal
    return _download(documents.minutes_docx(poll), DOCX, f"bien-ban-kiem-phieu-{poll.uuid}.docx")


@login_required
@require_GET
def poll_minutes_pdf(request, poll):
    poll = _poll(poll)
    if refusal := _require_minutes(request, poll):
        return refusal
    return _download(
        documents.minutes_pdf(poll), "application/pdf", f"bien-ban-kiem-phieu-{poll.uuid}.pdf"
    )


def _round(uuid) -> NominationRound:
    return get_object_or_404(
        NominationRound.objects.select_related("cluster_year__cluster"), uuid=uuid
    )


def _require_proposal(user, nomination_round: NominationRound) -> None:
    """The secretariat of the (open) year, admins and the cluster's supervisors."""
    require(user, "awards.view_proposal", nomination_round)


@login_required
@require_GET
def proposal_docx(request, round):
    nomination_round = _round(round)
    _require_proposal(request.user, nomination_round)
    year = nomination_round.cluster_year.year
    return _download(documents.proposal_docx(nomination_round), DOCX, f"to-trinh-{year}.docx")


@login_required
@require_GET
def proposal_pdf(request, round):
    nomination_round = _round(round)
    _require_proposal(request.user, nomination_round)
    year = nomination_round.cluster_year.year
    return _download(
        documents.proposal_pdf(nomination_round), "application/pdf", f"to-trinh-{year}.pdf"
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal(request, round):
    nomination_round = _round(round)
    _require_proposal(request.user, nomination_round)
    cluster_year = nomination_round.cluster_year
    instance = Proposal.objects.filter(round=nomination_round).first() or Proposal(
        round=nomination_round
    )
    vote = slate_vote(nomination_round)
    polls = documents.proposal_polls(vote)
    sections = documents.proposed_candidates(vote)
    candidates: list[Candidate] = [c for s in sections for c in s.candidates]
    if request.method == "POST" and (
        refusal := change_refusal(
            request, cluster_year, "awards.change_proposal", nomination_round, back=request.path
        )
    ):
        return refusal
    can_change = request.user.has_perm("awards.change_proposal", nomination_round) and (
        not cluster_year.is_closed or request.user.is_superuser
    )
    form = ProposalForm(request.POST or None, instance=instance, candidates=candidates)
    if not can_change:  # read only: a closed year's secretariat reads what it sent
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            proposals.record_outcome(
                nomination_round=nomination_round,
                values=form.outcome_values(),
                granted=form.granted(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The proposal was saved."))
            return redirect(reverse("awards:proposal", kwargs={"round": nomination_round.uuid}))
    return render(
        request,
        "awards/proposal.html",
        {
            "form": form,
            "nomination_round": nomination_round,
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
            "sections": [
                (s, [(row, form[f"granted_{row.candidate.pk}"]) for row in s.rows])
                for s in sections
            ],
            "vote": vote,
            "polls": polls,
            "can_change": can_change,
        },
    )


urlpatterns = [
    path("polls/<uuid:poll>/minutes.docx", poll_minutes_docx, name="poll_minutes_docx"),
    path("polls/<uuid:poll>/minutes.pdf", poll_minutes_pdf, name="poll_minutes_pdf"),
    path("nominations/<uuid:round>/proposal.docx", proposal_docx, name="proposal_docx"),
    path("nominations/<uuid:round>/proposal.pdf", proposal_pdf, name="proposal_pdf"),
    path("nominations/<uuid:round>/proposal/", proposal, name="proposal"),
]
