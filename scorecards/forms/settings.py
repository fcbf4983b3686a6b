"""Forms of the ranking settings of a cluster (part of Thiết lập cụm): grade bands, tie-breaks.

The rules that need no database (no two bands of the same name or minimum, no tie-break twice)
are checked here through the services' own pure functions, so that the wrong row is told at its
field; the services check them again."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from common.forms import BootstrapFieldsMixin

from ..models import GradeBand
from ..selectors import tie_break_label
from ..services.settings import BandRow, band_problems, tie_break_keys


class BandForm(BootstrapFieldsMixin, forms.Form):
    band = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Grade"), max_length=100, required=False)
    # localize: "92,5" typed the Vietnamese way is 92.5.
    min_total = forms.DecimalField(
        label=_("From a total of"),
        localize=True,
        max_digits=7,
        decimal_places=2,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": _("Enter a number, such as 90 or 92,5.")},
    )
    delete = forms.BooleanField(label=_("Delete"), required=False)


class BaseBandFormSet(forms.BaseFormSet):
    def __init__(self, *args, cluster: Cluster, **kwargs):
        self.cluster = cluster
        self.bands = {band.pk: band for band in GradeBand.objects.filter(cluster=cluster)}
        super().__init__(*args, **kwargs)

    def filled_forms(self) -> list[BandForm]:
        return [
            form
            for form in self.forms
            if form.cleaned_data.get("band")
            or form.cleaned_data.get("name", "").strip()
            or form.cleaned_data.get("min_total") is not None
        ]

    def clean(self):
        if any(form.errors for form in self.forms):
            return
        kept = [form for form in self.filled_forms() if not form.cleaned_data.get("delete")]
        problems = band_problems(
            [(form.cleaned_data["name"], form.cleaned_data["min_total"]) for form in kept]
        )
        for key, message in problems.items():
            row, _sep, name = key.partition("-")
            kept[int(row)].add_error(name, message)

    def rows(self) -> list[BandRow]:
        """The rows for scorecards.services.settings.save_grade_bands, as on the page."""
        return [
            BandRow(
                band=self.bands.get(form.cleaned_data.get("band") or 0),
                name=form.cleaned_data["name"],
                min_total=form.cleaned_data["min_total"],
                delete=form.cleaned_data["delete"],
            )
            for form in self.filled_forms()
        ]


BandFormSet = forms.formset_factory(BandForm, formset=BaseBandFormSet, extra=2)


def band_formset(data, *, cluster: Cluster) -> BaseBandFormSet:
    initial = [
        {"band": band.pk, "name": band.name, "min_total": band.min_total}
        for band in GradeBand.objects.filter(cluster=cluster).order_by("-min_total")
    ]
    formset = BandFormSet(data, cluster=cluster, initial=initial, prefix="bands")  # type: ignore[call-arg]
    return cast(BaseBandFormSet, formset)


class TieBreakForm(BootstrapFieldsMixin, forms.Form):
    """The tie-breaks in order: a choice per position, each key at most once."""

    def __init__(self, *args, cluster: Cluster, current: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        keys = tie_break_keys(cluster)
        keys += [key for key in current if key not in keys]
        choices = [("", _("(none)"))] + [(key, tie_break_label(key)) for key in keys]
        for position in range(1, len(keys) + 1):
            self.fields[f"tie_break_{position}"] = forms.ChoiceField(
                label=_("Tie-break %(position)s") % {"position": position},
                choices=choices,
                required=False,
                initial=current[position - 1] if position <= len(current) else "",
            )
        self.style_fields()

    def clean(self):
        data = super().clean()
        seen: dict[str, int] = {}
        for position in range(1, len(self.fields) + 1):
            key = data.get(f"tie_break_{position}")
            if not key:
                continue
            if key in seen:
                self.add_error(
                    f"tie_break_{position}",
                    _("This is already the tie-break number %(position)s: choose each one once.")
                    % {"position": seen[key]},
                )
            else:
                seen[key] = position
        return data

    def keys(self) -> list[str]:
        return [
            self.cleaned_data[f"tie_break_{position}"]
            for position in range(1, len(self.fields) + 1)
            if self.cleaned_data.get(f"tie_break_{position}")
        ]
