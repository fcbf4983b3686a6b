"""The steps of the new-cluster wizard: one form per screen. Each step checks what it can
without writing anything (the one write is clusters.services_settings.create_cluster, after the
review screen); the later steps are built from what the earlier ones hold."""

import re
from dataclasses import dataclass
from typing import cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.forms import BootstrapFieldsMixin

from .forms import DayMonthYearInput
from .models import Cluster, LeadershipRole, Unit
from .selectors import vietnamese_key
from .services_accounts import email_problem
from .services_settings import DEADLINES, USUAL_ROLES, NewUnit, role_problems, rotation_problems


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.short_name} – {unit.name}"


class ClusterStepForm(BootstrapFieldsMixin, forms.Form):
    number = forms.IntegerField(label=gettext_lazy("Cluster number"), min_value=1, max_value=999)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    sector = forms.CharField(label=gettext_lazy("Sector"), max_length=200, required=False)
    supervising_body = forms.CharField(
        label=gettext_lazy("Supervising body"), max_length=200, required=False
    )

    def clean_number(self):
        number = self.cleaned_data["number"]
        if Cluster.objects.filter(number=number).exists():
            raise forms.ValidationError(
                _("Cluster number %(number)s already exists.") % {"number": number}
            )
        return number


@dataclass
class UnitChoices:
    """The member units the units step holds, each with its key (see ClusterDraft)."""

    new_units: list[NewUnit]
    existing: list[Unit]
    start_year: int

    def keyed(self) -> list[tuple[str, str]]:
        """(key, short name) of every member, new ones first, as typed."""
        return [(f"new-{i}", u.short_name) for i, u in enumerate(self.new_units)] + [
            (f"unit-{u.pk}", u.short_name) for u in self.existing
        ]


class UnitsStepForm(BootstrapFieldsMixin, forms.Form):
    units_text = forms.CharField(
        label=gettext_lazy("New member units, one per line"),
        help_text=gettext_lazy(
            "Short name | full name | province, e.g. “Tây Ninh | Ban Tổ chức Tỉnh ủy Tây Ninh | "
            "Tây Ninh”; the full name and the province may be left out."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    existing = UnitMultipleChoiceField(
        label=gettext_lazy("Or choose existing units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    start_year = forms.IntegerField(
        label=gettext_lazy("Members from the year"), min_value=2000, max_value=2100
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["existing"])
        field.queryset = Unit.objects.filter(valid_until__isnull=True).order_by("short_name")

    def clean_units_text(self) -> list[NewUnit]:
        units: list[NewUnit] = []
        seen: dict[str, int] = {}
        for number, line in enumerate(self.cleaned_data["units_text"].splitlines(), start=1):
            parts = [" ".join(part.split()) for part in line.split("|")]
            if not any(parts):
                continue
            if len(parts) > 3:
                raise forms.ValidationError(
                    _("Line %(line)s has more than three parts separated by “|”.")
                    % {"line": number}
                )
            short_name, name, province = (parts + ["", ""])[:3]
            if not short_name:
                raise forms.ValidationError(
                    _("Line %(line)s has no short name.") % {"line": number}
                )
            if len(short_name) > 80 or len(name) > 200 or len(province) > 100:
                raise forms.ValidationError(
                    _("Line %(line)s is too long: a short name has at most 80 characters.")
                    % {"line": number}
                )
            key = short_name.casefold()
            if key in seen:
                raise forms.ValidationError(
                    _("“%(unit)s” is on lines %(first)s and %(line)s.")
                    % {"unit": short_name, "first": seen[key], "line": number}
                )
            seen[key] = number
            units.append(NewUnit(short_name=short_name, name=name or short_name, province=province))
        return units

    def clean(self):
        data = super().clean()
        new_units = data.get("units_text")
        existing = data.get("existing")
        if new_units is None or existing is None:
            return data
        if not new_units and not existing:
            self.add_error(
                "units_text",
                _("Enter the member units (one per line), or choose existing ones."),
            )
        typed = {unit.short_name.casefold() for unit in new_units}
        twice = [unit.short_name for unit in existing if unit.short_name.casefold() in typed]
        if twice:
            self.add_error(
                "units_text",
                _("Already chosen among the existing units: %(units)s.")
                % {"units": ", ".join(twice)},
            )
        start_year = data.get("start_year")
        if start_year:
            for unit in existing:
                if not unit.exists_in_year(start_year):
                    self.add_error(
                        "existing",
                        _("%(unit)s did not exist in %(year)s.")
                        % {"unit": unit.short_name, "year": start_year},
                    )
        return data

    def choices(self) -> UnitChoices:
        data = self.cleaned_data
        existing = sorted(data["existing"], key=lambda unit: vietnamese_key(unit.short_name))
        return UnitChoices(
            new_units=data["units_text"], existing=existing, start_year=data["start_year"]
        )


class RoleStepForm(BootstrapFieldsMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the role"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=LeadershipRole.KINDS, initial=LeadershipRole.DEPUTY
    )


class BaseRoleStepFormSet(forms.BaseFormSet):
    def named(self) -> list[RoleStepForm]:
        return [form for form in self.forms if form.cleaned_data.get("name", "").strip()]

    def clean(self):
        if any(form.errors for form in self.forms):
            return
        named = self.named()
        for key, message in role_problems(
            [(form.cleaned_data["name"], form.cleaned_data["kind"]) for form in named]
        ).items():
            row, _sep, name = key.partition("-")
            if name:
                named[int(row)].add_error(name, message)
            else:
                raise forms.ValidationError(message)

    def roles(self) -> list[tuple[str, str]]:
        return [
            (" ".join(form.cleaned_data["name"].split()), form.cleaned_data["kind"])
            for form in self.named()
        ]


RoleStepFormSet = forms.formset_factory(RoleStepForm, formset=BaseRoleStepFormSet, extra=3)


def role_step_formset(data) -> BaseRoleStepFormSet:
    initial = [{"name": name, "kind": kind} for name, kind in USUAL_ROLES]
    return cast(BaseRoleStepFormSet, RoleStepFormSet(data, initial=initial, prefix="roles"))


def _field_key(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "_", key)


class RotationStepForm(BootstrapFieldsMixin, forms.Form):
    """A position for every member unit, 1 leading first; initially the order typed."""

    def __init__(self, *args, units: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        for position, (key, label) in enumerate(units, start=1):
            self.fields[f"pos_{_field_key(key)}"] = forms.IntegerField(
                label=label, min_value=1, max_value=999, initial=position
            )
        self.style_fields()

    def rows(self):
        return [(label, self[f"pos_{_field_key(key)}"]) for key, label in self.units]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        names = [f"pos_{_field_key(key)}" for key, _label in self.units]
        for key, message in rotation_problems([data.get(name) for name in names]).items():
            if key.isdigit():
                self.add_error(names[int(key)], message)
            else:
                raise forms.ValidationError(message)
        return data

    def order(self) -> list[str]:
        numbered = [(self.cleaned_data[f"pos_{_field_key(key)}"], key) for key, _ in self.units]
        return [key for _position, key in sorted(numbered)]


class YearStepForm(BootstrapFieldsMixin, forms.Form):
    """The first year, its deadlines (optional) and a unit for every role; the leadership is
    proposed from the rotation order."""

    year = forms.IntegerField(label=gettext_lazy("First year"), min_value=2000, max_value=2100)
    pledge_deadline = forms.DateField(
        label=gettext_lazy("Pledge signing deadline"), required=False, widget=DayMonthYearInput()
    )
    scorecard_deadline = forms.DateField(
        label=gettext_lazy("Self-scoring deadline"), required=False, widget=DayMonthYearInput()
    )
    report_deadline = forms.DateField(
        label=gettext_lazy("Unit report deadline"), required=False, widget=DayMonthYearInput()
    )
    nomination_deadline = forms.DateField(
        label=gettext_lazy("Award nomination deadline"),
        required=False,
        widget=DayMonthYearInput(),
    )

    def __init__(
        self,
        *args,
        roles: list[tuple[str, str]],
        units: list[tuple[str, str]],
        rotation: list[str],
        start_year: int,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.roles = roles
        self.start_year = start_year
        self.fields["year"].initial = start_year
        choices = [("", "---------")] + units
        for index, (name, _kind) in enumerate(roles):
            self.fields[f"role_{index}"] = forms.ChoiceField(
                label=name,
                choices=choices,
                initial=rotation[index] if index < len(rotation) else "",
                error_messages={"required": _("Choose the unit holding this role.")},
            )
        self.style_fields()

    def role_fields(self):
        return [self[f"role_{index}"] for index in range(len(self.roles))]

    def clean(self):
        data = super().clean()
        year = data.get("year")
        if year and year < self.start_year:
            self.add_error(
                "year",
                _("The first year cannot be before the members join (%(year)s).")
                % {"year": self.start_year},
            )
        for name in DEADLINES:
            day = data.get(name)
            if year and day and day.year < year:
                self.add_error(
                    name, _("The date cannot be before the year %(year)s.") % {"year": year}
                )
        seen: dict[str, str] = {}
        for index, (role_name, _kind) in enumerate(self.roles):
            key = data.get(f"role_{index}")
            if not key:
                continue
            if key in seen:
                self.add_error(
                    f"role_{index}",
                    _("This unit already holds the role %(role)s.") % {"role": seen[key]},
                )
            else:
                seen[key] = role_name
        return data

    def leadership(self) -> list[str | None]:
        return [self.cleaned_data.get(f"role_{index}") or None for index in range(len(self.roles))]


class OfficersStepForm(BootstrapFieldsMixin, forms.Form):
    """An officer per unit to invite by email (optional): a name and an address. The address
    is checked as the invitation will check it (not one, in use, already invited)."""

    def __init__(self, *args, units: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        for key, label in units:
            self.fields[f"name_{_field_key(key)}"] = forms.CharField(
                label=_("Full name of the officer of %(unit)s") % {"unit": label},
                max_length=150,
                required=False,
            )
            self.fields[f"email_{_field_key(key)}"] = forms.EmailField(label=label, required=False)
        self.style_fields()

    @property
    def rows(self):
        return [
            (label, self[f"name_{_field_key(key)}"], self[f"email_{_field_key(key)}"])
            for key, label in self.units
        ]

    def clean(self):
        data = super().clean()
        seen: set[str] = set()
        for key, _label in self.units:
            name_field, email_field = f"name_{_field_key(key)}", f"email_{_field_key(key)}"
            email = (data.get(email_field) or "").strip().lower()
            if not email:
                continue
            if not (data.get(name_field) or "").strip():
                self.add_error(name_field, _("Enter the full name of the person to invite."))
            if email in seen:
                self.add_error(email_field, _("This address is given for another unit too."))
            elif problem := email_problem(email):
                self.add_error(email_field, problem)
            seen.add(email)
        return data

    def emails(self) -> dict[str, str]:
        return {
            key: self.cleaned_data[f"email_{_field_key(key)}"]
            for key, _label in self.units
            if self.cleaned_data.get(f"email_{_field_key(key)}")
        }

    def names(self) -> dict[str, str]:
        return {
            key: " ".join(self.cleaned_data.get(f"name_{_field_key(key)}", "").split())
            for key in self.emails()
        }
