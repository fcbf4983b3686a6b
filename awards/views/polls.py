"""The counting committee's pages: a conference's polls, a poll's rules, check-in, cards,
paper counts, the count, certification and publication."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from clusters.models import Conference
from common.forms import add_errors
from common.views import flash_errors, get_object_for

from .. import guesses
from ..forms.documents import SignedScanForm
from ..forms.polls import (
    CardsForm,
    ChairForm,
    DecryptForm,
    FromRotationForm,
    FromSlateForm,
    MinutesNumberForm,
    OptionOrderForm,
    PaperCountForm,
    PollForm,
    SlatePollForm,
    SpareForm,
    VoidForm,
)
from ..models import (
    CommitteeChair,
    Issuance,
    NominationRound,
    PaperCount,
    Poll,
)
from ..selectors_slate import slate_vote
from ..services import attendance, committee, counting, keys
from ..services import polls as poll_services

RUN_POLL = "awards.run_poll"


def _conference(user, uuid) -> Conference:
    """The conference, for its counting committee: 404 when missing, else 403 when refused."""
    conferences = Conference.objects.select_related("cluster_year__cluster")
    return get_object_for(user, RUN_POLL, conferences, uuid=uuid)


def _polls():
    return Poll.objects.select_related(
        "conference__cluster_year__cluster", "runoff_of", "award_type"
    )


def _poll(user, uuid) -> Poll:
    """The poll, for the counting committee: 404 when missing, else 403 when refused."""
    return get_object_for(user, RUN_POLL, _polls(), uuid=uuid)


def _rules(form_data: dict) -> dict:
    return {key: form_data[key] for key in committee.RULE_FIELDS}


def _poll_list(request, conference, *, slate_form=None, rotation_form=None, status=200):
    polls = list(conference.polls.select_related("runoff_of", "award_type").order_by("pk"))
    chair = CommitteeChair.objects.filter(conference=conference).first()
    if rotation_form is None:
        rotation_form = _rotation_form(conference)
    return render(
        request,
        "awards/poll_list.html",
        {
            "conference": conference,
            "cluster_year": conference.cluster_year,
            "polls": polls,
            "committee": list(conference.counting_committee.select_related("unit")),
            "chair_form": ChairForm(
                initial={"person": chair.person_id if chair else None}, conference=conference
            ),
            "slate_form": slate_form or FromSlateForm(conference=conference),
            "rotation_form": rotation_form,
            "next_year": conference.cluster_year.year + 1,
        },
        status=status,
    )


@login_required
def conference_polls(request, conference):
    return _poll_list(request, _conference(request.user, conference))


@login_required
@require_POST
def poll_from_slate(request, conference):
    """Make the poll of an award type from the final slate in one action."""
    conference = _conference(request.user, conference)
    form = FromSlateForm(request.POST, conference=conference)
    if form.is_valid():
        try:
            poll = committee.create_poll_from_slate(
                conference=conference, award_type=form.cleaned_data["award_type"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The poll was made from the slate as a draft."))
            return redirect(poll)
    return _poll_list(request, conference, slate_form=form)


def _rotation_form(conference, data=None) -> FromRotationForm:
    proposal = committee.rotation_proposal(conference=conference)
    return FromRotationForm(data, conference=conference, proposal=proposal)


@login_required
@require_POST
def poll_from_rotation(request, conference):
    """Make the election of a leadership role of next year from the rotation in one action."""
    conference = _conference(request.user, conference)
    form = _rotation_form(conference, request.POST)
    if form.is_valid():
        try:
            poll = committee.create_poll_from_rotation(
                conference=conference, role=form.cleaned_data["elects_role"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The election was made from the rotation as a draft."))
            return redirect(poll)
    return _poll_list(request, conference, rotation_form=form)


@login_required
@require_POST
def committee_chair(request, conference):
    conference = _conference(request.user, conference)
    back = reverse("awards:conference_polls", kwargs={"conference": conference.uuid})
    form = ChairForm(request.POST, conference=conference)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{back}#chair")
    try:
        committee.set_committee_chair(conference=conference, person=form.cleaned_data["person"])
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The chair of the counting committee was saved."))
    return redirect(f"{back}#chair")


@login_required
@require_POST
def poll_minutes_number(request, poll):
    poll = _poll(request.user, poll)
    form = MinutesNumberForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("number", []):
            messages.error(request, error)
        return redirect(poll)
    try:
        committee.set_minutes_number(poll=poll, number=form.cleaned_data["number"])
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("The number of the minutes was saved."))
    return redirect(poll)


@login_required
@require_http_methods(["GET", "POST"])
def poll_create(request, conference):
    conference = _conference(request.user, conference)
    form = PollForm(request.POST or None, conference=conference)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            poll = committee.create_poll(
                conference=conference,
                rules=_rules(data),
                units=list(data["units"]),
                labels=data["labels"],
                elects_role=data["elects_role"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The poll was saved."))
            return redirect(poll)
    return render(
        request,
        "awards/poll_form.html",
        {"form": form, "conference": conference, "cluster_year": conference.cluster_year},
    )


@login_required
@require_http_methods(["GET", "POST"])
def poll_edit(request, poll):
    poll = _poll(request.user, poll)
    if not poll.is_draft:
        messages.error(request, _("Only a draft poll can be changed."))
        return redirect(poll)
    if poll.award_type_id:
        return _slate_poll_edit(request, poll)
    form = PollForm(request.POST or None, instance=poll, conference=poll.conference)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            committee.update_poll(
                poll=poll,
                rules=_rules(data),
                units=list(data["units"]),
                labels=data["labels"],
                elects_role=data["elects_role"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The poll was saved."))
            return redirect(poll)
    return _poll_form(request, form, poll)


def _poll_form(request, form, poll):
    return render(
        request,
        "awards/poll_form.html",
        {
            "form": form,
            "poll": poll,
            "conference": poll.conference,
            "cluster_year": poll.conference.cluster_year,
        },
    )


def _slate_poll_edit(request, poll):
    """A poll made from the slate: its rules and which candidates of the slate it puts."""
    form = SlatePollForm(request.POST or None, instance=poll, conference=poll.conference)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            committee.update_slate_poll(
                poll=poll, rules=_rules(data), candidates=list(data["candidates"])
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The poll was saved."))
            return redirect(poll)
    return _poll_form(request, form, poll)


@login_required
@require_http_methods(["GET", "POST"])
def poll_order(request, poll):
    """The order of the names on the ballot: numbered by hand, or Vietnamese alphabetical."""
    poll = _poll(request.user, poll)
    if not poll.is_draft:
        messages.error(request, _("The order of names can only be changed before the poll opens."))
        return redirect(poll)
    alphabetical = request.method == "POST" and "alphabetical" in request.POST
    form = OptionOrderForm(
        None if alphabetical else (request.POST or None), options=poll.options.all()
    )
    if alphabetical or (request.method == "POST" and form.is_valid()):
        try:
            if alphabetical:
                committee.sort_options_vietnamese(poll=poll)
            else:
                committee.order_options(poll=poll, option_ids=form.option_ids())
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("The order of the names on the ballot was saved."))
        return redirect(poll)
    return render(
        request,
        "awards/poll_order.html",
        {
            "form": form,
            "poll": poll,
            "conference": poll.conference,
            "cluster_year": poll.conference.cluster_year,
        },
    )


def _results(poll: Poll) -> dict:
    """The count and how much of it may be shown (a tie, a channel split or a problem)."""
    try:
        outcome = counting.count(poll=poll)
    except ValidationError as error:
        return {"count_problem": " ".join(error.messages)}
    words = dict(Poll.INVALID_REASONS)
    return {
        "outcome": outcome,
        "split": counting.channel_split(poll=poll, outcome=outcome),
        "invalid_reasons": [(words[code], n) for code, n in outcome.invalid_reasons()],
    }


@login_required
def poll_detail(request, poll):
    poll = get_object_or_404(_polls(), uuid=poll)
    user = request.user
    can_run = user.has_perm(RUN_POLL, poll)
    if not can_run and not user.has_perm("awards.view_poll_results", poll):
        raise PermissionDenied(_("You do not have access to this page."))
    conference = poll.conference
    context = {
        "poll": poll,
        "conference": conference,
        "cluster_year": conference.cluster_year,
        "can_run": can_run,
        "options": list(poll.options.select_related("unit")),
        "received": None,
    }
    if poll.is_open:
        context["received"] = poll_services.ballots_received(poll=poll)
    if can_run:
        issued = {
            i.person_id: i for i in Issuance.objects.filter(poll=poll).only("person", "channel")
        }
        roster = [
            (person, issued.get(person.pk))
            for person in conference.delegates.select_related("unit").order_by(
                "unit__short_name", "full_name"
            )
        ]
        committee_people = list(conference.counting_committee.select_related("user"))
        certified = set(poll.certifications.values_list("user_id", flat=True))
        entries = list(poll.paper_counts.select_related("entered_by").order_by("pk"))
        waiting, handed = poll_services.spare_numbers(poll=poll)
        context.update(
            {
                "roster": roster,
                "issued_count": len(issued),
                "figures": attendance.figures(poll),
                "spares_waiting": waiting,
                "spares_handed": handed,
                "committee": [(p, p.user_id in certified) for p in committee_people],
                "is_committee_member": any(p.user_id == user.pk for p in committee_people),
                "has_certified": user.pk in certified,
                "entries": entries,
                "differences": counting.paper_differences(poll) if len(entries) == 2 else [],
                "void_form": VoidForm(),
                "minutes_form": MinutesNumberForm(initial={"number": poll.minutes_number}),
                "chair": CommitteeChair.objects.filter(conference=conference)
                .select_related("person")
                .first(),
                "cards_form": CardsForm(),
                "spare_form": SpareForm(),
            }
        )
        if poll.is_open:
            context["room_alert"] = guesses.room_alert(poll)
        if poll.shares_needed:
            state = keys.share_state(poll)
            context["key_state"] = state
            context["my_share"] = keys.share_of(poll, user, state.shares)
    if poll.is_counted and user.has_perm("awards.view_minutes", poll):
        context["minutes_scans"] = list(poll.scans.select_related("uploaded_by__person"))
        if user.has_perm("awards.upload_minutes_scan", poll):
            context["scan_form"] = SignedScanForm()
    if user.has_perm("awards.view_count", poll):
        context.update(_results(poll))
        context["runoff"] = poll.runoffs.exclude(status=Poll.Status.VOID).first()
        context["trackers"] = poll_services.trackers(poll=poll)
        if "outcome" in context:
            places = _places(poll) if poll.award_type_id and poll.is_published else {}
            context["result_rows"] = [
                (r, places.get(r.option_id, "")) for r in context["outcome"].options
            ]
    return render(request, "awards/poll_detail.html", context)


def _places(poll: Poll) -> dict[int, str]:
    """Per option of a published poll on an award type: the candidate's place on the award
    proposal in words (granted a place or not, or waiting for the runoff)."""
    nomination_round = NominationRound.objects.filter(
        cluster_year=poll.conference.cluster_year
    ).first()
    if nomination_round is None:
        return {}
    vote = slate_vote(nomination_round)
    rows = {row.candidate.pk: row for award in vote.awards for row in award.candidates}
    return {o.pk: rows[o.candidate_id].label for o in poll.options.all() if o.candidate_id in rows}


def _action(request, poll_uuid, do, success: str):
    poll = _poll(request.user, poll_uuid)
    try:
        result = do(poll)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect(poll)
    messages.success(request, success)
    return redirect(result if isinstance(result, Poll) else poll)


@login_required
@require_POST
def poll_open(request, poll):
    return _action(request, poll, lambda p: poll_services.open_poll(poll=p), _("The poll is open."))


@login_required
@require_POST
def poll_close(request, poll):
    return _action(
        request, poll, lambda p: poll_services.close_poll(poll=p), _("The poll is closed.")
    )


@login_required
@require_POST
def poll_void(request, poll):
    form = VoidForm(request.POST)
    reason = form.data.get("reason", "")
    return _action(
        request,
        poll,
        lambda p: poll_services.void_poll(poll=p, reason=reason),
        _("The poll was voided."),
    )


def vote_url(request, poll: Poll) -> str:
    """The absolute address of the poll's voting page (the code goes in the fragment)."""
    try:
        relative = reverse("awards:vote", kwargs={"poll": poll.uuid})
    except NoReverseMatch:
        relative = f"{poll.get_absolute_url()}vote/"
    return request.build_absolute_uri(relative)


@never_cache
@login_required
@require_POST
def poll_cards(request, poll):
    """Make codes and show them once, on this response only: they are never stored."""
    poll = _poll(request.user, poll)
    form = CardsForm(request.POST)
    codes = None
    if form.is_valid():
        try:
            codes = poll_services.make_codes(
                poll=poll, count=form.cleaned_data["number"], spare=form.cleaned_data["spare"]
            )
        except ValidationError as error:
            add_errors(form, error)
    if codes is None:
        return render(
            request,
            "awards/poll_cards_form.html",
            {
                "poll": poll,
                "conference": poll.conference,
                "cluster_year": poll.conference.cluster_year,
                "form": form,
                "figures": attendance.figures(poll),
            },
            status=400,
        )
    first_spare = (
        poll.codes.filter(spare_number__isnull=False).count() - len(codes) + 1
        if form.cleaned_data["spare"]
        else None
    )
    url = vote_url(request, poll)
    cards = [
        {
            "code": f"{code[:5]}-{code[5:]}",
            "qr": mark_safe(  # noqa: S308 - segno's own SVG of our URL
                segno.make(f"{url}#code={code}", error="m").svg_inline(scale=3, border=2)
            ),
            "spare": None if first_spare is None else first_spare + i,
        }
        for i, code in enumerate(codes)
    ]
    return render(
        request,
        "awards/poll_cards.html",
        {
            "poll": poll,
            "conference": poll.conference,
            "cluster_year": poll.conference.cluster_year,
            "cards": cards,
            "names": [o["label"] for o in (poll.frozen_rules or poll.rules_snapshot())["options"]],
            "vote_url": url,
        },
    )


@login_required
@require_POST
def poll_spare(request, poll):
    """Record that a spare card was handed out: from now on it casts and counts as issued."""
    poll = _poll(request.user, poll)
    form = SpareForm(request.POST)
    if form.is_valid():
        try:
            poll_services.hand_out_spare(poll=poll, number=form.cleaned_data["spare"])
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request,
                _("Spare card S%(number)s was recorded as handed out.")
                % {"number": form.cleaned_data["spare"]},
            )
    else:
        for problem in form.errors.get("spare", []):
            messages.error(request, problem)
    return redirect(f"{poll.get_absolute_url()}#ballots")


@login_required
@require_http_methods(["GET", "POST"])
def paper_count(request, poll):
    poll = _poll(request.user, poll)
    if not poll.is_closed:
        messages.error(request, _("Paper counts are entered after the poll closes."))
        return redirect(poll)
    mine = PaperCount.objects.filter(poll=poll, entered_by=request.user).first()
    form = PaperCountForm(
        request.POST or None, poll=poll, initial=PaperCountForm.initial_from(mine)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            committee.save_paper_count(
                poll=poll,
                user=request.user,
                issued=data["issued"],
                collected=data["collected"],
                valid=data["valid"],
                invalid=data["invalid"],
                votes=form.votes(),
                invalid_by_reason=form.invalid_by_reason(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your paper count was saved."))
            return redirect(poll)
    entries = list(poll.paper_counts.select_related("entered_by").order_by("pk"))
    return render(
        request,
        "awards/poll_paper_count.html",
        {
            "poll": poll,
            "conference": poll.conference,
            "cluster_year": poll.conference.cluster_year,
            "form": form,
            "entries": entries,
            "differences": counting.paper_differences(poll) if len(entries) == 2 else [],
        },
    )


@login_required
@never_cache
@require_POST
def poll_share(request, poll):
    """A committee member's key share, shown once on their own screen (and printable), then
    erased from the server."""
    poll = _poll(request.user, poll)
    try:
        share = keys.collect_share(poll=poll, user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect(poll)
    return render(
        request,
        "awards/poll_share.html",
        {
            "poll": poll,
            "conference": poll.conference,
            "cluster_year": poll.conference.cluster_year,
            "share": share,
            "key_state": keys.share_state(poll),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def poll_decrypt(request, poll):
    """The committee members present type their shares together; the electronic ballots are
    decrypted and the key is erased."""
    poll = _poll(request.user, poll)
    if not poll.is_closed or poll.is_decrypted:
        messages.error(request, _("There are no electronic ballots waiting to be decrypted."))
        return redirect(poll)
    form = DecryptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decrypted = keys.decrypt(poll=poll, shares=form.share_lines())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)s electronic ballot was decrypted; the key is erased.",
                    "%(n)s electronic ballots were decrypted; the key is erased.",
                    decrypted,
                )
                % {"n": decrypted},
            )
            return redirect(poll)
    return render(
        request,
        "awards/poll_decrypt.html",
        {
            "poll": poll,
            "conference": poll.conference,
            "cluster_year": poll.conference.cluster_year,
            "form": form,
            "key_state": keys.share_state(poll),
            "received": poll_services.ballots_received(poll=poll),
        },
    )


@login_required
@require_POST
def poll_counted(request, poll):
    return _action(
        request, poll, lambda p: committee.mark_counted(poll=p), _("The count is complete.")
    )


@login_required
@require_POST
def poll_certify(request, poll):
    return _action(
        request,
        poll,
        lambda p: committee.certify(poll=p, user=request.user),
        _("You certified the count."),
    )


@login_required
@require_POST
def poll_publish(request, poll):
    return _action(
        request, poll, lambda p: committee.publish(poll=p), _("The result is published.")
    )


@login_required
@require_POST
def poll_runoff(request, poll):
    return _action(
        request,
        poll,
        lambda p: committee.create_runoff(poll=p),
        _("A runoff poll among the tied was created as a draft."),
    )


urlpatterns = [
    path("conferences/<uuid:conference>/polls/", conference_polls, name="conference_polls"),
    path("conferences/<uuid:conference>/polls/new/", poll_create, name="poll_create"),
    path(
        "conferences/<uuid:conference>/polls/from-slate/", poll_from_slate, name="poll_from_slate"
    ),
    path(
        "conferences/<uuid:conference>/polls/from-rotation/",
        poll_from_rotation,
        name="poll_from_rotation",
    ),
    path("conferences/<uuid:conference>/polls/chair/", committee_chair, name="committee_chair"),
    path("polls/<uuid:poll>/minutes-number/", poll_minutes_number, name="poll_minutes_number"),
    path("polls/<uuid:poll>/", poll_detail, name="poll"),
    path("polls/<uuid:poll>/edit/", poll_edit, name="poll_edit"),
    path("polls/<uuid:poll>/order/", poll_order, name="poll_order"),
    path("polls/<uuid:poll>/open/", poll_open, name="poll_open"),
    path("polls/<uuid:poll>/key-share/", poll_share, name="poll_share"),
    path("polls/<uuid:poll>/decrypt/", poll_decrypt, name="poll_decrypt"),
    path("polls/<uuid:poll>/close/", poll_close, name="poll_close"),
    path("polls/<uuid:poll>/void/", poll_void, name="poll_void"),
    path("polls/<uuid:poll>/spare/", poll_spare, name="poll_spare"),
    path("polls/<uuid:poll>/cards/", poll_cards, name="poll_cards"),
    path("polls/<uuid:poll>/paper-count/", paper_count, name="paper_count"),
    path("polls/<uuid:poll>/counted/", poll_counted, name="poll_counted"),
    path("polls/<uuid:poll>/certify/", poll_certify, name="poll_certify"),
    path("polls/<uuid:poll>/publish/", poll_publish, name="poll_publish"),
    path("polls/<uuid:poll>/runoff/", poll_runoff, name="poll_runoff"),
]
