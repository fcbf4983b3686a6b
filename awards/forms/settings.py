"""The award settings form of a cluster (part of Thiết lập cụm)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ClusterAwardSettings, Poll
from ..services.settings import DEFAULT_RULE_FIELDS


class AwardSettingsForm(forms.ModelForm):
    secrecy_threshold = forms.IntegerField(
        label=_("Secrecy threshold"),
        min_value=1,
        max_value=100,
        error_messages={
            "min_value": _("Enter a number of ballots from 1 to 100."),
            "max_value": _("Enter a number of ballots from 1 to 100."),
        },
        help_text=_(
            "Below this many ballots on paper or electronically, the results show the two "
            "channels combined only."
        ),
    )
    fraction = forms.DecimalField(
        label=_("Fraction of the base needed"),
        help_text=_("A decimal number from 0 to 1, e.g. 0,5 for half."),
        min_value=0,
        max_value=1,
        max_digits=4,
        decimal_places=3,
        localize=True,
        error_messages={
            "min_value": _("Enter a fraction from 0 to 1, e.g. 0,5 for half."),
            "max_value": _("Enter a fraction from 0 to 1, e.g. 0,5 for half."),
        },
    )
    invalid_if = forms.TypedMultipleChoiceField(
        label=_("What makes a ballot invalid"),
        help_text=_("Unticked, a blank ballot is counted as a valid blank ballot."),
        choices=Poll.INVALID_REASONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ClusterAwardSettings
        fields = ["secrecy_threshold", *DEFAULT_RULE_FIELDS]

    def clean_invalid_if(self) -> list[str]:
        chosen = self.cleaned_data["invalid_if"]
        return [code for code, _label in Poll.INVALID_REASONS if code in chosen]
