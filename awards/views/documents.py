"""Generated documents: a poll's vote-count minutes (Word, PDF) and a nomination round's award
proposal (Word, PDF) with the page recording its outcome; the signed scans of both (upload,
download)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clusters.shortcuts import change_refusal
from common.forms import add_errors
from common.views import require

from .. import documents
from ..forms.documents import ProposalForm, SignedScanForm
from ..models import Candidate, NominationRound, Poll, Proposal, SignedScan
from ..selectors_slate import slate_vote
from ..services import proposals, scans

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
    issued = instance.is_issued  # as stored, before the form below changes the instance
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
    minutes_scans: dict[int, list[SignedScan]] = {poll.pk: [] for poll in polls}
    for scan in SignedScan.objects.filter(poll__in=polls).select_related("uploaded_by__person"):
        minutes_scans[scan.poll_id].append(scan)
    can_upload = request.user.has_perm("awards.upload_proposal_scan", nomination_round)
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
            # the minutes attached, each with its signed scans (newest first)
            "attachments": [(poll, minutes_scans[poll.pk]) for poll in polls],
            "proposal_scans": (
                list(instance.scans.select_related("uploaded_by__person")) if instance.pk else []
            ),
            "issued": issued,
            "scan_form": SignedScanForm() if can_upload and issued else None,
        },
    )


def _scan_form_page(request, form, *, title: str, back: str, back_label: str, cluster_year):
    """The upload form again, with its errors at the field."""
    return render(
        request,
        "awards/signed_scan_form.html",
        {
            "form": form,
            "title": title,
            "back": back,
            "back_label": back_label,
            "cluster_year": cluster_year,
            "cluster": cluster_year.cluster,
        },
    )


@login_required
@require_POST
def proposal_scan_upload(request, round):
    nomination_round = _round(round)
    _require_proposal(request.user, nomination_round)
    back = reverse("awards:proposal", kwargs={"round": nomination_round.uuid})
    if refusal := change_refusal(
        request,
        nomination_round.cluster_year,
        "awards.upload_proposal_scan",
        nomination_round,
        back=back,
    ):
        return refusal
    form = SignedScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            scans.keep_proposal_scan(
                nomination_round=nomination_round,
                uploaded=form.cleaned_data["file"],
                user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The signed proposal is kept."))
            return redirect(f"{back}#signed-proposal")
    return _scan_form_page(
        request,
        form,
        title=_("Upload the signed proposal"),
        back=back,
        back_label=_("Award proposal"),
        cluster_year=nomination_round.cluster_year,
    )


@login_required
@require_POST
def poll_scan_upload(request, poll):
    poll = _poll(poll)
    require(request.user, "awards.view_minutes", poll)
    if refusal := change_refusal(
        request,
        poll.conference.cluster_year,
        "awards.upload_minutes_scan",
        poll,
        back=poll.get_absolute_url(),
    ):
        return refusal
    form = SignedScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            scans.keep_minutes_scan(
                poll=poll, uploaded=form.cleaned_data["file"], user=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The signed minutes are kept."))
            return redirect(f"{poll.get_absolute_url()}#signed-minutes")
    return _scan_form_page(
        request,
        form,
        title=_("Upload the signed minutes"),
        back=poll.get_absolute_url(),
        back_label=poll.question,
        cluster_year=poll.conference.cluster_year,
    )


@login_required
@require_GET
def signed_scan(request, scan):
    """A signed scan, for whoever may read the minutes (of a poll) or the proposal."""
    scan = get_object_or_404(
        SignedScan.objects.select_related(
            "poll__conference__cluster_year__cluster", "proposal__round__cluster_year__cluster"
        ),
        uuid=scan,
    )
    if scan.poll_id:
        require(request.user, "awards.view_minutes", scan.poll)
    else:
        require(request.user, "awards.view_proposal", scan.proposal.round)
    response = FileResponse(scan.file.open("rb"), as_attachment=True, filename=scan.original_name)
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("polls/<uuid:poll>/minutes.docx", poll_minutes_docx, name="poll_minutes_docx"),
    path("polls/<uuid:poll>/minutes.pdf", poll_minutes_pdf, name="poll_minutes_pdf"),
    path("nominations/<uuid:round>/proposal.docx", proposal_docx, name="proposal_docx"),
    path("nominations/<uuid:round>/proposal.pdf", proposal_pdf, name="proposal_pdf"),
    path("nominations/<uuid:round>/proposal/", proposal, name="proposal"),
    path(
        "nominations/<uuid:round>/proposal/scans/",
        proposal_scan_upload,
        name="proposal_scan_upload",
    ),
    path("polls/<uuid:poll>/minutes/scans/", poll_scan_upload, name="poll_scan_upload"),
    path("scans/<uuid:scan>/", signed_scan, name="signed_scan"),
]
