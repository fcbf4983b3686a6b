"""Forms of the review: adjust a score, answer an adjustment, decide the final score.

Scores are typed the Vietnamese way ("7,5"): the fields are localised, so the active language's
decimal separator is accepted (and "7.5" too, the thousand separator being off).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import BootstrapFieldsMixin

from ..models import POINT_FIELD


def score_field(label, required_message) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        localize=True,
        error_messages={
            "required": required_message,
            "invalid": _("Enter a number, for example 7,5."),
            "max_digits": _("Enter a number, for example 7,5."),
            "max_whole_digits": _("Enter a number, for example 7,5."),
            "max_decimal_places": _("Use at most two decimals."),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **POINT_FIELD,
    )


class AdjustForm(BootstrapFieldsMixin, forms.Form):
    """A new reviewed score; the reason is checked by the service (mandatory when it differs)."""

    reviewed_score = score_field(_("Reviewed score"), _("Enter the reviewed score."))
    reason = forms.CharField(
        label=_("Reason for the adjustment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, score, **kwargs):
        self.score = score
        kwargs.setdefault("prefix", f"adjust-{score.pk}")
        super().__init__(*args, **kwargs)
        self.fields["reviewed_score"].widget.attrs["aria-describedby"] = f"max-{score.pk}"


class FinalForm(BootstrapFieldsMixin, forms.Form):
    """The final score; a reason when it differs from the reviewed one (checked by the service)."""

    final_score = score_field(_("Final score"), _("Enter the final score."))
    reason = forms.CharField(
        label=_("Reason for the final score"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, score, **kwargs):
        self.score = score
        kwargs.setdefault("prefix", f"final-{score.pk}")
        super().__init__(*args, **kwargs)


class RespondForm(forms.Form):
    response = forms.CharField(
        label=_("The unit's explanation"),
        required=False,  # the service says so, in the same words as everywhere else
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
