"""Forms of the reports pages."""

from typing import cast

from django import forms
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from common.uploads import validate_document

from .models import ReportVersion, UnitReport, YearSummary

SECTION_ROWS = 5


class UnitReportForm(forms.ModelForm):
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    class Meta:
        model = UnitReport
        fields = UnitReport.SECTIONS
        widgets = {
            name: forms.Textarea(attrs={"rows": SECTION_ROWS}) for name in UnitReport.SECTIONS
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = self.instance.revision


class GroupedDecimalField(forms.DecimalField):
    """Reads numbers as people write them: in Vietnamese "1.250" is one thousand two hundred
    and fifty and "7,5" is seven and a half (dots group thousands where the comma is decimal)."""

    def to_python(self, value):
        if isinstance(value, str) and get_format("DECIMAL_SEPARATOR") == ",":
            value = value.replace(".", "").replace(" ", "")
        return super().to_python(value)


class KeyFigureForm(forms.Form):
    label = forms.CharField(label=_("Figure"), max_length=200, required=False)
    value = GroupedDecimalField(
        label=_("Value"), max_digits=14, decimal_places=2, required=False, localize=True
    )
    measure = forms.CharField(label=_("Unit of measure"), max_length=50, required=False)

    def clean(self):
        data = super().clean()
        label, value = data.get("label"), data.get("value")
        if label and value is None and "value" not in self.errors:
            self.add_error("value", _("Give the figure's value."))
        if value is not None and not label:
            self.add_error("label", _("Say what the figure counts."))
        return data


KeyFigureFormSet = forms.formset_factory(KeyFigureForm, extra=2, max_num=30, absolute_max=30)


def figure_rows(formset) -> list[dict]:
    """The filled rows of a valid key-figure formset, in order."""
    return [
        {
            "label": f.cleaned_data["label"],
            "value": f.cleaned_data["value"],
            "measure": f.cleaned_data.get("measure", ""),
        }
        for f in formset.forms
        if f.cleaned_data.get("label")
    ]


class ReturnReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class YearSummaryForm(forms.ModelForm):
    class Meta:
        model = YearSummary
        fields = ["number", "key_tasks", "signer_name"]
        widgets = {"key_tasks": forms.Textarea(attrs={"rows": 8})}


class SignedSummaryForm(forms.Form):
    file = forms.FileField(
        label=_("Signed summary (Word or PDF)"),
        validators=[validate_document],
        help_text=_("The edited Word file or a scan of the signed copy, as PDF."),
    )
    based_on = forms.ModelChoiceField(
        label=_("Based on version"), queryset=ReportVersion.objects.none(), required=False
    )

    def __init__(self, *args, cluster_year, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["based_on"]
        field.queryset = cluster_year.report_versions.order_by("-number")
        field.label_from_instance = lambda version: (
            _("Version %(number)s") % {"number": version.number}
        )


class RollupForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["year"]).choices = [(year, year) for year in years]
