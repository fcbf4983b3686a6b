from django import forms
from django.utils.translation import gettext_lazy as _

from clusters.forms import DayMonthYearInput

from ..models import YearDeadline


class YearDeadlineForm(forms.ModelForm):
    class Meta:
        model = YearDeadline
        fields = ["title", "date", "note"]
        widgets = {"date": DayMonthYearInput(), "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "title": _("For example: Send the mid-year figures."),
            "note": _("Added to the reminder email, if given."),
        }


class ReminderDaysForm(forms.Form):
    """The cluster's reminder days as typed; the service checks and normalises them."""

    reminder_days = forms.CharField(
        label=_("Remind the units this many days before each deadline"),
        max_length=100,
        required=False,
        help_text=_(
            "Whole numbers from 0 to 60, separated by commas, for example 7,3,1 (0: on the "
            "day itself). Empty: %(default)s, the application's default."
        ),
    )

    def __init__(self, *args, default_days: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reminder_days"]
        field.help_text = field.help_text % {"default": ",".join(str(d) for d in default_days)}
