"""Officer accounts without the Django admin: inviting a unit's people, the invitation link,
ending officer terms, inviting from an Excel list, and inviting a conference's people."""

import base64
import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from common.forms import add_errors
from common.uploads import sha256_hex
from common.views import flash_errors, get_object_for, require

from .forms import AcceptInvitationForm, EndTermForm, InvitationForm, InvitationImportForm
from .invitations_excel import parse_invitations
from .models import Conference, Invitation, OfficerTerm, Person, Unit
from .selectors import members_in_year
from .services_accounts import (
    accept_invitation,
    cancel_invitation,
    end_officer_term,
    invitation_for_token,
    invite,
    invite_rows,
    resend_invitation,
)
from .shortcuts import change_refusal, cluster_year_for

MANAGE = "clusters.manage_unit_officers"
IMPORT_SESSION_KEY = "invitation_import:{pk}"


def _base_url(request) -> str:
    """The site's address as the person invited will open it (the invitation link's base)."""
    return request.build_absolute_uri("/")


def _people_url(unit: Unit) -> str:
    return reverse("clusters:unit_people", kwargs={"unit": unit.uuid})


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request, unit):
    """Invite a new person of the unit, or (?person=) one recorded without an account."""
    unit = get_object_for(request.user, MANAGE, Unit, uuid=unit)
    person = None
    if person_uuid := request.GET.get("person"):
        try:
            person_uuid = uuid.UUID(person_uuid)
        except ValueError as error:  # a mangled link: not found, never a 500
            raise Http404 from error
        person = get_object_or_404(Person, unit=unit, uuid=person_uuid, user__isnull=True)
    form = InvitationForm(
        request.POST or None, person=person, initial={"start_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invite(
                unit=unit,
                email=data["email"],
                full_name=data.get("full_name", ""),
                position=data.get("position", ""),
                person=person,
                start_date=data["start_date"],
                invited_by=request.user,
                base_url=_base_url(request),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect(_people_url(unit))
    return render(
        request, "clusters/invitation_form.html", {"form": form, "unit": unit, "person": person}
    )


def _pending_invitation(request, uuid) -> Invitation:
    invitation = get_object_or_404(Invitation.objects.select_related("unit"), uuid=uuid)
    require(request.user, MANAGE, invitation.unit)
    return invitation


@login_required
@require_POST
def invitation_resend(request, invitation):
    invitation = _pending_invitation(request, invitation)
    try:
        resend_invitation(invitation=invitation, user=request.user, base_url=_base_url(request))
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request, _("The invitation was sent again to %(email)s.") % {"email": invitation.email}
        )
    return redirect(_people_url(invitation.unit))


@login_required
@require_POST
def invitation_cancel(request, invitation):
    invitation = _pending_invitation(request, invitation)
    try:
        cancel_invitation(invitation=invitation, user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(
            request, _("The invitation to %(email)s was cancelled.") % {"email": invitation.email}
        )
    return redirect(_people_url(invitation.unit))


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The link of an invitation email: the person sets a password and their account is
    created. A used, cancelled, expired or unknown link says so."""
    state = invitation_for_token(token)
    if state.problem is not None or state.invitation is None:
        status = 404 if state.invitation is None else 410
        return render(
            request, "clusters/invitation_invalid.html", {"problem": state.problem}, status=status
        )
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(token=token, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your account was created. Log in with your email address %(email)s and the "
                    "password you chose."
                )
                % {"email": user.email},
            )
            return redirect("login")
    return render(
        request,
        "clusters/invitation_accept.html",
        {"form": form, "invitation": state.invitation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def term_end(request, unit, term):
    unit = get_object_for(request.user, MANAGE, Unit, uuid=unit)
    term = get_object_or_404(
        OfficerTerm.objects.select_related("user__person"), unit=unit, uuid=term
    )
    form = EndTermForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            end_officer_term(term=term, end_date=form.cleaned_data["end_date"], user=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The officer term was ended."))
            return redirect(_people_url(unit))
    return render(request, "clusters/term_end.html", {"form": form, "unit": unit, "term": term})


# --- Invitations from an Excel list ----------------------------------------------------------
# As the criteria import (scorecards.views.criteria): between the preview and the confirmation
# the file's bytes wait in the user's session (server side), keyed by their SHA-256, which is
# all the confirm form carries; confirming parses the same bytes again with the same checks, so
# what is invited is what was previewed, and a stale or tampered token finds nothing.


@login_required
@require_http_methods(["GET", "POST"])
def invitation_import(request, cluster, year):
    """Upload the list (full name, unit, email, position) and see each row as it will be
    invited, or why it cannot be."""
    cluster_year = cluster_year_for(request.user, cluster, year, "clusters.view_cluster_year")
    if refusal := change_refusal(request, cluster_year, "clusters.manage_cluster_year"):
        return refusal
    form = InvitationImportForm(
        request.POST or None, request.FILES or None, initial={"start_date": timezone.localdate()}
    )
    parsed, token = None, ""
    if request.method == "POST" and form.is_valid():
        members = members_in_year(cluster=cluster_year.cluster, year=cluster_year.year)
        try:
            parsed = parse_invitations(
                form.data_bytes, units=members, start_date=form.cleaned_data["start_date"]
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        if parsed is not None and parsed.valid_rows:
            token = sha256_hex(form.data_bytes)
            request.session[IMPORT_SESSION_KEY.format(pk=cluster_year.pk)] = {
                "sha256": token,
                "data": base64.b64encode(form.data_bytes).decode("ascii"),
                "start_date": form.cleaned_data["start_date"].isoformat(),
            }
    return render(
        request,
        "clusters/invitation_import.html",
        {"cluster_year": cluster_year, "form": form, "parsed": parsed, "token": token},
    )


@login_required
@require_POST
def invitation_import_confirm(request, cluster, year):
    """Invite the valid rows of the previewed list, all in one transaction."""
    cluster_year = cluster_year_for(request.user, cluster, year, "clusters.view_cluster_year")
    if refusal := change_refusal(request, cluster_year, "clusters.manage_cluster_year"):
        return refusal
    back = reverse("clusters:invitation_import", kwargs={"cluster": cluster, "year": year})
    key = IMPORT_SESSION_KEY.format(pk=cluster_year.pk)
    pending = request.session.get(key)
    if not pending or pending.get("sha256") != request.POST.get("token", ""):
        messages.error(request, _("The preview is out of date: upload the file again."))
        return redirect(back)
    members = members_in_year(cluster=cluster_year.cluster, year=cluster_year.year)
    start_date = datetime.date.fromisoformat(pending["start_date"])
    try:
        parsed = parse_invitations(
            base64.b64decode(pending["data"]), units=members, start_date=start_date
        )
        invitations = invite_rows(
            rows=parsed.valid_rows,
            start_date=start_date,
            invited_by=request.user,
            base_url=_base_url(request),
        )
    except ValidationError as error:
        flash_errors(request, error)
        return redirect(back)
    del request.session[key]
    count = len(invitations)
    messages.success(
        request,
        ngettext("%(count)s invitation was sent.", "%(count)s invitations were sent.", count)
        % {"count": count},
    )
    return redirect(cluster_year)


# --- A conference's people -------------------------------------------------------------------


@login_required
@require_POST
def conference_person_invite(request, conference, person):
    """One click on the conference page: invite a delegate or committee member who has no
    account, at the address recorded for them, as an officer of their unit from today."""
    conference = get_object_or_404(
        Conference.objects.select_related("cluster_year__cluster"), uuid=conference
    )
    require(request.user, "clusters.view_conference", conference)
    cluster_year = conference.cluster_year
    if refusal := change_refusal(
        request,
        cluster_year,
        "clusters.manage_conference",
        conference,
        back=conference.get_absolute_url(),
    ):
        return refusal
    member_ids = [
        u.pk for u in members_in_year(cluster=cluster_year.cluster, year=cluster_year.year)
    ]
    person = get_object_or_404(
        Person.objects.select_related("unit"), uuid=person, unit_id__in=member_ids
    )
    try:
        invitation = invite(
            unit=person.unit,
            person=person,
            email=person.email,
            start_date=timezone.localdate(),
            invited_by=request.user,
            base_url=_base_url(request),
        )
    except ValidationError as error:
        for messages_of_field in error.message_dict.values():
            for message in messages_of_field:
                messages.error(request, f"{person.full_name}: {message}")
    else:
        messages.success(
            request,
            _("%(name)s was invited at %(email)s.")
            % {"name": person.full_name, "email": invitation.email},
        )
    return redirect(conference)
