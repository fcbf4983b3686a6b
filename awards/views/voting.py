"""The delegates' side of a poll: the voting page (card code or signed-in account), the count
of ballots received while the poll is open, and the receipt check.

Choices travel only in POST bodies (the confirmation step carries them as hidden fields); the
pages are not cached and send no referrer to other sites. Card mode is not tied to the
signed-in user: the code is the credential and nobody is recorded as having used it.
"""

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from common.views import require

from .. import guesses
from ..forms.voting import BallotForm, ReceiptForm
from ..models import Poll
from ..services import polls


def _private(view):
    """No caching of the page, and no Referer sent to another site.

    "same-origin" rather than "no-referrer": under no-referrer browsers send `Origin: null`
    with the page's own form POSTs, which Django's CSRF origin check refuses (403)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapped


def _poll(uuid) -> Poll:
    return get_object_or_404(
        Poll.objects.select_related("conference__cluster_year__cluster"), uuid=uuid
    )


def _refusal_text(why: str, what: str = "code") -> str:
    if why == guesses.ROOM:
        return _(
            "Too many wrong codes were typed in the room: code entry is paused for a minute. "
            "Try again shortly; the counting committee has been told."
        )
    if what == "receipt":
        return _("Too many attempts from this device. Wait 10 minutes, then try again.")
    return _("Too many wrong codes from this device. Wait 10 minutes, then try again.")


def _ballot_page(request, context, form, status=200):
    strings = {"counter": form.counter_template(), "limit": form.limit}
    return render(
        request,
        "awards/vote.html",
        context | {"form": form, "vote_strings": strings},
        status=status,
    )


def _ballot(request, poll: Poll, *, person=None):
    """The ballot, its confirmation and the cast, for a card code (person None) or an account."""
    with_code = person is None
    context = {"poll": poll, "with_code": with_code}
    if not poll.is_open:
        return render(request, "awards/vote.html", context | {"closed": True})
    if request.method == "GET":
        form = BallotForm(poll=poll, with_code=with_code)
        return _ballot_page(request, context, form)

    step = request.POST.get("step")
    form = BallotForm(request.POST, poll=poll, with_code=with_code)
    refusal = guesses.refused(request, poll) if with_code else None
    if refusal:
        form.is_valid()
        form.add_error("code", _refusal_text(refusal))
        return _ballot_page(request, context, form, status=429)
    if step == "edit" or not form.is_valid():
        return _ballot_page(request, context, form)
    code = form.cleaned_data.get("code")
    if with_code and not polls.code_usable(poll=poll, code=code):
        guesses.failed(request, poll)
        form.add_error("code", _("This code is not valid for this poll or has already been used."))
        return _ballot_page(request, context, form)
    if step != "cast":
        return render(request, "awards/vote_confirm.html", context | {"form": form})
    try:
        if with_code:
            receipt = polls.cast_with_code(
                poll=poll, code=code, choices=form.cleaned_data["choices"]
            )
        else:
            receipt = polls.cast_with_account(
                poll=poll, person=person, choices=form.cleaned_data["choices"]
            )
    except ValidationError as error:
        if error.code == polls.BAD_CODE:
            guesses.failed(request, poll)
            form.add_error("code", error)
        else:
            form.add_error(None, error)
        return _ballot_page(request, context, form)
    return render(request, "awards/vote_done.html", context | {"receipt": receipt})


@_private
@require_http_methods(["GET", "POST"])
def vote(request, poll):
    """Card mode: anyone holding a one-time code votes; the code is the credential."""
    poll = _poll(poll)
    response = _ballot(request, poll)
    guesses.remember_device(request, response)
    return response


@_private
@login_required
@require_http_methods(["GET", "POST"])
def vote_account(request, poll):
    """Account mode: a signed-in delegate with an electronic ballot issued to the account."""
    poll = _poll(poll)
    require(request.user, "awards.vote_with_account", poll)
    person = request.user.person
    issuance = polls.account_issuance(poll=poll, person=person)
    if issuance is None:
        raise PermissionDenied(_("No electronic ballot was issued to you for this poll."))
    if issuance.consumed and request.method == "GET":
        return render(
            request, "awards/vote.html", {"poll": poll, "with_code": False, "already": True}
        )
    return _ballot(request, poll, person=person)


@_private
@login_required
@require_GET
def vote_status(request, poll):
    """While a poll is open only the number of ballots received is shown (htmx-polled), to the
    people of the conference."""
    poll = _poll(poll)
    require(request.user, "awards.view_ballot_count", poll)
    received = polls.ballots_received(poll=poll)
    return render(request, "awards/_vote_status.html", {"poll": poll, "received": received})


@_private
@require_http_methods(["GET", "POST"])
def receipt_check(request, poll):
    """A voter checks that a ballot with their receipt was counted, once the poll is closed."""
    poll = _poll(poll)
    context = {"poll": poll, "waiting": poll.is_before_close}
    form = ReceiptForm(request.POST or None)
    status = 200
    if request.method == "POST" and not context["waiting"]:
        refusal = guesses.refused(request, poll, "receipt")
        if refusal:
            form.is_valid()
            form.add_error("receipt", _refusal_text(refusal, "receipt"))
            status = 429
        elif form.is_valid():
            counted = polls.receipt_counted(poll=poll, receipt=form.cleaned_data["receipt"])
            if not counted:
                guesses.failed(request, poll, "receipt")
            context["counted"] = counted
    response = render(request, "awards/vote_receipt.html", context | {"form": form}, status=status)
    guesses.remember_device(request, response)
    return response


urlpatterns = [
    path("polls/<uuid:poll>/vote/", vote, name="vote"),
    path("polls/<uuid:poll>/vote/account/", vote_account, name="vote_account"),
    path("polls/<uuid:poll>/vote/status/", vote_status, name="vote_status"),
    path("polls/<uuid:poll>/receipt/", receipt_check, name="receipt_check"),
]
