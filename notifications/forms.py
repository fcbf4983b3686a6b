from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind


class EmailChoicesForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label=_("Email me when"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every notification is also shown in the app, whatever you choose here."),
    )
