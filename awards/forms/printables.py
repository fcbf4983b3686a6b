"""What the print links of a poll may ask: the size of the paper ballots and how many copies."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..printables import A5, MAX_COPIES, SIZES


class BallotPrintForm(forms.Form):
    """The query of the ballots' PDF (?size=a4&copies=12): both may be left out, for A5 and
    one ballot per paper ballot to issue."""

    size = forms.ChoiceField(
        label=_("Paper size"),
        choices=SIZES,
        required=False,
        error_messages={"invalid_choice": _("Choose A5 or A4 as the paper size.")},
    )
    copies = forms.CharField(label=_("Copies"), required=False)

    def clean_size(self) -> str:
        return self.cleaned_data["size"] or A5

    def clean_copies(self) -> int | None:
        value = self.cleaned_data["copies"].strip()
        if not value:
            return None
        if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_COPIES:
            raise forms.ValidationError(
                gettext("The number of copies must be a whole number from 1 to %(max)s.")
                % {"max": MAX_COPIES}
            )
        return int(value)
