"""Officer accounts without the Django admin: invitations by email, accepting them, ending
officer terms.

An invitation names a unit's person (created for it, or one already recorded) and the day from
which they act for the unit. Its link carries a random token; only the token's SHA-256 is
stored. Accepting sets a password, creates the account (username = the email address), links
it to the person and opens the officer term. Emails go with send_mail once the transaction
commits, so a refused or rolled-back invitation sends nothing.

`invite` is the one way to invite: the unit's people page, the Excel list, the conference
page and the new-cluster wizard all call it.
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.formatting import short_date

from .models import Invitation, OfficerTerm, Person, Unit

User = get_user_model()
MAX_EMAIL_CHARS = 254  # the columns of User.email and Invitation.email


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalize_email(email: str) -> str:
    """Addresses are compared without case: "An@Tinh.vn" and "an@tinh.vn" are one mailbox for
    the people who use them."""
    return email.strip().lower()


def email_in_use(email: str) -> bool:
    """Whether an account already signs in with this address (as its email or its username)."""
    email = normalize_email(email)
    return User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists()


def open_invitation_for(email: str) -> Invitation | None:
    return (
        Invitation.objects.filter(
            email__iexact=normalize_email(email),
            accepted_at__isnull=True,
            cancelled_at__isnull=True,
        )
        .select_related("unit")
        .first()
    )


def email_problem(email: str) -> str | None:
    """Why an address cannot be invited, or None: not an address, an account already uses it,
    or an invitation to it is under way."""
    try:
        validate_email(email)
    except ValidationError:
        return _("Enter a valid email address.")
    if len(email) > MAX_EMAIL_CHARS:
        return _("Enter a valid email address.")
    if email_in_use(email):
        return _("An account already uses this address.")
    pending = open_invitation_for(email)
    if pending is not None:
        return _(
            "This address was already invited to %(unit)s: resend or cancel that invitation."
        ) % {"unit": pending.unit.short_name}
    return None


def start_date_problem(unit: Unit, start_date: datetime.date) -> str | None:
    """An officer term starts on a day the unit exists."""
    if not unit.exists_on(start_date):
        if unit.valid_until and start_date > unit.valid_until:
            return _(
                "%(unit)s ceased to exist on %(day)s: an officer term cannot start after it."
            ) % {
                "unit": unit.short_name,
                "day": short_date(unit.valid_until),
            }
        return _("%(unit)s did not exist yet on this day (it exists from %(day)s).") % {
            "unit": unit.short_name,
            "day": short_date(unit.valid_from) if unit.valid_from else "",
        }
    return None


def _new_token(invitation: Invitation, now: datetime.datetime) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    invitation.expires_at = now + datetime.timedelta(days=Invitation.VALID_DAYS)
    return token


def invitation_link(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + reverse("clusters:invitation_accept", kwargs={"token": token})


def _send_invitation(invitation_id: int, link: str) -> None:
    invitation = Invitation.objects.select_related("unit", "person", "invited_by").get(
        pk=invitation_id
    )
    with translation.override(settings.LANGUAGE_CODE):
        context = {"invitation": invitation, "link": link, "days": Invitation.VALID_DAYS}
        subject = render_to_string("clusters/email/invitation_subject.txt", context).strip()
        body = render_to_string("clusters/email/invitation_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])


@transaction.atomic
def invite(
    *,
    unit: Unit,
    email: str,
    start_date: datetime.date,
    invited_by,
    base_url: str,
    full_name: str = "",
    position: str = "",
    person: Person | None = None,
    now: datetime.datetime | None = None,
) -> Invitation:
    """Invite `email` to become an officer of `unit` from `start_date`.

    `person` is the unit's person invited (one without an account); without it a person named
    `full_name` is recorded in the unit. Refused, keyed by field (email, full_name, person,
    start_date), when the address is not one, an account already uses it or it has an
    invitation under way, when the person is of another unit or already has an account, and
    when the unit does not exist on `start_date`. Emails the link (under `base_url`, the
    site's address) once the transaction commits. Nothing is written when refused.
    """
    now = now or timezone.now()
    email = normalize_email(email)
    full_name = " ".join(full_name.split())
    position = position.strip()
    errors: dict[str, list[str]] = {}
    if problem := email_problem(email):
        errors["email"] = [problem]
    if person is not None:
        if person.unit_id != unit.pk:
            errors["person"] = [_("This person is not of %(unit)s.") % {"unit": unit.short_name}]
        elif person.user_id is not None:
            errors["person"] = [_("%(name)s already has an account.") % {"name": person.full_name}]
    elif not full_name:
        errors["full_name"] = [_("Enter the person's full name.")]
    if problem := start_date_problem(unit, start_date):
        errors["start_date"] = [problem]
    if errors:
        raise ValidationError(errors)

    if person is None:
        person = Person(unit=unit, full_name=full_name, position=position, email=email)
        person._history_user = invited_by
        person.full_clean()
        person.save()
    invitation = Invitation(
        email=email,
        unit=unit,
        person=person,
        position=position or person.position,
        start_date=start_date,
        invited_by=invited_by,
        created_at=now,
    )
    token = _new_token(invitation, now)
    invitation._history_user = invited_by
    invitation.save()
    link = invitation_link(base_url, token)
    transaction.on_commit(partial(_send_invitation, invitation.pk, link))
    return invitation


@transaction.atomic
def resend_invitation(
    *, invitation: Invitation, user, base_url: str, now: datetime.datetime | None = None
) -> Invitation:
    """Send a pending invitation again with a new link, valid VALID_DAYS from now; the old link
    stops working. Refused when the invitation was accepted or cancelled."""
    now = now or timezone.now()
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError(_("This invitation is no longer under way."))
    token = _new_token(invitation, now)
    invitation._history_user = user
    invitation.save(update_fields=["token_hash", "expires_at"])
    transaction.on_commit(
        partial(_send_invitation, invitation.pk, invitation_link(base_url, token))
    )
    return invitation


@transaction.atomic
def cancel_invitation(*, invitation: Invitation, user) -> Invitation:
    """Cancel a pending invitation: its link stops working. The person stays in the unit."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError(_("This invitation is no longer under way."))
    invitation.cancelled_at = timezone.now()
    invitation._history_user = user
    invitation.save(update_fields=["cancelled_at"])
    return invitation


@dataclass
class InvitationState:
    """What a link opens: the invitation, and why it cannot be accepted (or None)."""

    invitation: Invitation | None
    problem: str | None


def invitation_for_token(token: str, now: datetime.datetime | None = None) -> InvitationState:
    """The invitation a link's token opens, and why it can no longer be accepted: unknown (a
    mistyped, tampered or replaced link), used, cancelled or expired."""
    invitation = (
        Invitation.objects.select_related("unit", "person")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        problem = _(
            "This invitation link is not valid. It may have been mistyped or replaced by a newer "
            "one: use the link of the latest email, or ask for a new invitation."
        )
    elif invitation.is_accepted:
        problem = _("This invitation was already used. Log in with your email address.")
    elif invitation.is_cancelled:
        problem = _("This invitation was cancelled. Ask the person who invited you for a new one.")
    elif invitation.is_expired(now):
        problem = _("This invitation expired on %(day)s. Ask for it to be sent again.") % {
            "day": short_date(timezone.localtime(invitation.expires_at).date())
        }
    else:
        problem = None
    return InvitationState(invitation=invitation, problem=problem)


@transaction.atomic
def accept_invitation(*, token: str, password: str, now: datetime.datetime | None = None):
    """Accept the invitation of a link's token with the password the person chose: creates the
    account (username and email = the invited address), links it to the invited person, and
    opens the officer term of the unit from the invitation's start date (until the unit ceases
    to exist, if it has). Refused when the link cannot be accepted (see invitation_for_token),
    when the password fails the password validators (key new_password1), or when an account
    took the address meanwhile. Returns the account."""
    now = now or timezone.now()
    state = invitation_for_token(token, now)
    if state.problem is not None or state.invitation is None:
        raise ValidationError(state.problem or "")
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("unit", "person")
        .get(pk=state.invitation.pk)
    )
    if not invitation.is_pending:  # accepted in another tab between the two reads
        raise ValidationError(
            _("This invitation was already used. Log in with your email address.")
        )
    person = invitation.person
    user = User(username=invitation.email, email=invitation.email)
    names = person.full_name.rsplit(" ", 1)
    user.first_name = names[-1][:150]
    user.last_name = names[0][:150] if len(names) > 1 else ""
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"new_password1": error.messages}) from error
    if email_in_use(invitation.email):
        raise ValidationError(_("An account already uses this address."))
    if person.user_id is not None:
        raise ValidationError(_("%(name)s already has an account.") % {"name": person.full_name})
    user.set_password(password)
    user.save()
    person.user = user
    person.email = invitation.email
    if invitation.position and not person.position:
        person.position = invitation.position
    person._history_user = user
    person.save()
    unit = invitation.unit
    term = OfficerTerm(
        user=user, unit=unit, start_date=invitation.start_date, end_date=unit.valid_until
    )
    term.full_clean()
    term._history_user = user
    term.save()
    invitation.accepted_at = now
    invitation._history_user = user
    invitation.save(update_fields=["accepted_at"])
    return user


@transaction.atomic
def end_officer_term(*, term: OfficerTerm, end_date: datetime.date, user) -> OfficerTerm:
    """End an officer term on `end_date` (the last day the account acts for the unit). Refused
    (key end_date) before the term's start, or after the day the unit ceased to exist."""
    term = OfficerTerm.objects.select_for_update().select_related("unit").get(pk=term.pk)
    if end_date < term.start_date:
        raise ValidationError(
            {
                "end_date": _("The term started on %(day)s: it cannot end before that.")
                % {"day": short_date(term.start_date)}
            }
        )
    unit = term.unit
    if unit.valid_until and end_date > unit.valid_until:
        raise ValidationError(
            {
                "end_date": _("%(unit)s ceased to exist on %(day)s: the term must end by then.")
                % {"unit": unit.short_name, "day": short_date(unit.valid_until)}
            }
        )
    term.end_date = end_date
    term._history_user = user
    term.save(update_fields=["end_date"])
    return term


@dataclass
class InvitationRow:
    """A person to invite from a list: the row of the file, for the messages."""

    row: int
    unit: Unit
    full_name: str
    email: str
    position: str


@transaction.atomic
def invite_rows(
    *,
    rows: list[InvitationRow],
    start_date: datetime.date,
    invited_by,
    base_url: str,
) -> list[Invitation]:
    """Invite every row (see invite), all or none: when a row is refused (an address taken
    since the preview), nothing is written and the refusal names each row. The emails go once
    the whole list is recorded."""
    if not rows:
        raise ValidationError(_("There is no valid row to invite."))
    invitations: list[Invitation] = []
    problems: list[str] = []
    for row in rows:
        try:
            invitations.append(
                invite(
                    unit=row.unit,
                    email=row.email,
                    full_name=row.full_name,
                    position=row.position,
                    start_date=start_date,
                    invited_by=invited_by,
                    base_url=base_url,
                )
            )
        except ValidationError as error:
            problems.extend(
                _("Row %(row)s: %(problem)s") % {"row": row.row, "problem": message}
                for message in error.messages
            )
    if problems:
        raise ValidationError(problems)
    return invitations
