"""The form of the conference's check-in."""

from django import forms
from django.utils.translation import gettext_lazy

from clusters.models import Person
from common.forms import BootstrapFieldsMixin

from ..models import Issuance


class CheckInForm(BootstrapFieldsMixin, forms.Form):
    """Check a delegate in (with a channel), undo a check-in, or check a delegate out. Any
    person may be named: the service refuses one who is not on the roster, at the field."""

    CHECK_IN, UNDO, CHECK_OUT = "check_in", "undo", "check_out"
    ACTIONS = [
        (CHECK_IN, gettext_lazy("Check in")),
        (UNDO, gettext_lazy("Undo the check-in")),
        (CHECK_OUT, gettext_lazy("Check out")),
    ]

    person = forms.ModelChoiceField(
        label=gettext_lazy("Delegate"), queryset=Person.objects.all(), to_field_name="uuid"
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Ballots on"), choices=Issuance.CHANNELS, required=False
    )
    action = forms.ChoiceField(choices=ACTIONS, initial=CHECK_IN, widget=forms.HiddenInput)

    def __init__(self, *args, roster=None, **kwargs):
        super().__init__(*args, **kwargs)
        if roster is not None and not self.is_bound:
            # The choices offered on the page: the roster; a posted uuid may be anyone.
            self.fields["person"].queryset = roster
