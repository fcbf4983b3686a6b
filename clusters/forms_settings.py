"""Forms of the cluster settings pages of clusters: the roles, the rotation order and rule.

They check types and formats and, where a rule needs no database, the rule itself (through
the same pure functions the services call), so that a wrong row is told at its field."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFieldsMixin

from .models import Cluster, LeadershipRole, Unit
from .services_settings import RoleRow, role_problems, rotation_problems


class RoleForm(BootstrapFieldsMixin, forms.Form):
    role = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Name of the role"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=LeadershipRole.KINDS, initial=LeadershipRole.DEPUTY
    )
    order = forms.IntegerField(label=_("Order"), min_value=1, max_value=99, required=False)
    delete = forms.BooleanField(label=_("Delete"), required=False)


class BaseRoleFormSet(forms.BaseFormSet):
    def __init__(self, *args, cluster: Cluster, **kwargs):
        self.cluster = cluster
        self.roles = {role.pk: role for role in cluster.roles.all()}
        super().__init__(*args, **kwargs)

    def filled_forms(self) -> list[RoleForm]:
        """The rows with something in them (an existing role or a name typed), by order."""
        rows = [
            form
            for form in self.forms
            if form.cleaned_data.get("role") or form.cleaned_data.get("name", "").strip()
        ]
        return sorted(
            rows,
            key=lambda form: (form.cleaned_data.get("order") or 99, self.forms.index(form)),
        )

    def clean(self):
        if any(form.errors for form in self.forms):
            return
        kept = [form for form in self.filled_forms() if not form.cleaned_data.get("delete")]
        for key, message in role_problems(
            [(form.cleaned_data["name"], form.cleaned_data["kind"]) for form in kept]
        ).items():
            row, _sep, name = key.partition("-")
            if name:
                kept[int(row)].add_error(name, message)
            else:
                raise forms.ValidationError(message)

    def rows(self) -> list[RoleRow]:
        """The rows for clusters.services_settings.save_roles, in the chosen order."""
        rows = []
        for form in self.filled_forms():
            data = form.cleaned_data
            role = self.roles.get(data.get("role") or 0)
            rows.append(
                RoleRow(role=role, name=data["name"], kind=data["kind"], delete=data["delete"])
            )
        return rows


RoleFormSet = forms.formset_factory(RoleForm, formset=BaseRoleFormSet, extra=2)


def role_formset(data, *, cluster: Cluster) -> BaseRoleFormSet:
    initial = [
        {"role": role.pk, "name": role.name, "kind": role.kind, "order": role.rank}
        for role in cluster.roles.order_by("rank")
    ]
    formset = RoleFormSet(data, cluster=cluster, initial=initial, prefix="roles")  # type: ignore[call-arg]
    return cast(BaseRoleFormSet, formset)


class RotationForm(BootstrapFieldsMixin, forms.Form):
    """A position per unit: the units of the rotation and the members not yet in it. A unit
    left without a number leaves the rotation."""

    def __init__(self, *args, units: list[Unit], positions: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        for unit in units:
            self.fields[f"unit_{unit.pk}"] = forms.IntegerField(
                label=unit.short_name,
                min_value=1,
                max_value=999,
                required=False,
                initial=positions.get(unit.pk),
            )
        self.style_fields()

    def rows(self):
        return [(unit, self[f"unit_{unit.pk}"]) for unit in self.units]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        positions = [data.get(f"unit_{unit.pk}") for unit in self.units]
        for key, message in rotation_problems(positions).items():
            if key.isdigit():
                self.add_error(f"unit_{self.units[int(key)].pk}", message)
            else:
                raise forms.ValidationError(message)
        return data

    def order(self) -> list[Unit]:
        numbered = [
            (self.cleaned_data[f"unit_{unit.pk}"], unit)
            for unit in self.units
            if self.cleaned_data.get(f"unit_{unit.pk}") is not None
        ]
        return [unit for _position, unit in sorted(numbered, key=lambda pair: pair[0])]


class RotationRuleForm(BootstrapFieldsMixin, forms.Form):
    recent_leader_years = forms.IntegerField(
        label=_("Years before a leader may lead again"),
        min_value=0,
        max_value=20,
        error_messages={
            "min_value": _("Enter a number of years from 0 to 20."),
            "max_value": _("Enter a number of years from 0 to 20."),
        },
        help_text=_(
            "The rotation proposal skips units that led in this many past years (0: none)."
        ),
    )
