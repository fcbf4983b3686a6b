"""Forms of the criteria editor: a criterion, the reason for a new version, an Excel import."""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from common.formatting import plain

from ..models import Criterion
from ..services.criteria_excel import ParsedWorkbook, parse_workbook, read_upload


class CriterionForm(forms.ModelForm):
    """A group or criterion of a draft. The service does the write (and the tree rules); the
    model form only brings the labels and field checks."""

    # localize: "7,5" typed the Vietnamese way is 7.5 (the vi formats' DECIMAL_SEPARATOR is ",").
    max_points = forms.DecimalField(
        label=_("Maximum points"),
        localize=True,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": _("Enter a number, such as 10 or 7,5."),
            "min_value": _("The maximum points cannot be negative."),
        },
    )

    class Meta:
        model = Criterion
        fields = ["number", "text", "guidance", "kind", "max_points", "evidence_required"]
        labels = {"number": _("Number"), "text": _("Criterion text")}
        widgets = {
            "number": forms.TextInput(attrs={"autocomplete": "off"}),
            "text": forms.Textarea(attrs={"rows": 3}),
            "guidance": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, capfirst(label)) for kind, label in Criterion.KINDS]
        if self.instance.pk and self.instance.max_points is not None:
            self.initial["max_points"] = plain(self.instance.max_points)

    def _post_clean(self):
        # No model validation: the criterion is written by the service, which checks the tree
        # (numbers unique among siblings, groups with sub-criteria) under a lock.
        pass

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "number": data["number"],
            "text": data["text"],
            "guidance": data["guidance"],
            "kind": data["kind"],
            "max_points": data["max_points"],
            "evidence_required": data["evidence_required"],
        }


class NewVersionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the new version"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Units see it; those that have already scored are asked to re-confirm their "
            "scorecards once the new version is published."
        ),
        error_messages={"required": _("Give the reason for the new version.")},
    )


class CriteriaImportForm(forms.Form):
    """An .xlsx upload, checked by size and content, then parsed (nothing written)."""

    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, needs_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.data_bytes: bytes = b""
        self.parsed: ParsedWorkbook | None = None
        if needs_reason:
            self.fields["reason"] = copy.deepcopy(NewVersionForm.base_fields["reason"])

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            self.data_bytes = read_upload(uploaded)
            self.parsed = parse_workbook(self.data_bytes)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return uploaded
