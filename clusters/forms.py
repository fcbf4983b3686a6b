from typing import cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from common.forms import add_errors

from .invitations_excel import read_upload
from .models import ClusterYear, Conference, Person, Unit
from .selectors import members_in_year, person_name_key, vietnamese_key
from .services import check_unit_existence


class DayMonthYearInput(forms.DateInput):
    """Dates typed as dd/mm/yyyy, the way Vietnamese documents write them."""

    def __init__(self, **kwargs):
        super().__init__(
            format="%d/%m/%Y",
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
            **kwargs,
        )


class ClusterYearForm(forms.ModelForm):
    class Meta:
        model = ClusterYear
        fields = [
            "status",
            "plan_title",
            "plan_document",
            "pledge_deadline",
            "scorecard_deadline",
            "report_deadline",
            "nomination_deadline",
            "notes",
        ]
        widgets = {
            "pledge_deadline": DayMonthYearInput(),
            "scorecard_deadline": DayMonthYearInput(),
            "report_deadline": DayMonthYearInput(),
            "nomination_deadline": DayMonthYearInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        year = self.instance.year
        for name in (
            "pledge_deadline",
            "scorecard_deadline",
            "report_deadline",
            "nomination_deadline",
        ):
            day = cleaned.get(name)
            # Deadlines may be extended into later years, never set before the year begins.
            if day and day.year < year:
                self.add_error(
                    name, _("The date cannot be before the year %(year)s.") % {"year": year}
                )
        return cleaned


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return unit.short_name


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit):
        return unit.short_name


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return f"{person.full_name} – {person.unit.short_name}"


def _people_by_unit(people: list[Person]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices of people grouped by unit (units by short name, people by given name, both in
    Vietnamese order); a person without an account is marked so, to be invited."""
    no_account = _("no account")
    by_unit: dict[int, list[Person]] = {}
    for person in people:
        by_unit.setdefault(person.unit_id, []).append(person)
    groups = []
    for members in sorted(by_unit.values(), key=lambda ps: vietnamese_key(ps[0].unit.short_name)):
        members.sort(key=lambda p: person_name_key(p.full_name))
        groups.append(
            (
                members[0].unit.short_name,
                [
                    (
                        str(p.pk),
                        p.full_name if p.user_id else f"{p.full_name} ({no_account})",
                    )
                    for p in members
                ],
            )
        )
    return groups


class ConferenceForm(forms.ModelForm):
    """A conference of a cluster year; units and people are limited to that year's members."""

    host_unit = UnitChoiceField(queryset=Unit.objects.none(), required=False, label=_("Host unit"))
    attending_units = UnitMultipleChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Attending units"),
    )
    attendees = PersonMultipleChoiceField(
        queryset=Person.objects.none(), required=False, label=_("Attending people")
    )
    delegates = PersonMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label=_("Voting delegates"),
        help_text=_("The roster of delegates who may vote at this conference."),
    )
    counting_committee = PersonMultipleChoiceField(
        queryset=Person.objects.none(), required=False, label=_("Vote-counting committee")
    )

    class Meta:
        model = Conference
        fields = [
            "kind",
            "title",
            "date",
            "place",
            "host_unit",
            "attending_units",
            "attendees",
            "delegates",
            "counting_committee",
            "minutes",
            "summary",
        ]
        widgets = {"date": DayMonthYearInput(), "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, cluster_year: ClusterYear, **kwargs):
        super().__init__(*args, **kwargs)
        self.cluster_year = cluster_year
        self.instance.cluster_year = cluster_year
        member_ids = [
            u.pk for u in members_in_year(cluster=cluster_year.cluster, year=cluster_year.year)
        ]
        units = Unit.objects.filter(pk__in=member_ids).order_by("short_name")
        people = Person.objects.filter(unit_id__in=member_ids).select_related("unit")
        cast(forms.ModelChoiceField, self.fields["host_unit"]).queryset = units
        cast(forms.ModelChoiceField, self.fields["attending_units"]).queryset = units
        grouped = _people_by_unit(list(people))
        for name in ("attendees", "delegates", "counting_committee"):
            field = cast(forms.ModelChoiceField, self.fields[name])
            field.queryset = people
            # The member units' people grouped by unit, in Vietnamese order; the queryset still
            # decides what is accepted.
            field.choices = grouped
            field.widget.attrs["size"] = 12

    def clean_date(self):
        day = self.cleaned_data["date"]
        year = self.cluster_year.year
        if not year <= day.year <= year + 1:
            raise forms.ValidationError(
                _("A conference of %(year)s is held in %(year)s (or early the next year).")
                % {"year": year}
            )
        return day


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "position", "gender", "birth_year", "email", "phone"]


class LeadershipConfirmForm(forms.Form):
    """Next year's holder for each role, with a reason where it departs from the proposal."""

    def __init__(self, *args, proposal, conferences, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        members = proposal.members
        choices = [("", "---------")] + [(str(u.pk), u.short_name) for u in members]
        self.units_by_id = {str(u.pk): u for u in members}
        self.role_rows = []
        for holder in proposal.holders:
            role = holder.role
            unit_field = f"role_{role.pk}"
            reason_field = f"reason_{role.pk}"
            self.fields[unit_field] = forms.ChoiceField(
                label=_("Unit"),
                choices=choices,
                initial=str(holder.unit.pk) if holder.unit else "",
            )
            self.fields[reason_field] = forms.CharField(
                label=_("Reason if different from the proposal"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.role_rows.append((holder, unit_field, reason_field))
        self.fields["decided_at"] = forms.ModelChoiceField(
            queryset=conferences,
            required=False,
            label=_("Decided at"),
            help_text=_("The conference that elected next year's leadership."),
        )

    def cleaned_choices(self) -> tuple[dict, dict]:
        choices, reasons = {}, {}
        for holder, unit_field, reason_field in self.role_rows:
            unit_id = self.cleaned_data.get(unit_field)
            if unit_id:
                choices[holder.role.pk] = self.units_by_id[unit_id]
            reasons[holder.role.pk] = self.cleaned_data.get(reason_field, "")
        return choices, reasons


class UnitAdminForm(forms.ModelForm):
    """The admin's unit: its period of existence must keep covering its memberships, officer
    terms and leadership roles (clusters.services.check_unit_existence), unless what runs past
    the new last day is ended on it."""

    end_dependents = forms.BooleanField(
        label=_("Also end them"),
        required=False,
        help_text=_(
            "End on the new last day of existence the memberships and officer terms that run "
            "past it (their history keeps who ended them)."
        ),
    )

    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "province",
            "valid_from",
            "valid_until",
            "successor",
            "succession_kind",
        ]

    def clean(self):
        cleaned = super().clean()
        if "valid_from" in cleaned and "valid_until" in cleaned:
            try:
                check_unit_existence(
                    unit=self.instance,
                    valid_from=cleaned["valid_from"],
                    valid_until=cleaned["valid_until"],
                    end_dependents=cleaned.get("end_dependents", False),
                )
            except ValidationError as error:
                add_errors(self, error)
        return cleaned


class MembershipInlineFormSet(BaseInlineFormSet):
    """Memberships typed in one admin form: two of one unit in one cluster may not overlap
    (Membership.clean compares each row with the saved ones only, not with its neighbours).

    A saved row left unchanged is not validated: it is not saved either, and the unit's own form
    checks the saved rows against the unit's new period (ending them when asked), which a row
    still holding the old last year would otherwise refuse."""

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < self.initial_form_count():
            kwargs["empty_permitted"] = True
        return kwargs

    def clean(self):
        super().clean()
        seen: list[tuple[object, object, int, int | None]] = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or form.errors:
                continue
            cluster, unit = data.get("cluster"), data.get("unit")
            start, end = data.get("start_year"), data.get("end_year")
            if cluster is None or unit is None or start is None:
                continue
            for other_cluster, other_unit, other_start, other_end in seen:
                if (
                    other_cluster == cluster
                    and other_unit == unit
                    and (end is None or other_start <= end)
                    and (other_end is None or start <= other_end)
                ):
                    form.add_error(
                        "start_year",
                        _(
                            "This membership overlaps the membership from %(start)s to %(end)s "
                            "of the same unit in this cluster in this form."
                        )
                        % {"start": other_start, "end": other_end or "…"},
                    )
                    break
            else:
                seen.append((cluster, unit, start, end))


class InvitationForm(forms.Form):
    """An invitation to a unit's officer account: a new person of the unit, or (with `person`)
    one already recorded without an account."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"), max_length=254)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    start_date = forms.DateField(
        label=_("Officer from"),
        widget=DayMonthYearInput(),
        help_text=_("The first day the person acts for the unit in the application."),
    )

    def __init__(self, *args, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        if person is not None:
            # The person is recorded already: their name and position are not asked again.
            del self.fields["full_name"]
            del self.fields["position"]
            self.fields["email"].initial = person.email


class AcceptInvitationForm(forms.Form):
    """The password chosen by the invited person; the password validators run in the service,
    which knows the account it is for."""

    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not too like your name or email."),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords differ."))
        return cleaned


class EndTermForm(forms.Form):
    end_date = forms.DateField(
        label=_("Last day of the term"),
        widget=DayMonthYearInput(),
        help_text=_("The last day the account acts for the unit."),
    )


class InvitationImportForm(forms.Form):
    """An .xlsx list of people to invite, checked by size and content (nothing written)."""

    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_(
            "Columns: Họ và tên, Đơn vị, Email, Chức vụ (the unit by its name or short name)."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    start_date = forms.DateField(
        label=_("Officers from"),
        widget=DayMonthYearInput(),
        help_text=_("The first day the people invited act for their units."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.data_bytes: bytes = b""

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.data_bytes = read_upload(uploaded)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return uploaded


class LoginForm(AuthenticationForm):
    """The login form: the username or the email address (clusters.backends)."""

    username = UsernameField(
        label=_("Username or email"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
