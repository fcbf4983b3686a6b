"""The papers printed before a vote: a poll's paper ballots and the delegates' sign-in sheet
(PDF), for whoever runs the conference's polls (awards.run_poll), as the check-in page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import printables
from ..forms.printables import BallotPrintForm
from .documents import _download
from .polls import _conference, _poll

PDF = "application/pdf"


@login_required
@require_GET
def poll_ballots_pdf(request, poll):
    """The poll's paper ballots: A5 unless ?size=a4, as many as paper ballots to issue unless
    ?copies=N. Only before the vote: a poll that is closed, counted or void is printed no more,
    and a bad query is told on the poll's page."""
    poll = _poll(request.user, poll)
    if not poll.is_before_close:
        messages.error(
            request, _("Paper ballots are printed only while the poll is a draft or open.")
        )
        return redirect(poll)
    form = BallotPrintForm(request.GET)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(poll)
    size = form.cleaned_data["size"]
    copies = form.cleaned_data["copies"] or printables.paper_copies(poll)
    content = printables.ballots_pdf(poll, size=size, copies=copies)
    return _download(content, PDF, f"phieu-bau-{poll.uuid}-{size}.pdf")


@login_required
@require_GET
def conference_sign_in_pdf(request, conference):
    """The delegates' sign-in sheet of the conference, with the channels of the check-in."""
    conference = _conference(request.user, conference)
    content = printables.sign_in_sheet_pdf(conference)
    return _download(content, PDF, f"danh-sach-nhan-phieu-{conference.uuid}.pdf")


@login_required
@require_GET
def poll_sign_in_pdf(request, poll):
    """The sign-in sheet of one poll, to be signed for its ballots."""
    poll = _poll(request.user, poll)
    content = printables.sign_in_sheet_pdf(poll.conference, poll=poll)
    return _download(content, PDF, f"danh-sach-nhan-phieu-{poll.uuid}.pdf")


urlpatterns = [
    path("polls/<uuid:poll>/ballots.pdf", poll_ballots_pdf, name="poll_ballots_pdf"),
    path("polls/<uuid:poll>/sign-in.pdf", poll_sign_in_pdf, name="poll_sign_in_pdf"),
    path(
        "conferences/<uuid:conference>/sign-in.pdf",
        conference_sign_in_pdf,
        name="conference_sign_in_pdf",
    ),
]
