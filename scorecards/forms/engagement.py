"""Forms of the pledge, campaigns and indicators. They read and check input; the services
(services/engagement.py) apply the rules and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clusters.forms import DayMonthYearInput
from common.formatting import plain
from common.uploads import validate_document

from ..models import Campaign, CampaignEntry, Indicator, IndicatorReport

DOCUMENT_HELP = _("PDF, Word, Excel, JPG or PNG; the type is checked by the file's content.")


class UnitChoiceMixin:
    """A unit choice, shown only to an officer of several member units."""

    def add_unit_field(self, units):
        self.units = list(units)
        if len(self.units) > 1:
            self.fields["unit"] = forms.TypedChoiceField(
                label=_("On behalf of"),
                choices=[(str(u.uuid), u.short_name) for u in self.units],
            )
            self.order_fields(["unit"])

    def chosen_unit(self):
        if len(self.units) == 1:
            return self.units[0]
        chosen = self.cleaned_data["unit"]
        return next(u for u in self.units if str(u.uuid) == chosen)


class PledgeForm(forms.Form):
    text = forms.CharField(
        label=_("Pledge text"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    document = forms.FileField(
        label=_("Pledge document"),
        required=False,
        validators=[validate_document],
        help_text=DOCUMENT_HELP,
    )

    def __init__(self, *args, has_document: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_document = has_document

    def clean(self):
        cleaned = super().clean()
        if (
            "document" not in self.errors
            and not (cleaned.get("text") or "").strip()
            and not cleaned.get("document")
            and not self.has_document
        ):
            self.add_error("text", _("Write the pledge text or attach its document."))
        return cleaned


class PledgeSignForm(UnitChoiceMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("Our unit has read the pledge and commits to it."),
        error_messages={"required": _("Tick the box to confirm the signature.")},
    )
    scan = forms.FileField(
        label=_("Scanned signed copy (optional)"),
        required=False,
        validators=[validate_document],
        help_text=DOCUMENT_HELP,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_unit_field(units)


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "description", "start_date", "end_date"]
        labels = {"start_date": _("Start date"), "end_date": _("End date")}
        widgets = {
            "start_date": DayMonthYearInput(),
            "end_date": DayMonthYearInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return cleaned

    def validate_constraints(self, exclude=None):
        """The dates are checked at the field in clean(); the model's constraint would repeat
        it as a form-wide error."""


class CampaignEntryForm(UnitChoiceMixin, forms.ModelForm):
    class Meta:
        model = CampaignEntry
        fields = ["title", "description", "results", "attachment"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "results": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"attachment": DOCUMENT_HELP}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_unit_field(units)


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["text", "kind", "as_of"]
        widgets = {"as_of": DayMonthYearInput()}
        help_texts = {"text": _("For example: Has reorganised and streamlined its apparatus.")}


YES, NO = "yes", "no"


class IndicatorReportForm(forms.Form):
    """One unit's answers to all the year's indicators; an empty answer means "not reported"."""

    def __init__(self, *args, indicators, reports: dict[int, IndicatorReport], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        self.rows = []
        for indicator in self.indicators:
            report = reports.get(indicator.pk)
            value_name, note_name = f"value_{indicator.pk}", f"note_{indicator.pk}"
            if indicator.kind == Indicator.YES_NO:
                self.fields[value_name] = forms.ChoiceField(
                    label=_("Answer"),
                    required=False,
                    choices=[("", _("Not reported")), (YES, _("Yes")), (NO, _("No"))],
                    widget=forms.RadioSelect,
                    initial=(
                        ""
                        if report is None or report.value_yes is None
                        else YES
                        if report.value_yes
                        else NO
                    ),
                )
            else:
                self.fields[value_name] = forms.DecimalField(
                    label=_("Figure"),
                    required=False,
                    localize=True,
                    max_digits=12,
                    decimal_places=2,
                    initial=plain(report.value_number) if report else None,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )
            self.fields[note_name] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=300,
                initial=report.note if report else "",
            )
            self.rows.append((indicator, value_name, note_name))

    def cleaned_values(self) -> dict:
        values = {}
        for indicator, value_name, note_name in self.rows:
            raw = self.cleaned_data.get(value_name)
            if indicator.kind == Indicator.YES_NO:
                value = {YES: True, NO: False}.get(raw)
            else:
                value = raw
            values[indicator.pk] = (value, self.cleaned_data.get(note_name, ""))
        return values
