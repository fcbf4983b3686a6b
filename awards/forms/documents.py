"""The award proposal: number, date, signer, status, decision and who was granted. The form
reads and checks input; awards.services.proposals.record_outcome saves it. The signed scans of
the proposal and of the minutes (awards.services.scans keeps them)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clusters.forms import DayMonthYearInput

from ..models import Proposal

GRANTED_CHOICES = [("", _("not known yet")), ("yes", _("granted")), ("no", _("not granted"))]


class ProposalForm(forms.ModelForm):
    """The proposal's fields, then one granted yes/no field per proposed candidate
    (named granted_<candidate pk>)."""

    class Meta:
        model = Proposal
        fields = [
            "number",
            "signed_on",
            "signer_name",
            "signer_title",
            "status",
            "decision_number",
            "decision_date",
            "note",
        ]
        widgets = {
            "signed_on": DayMonthYearInput(),
            "decision_date": DayMonthYearInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"number": _("E.g. 12-TTr/CTĐ4.")}

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        for candidate in self.candidates:
            initial = {True: "yes", False: "no"}.get(candidate.granted, "")
            self.fields[f"granted_{candidate.pk}"] = forms.ChoiceField(
                label=str(candidate),
                choices=GRANTED_CHOICES,
                required=False,
                initial=initial,
                widget=forms.Select(attrs={"class": "form-select"}),
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Proposal.Status.DECIDED and not cleaned.get("decision_number"):
            self.add_error("decision_number", _("Enter the number of the decision on the awards."))
        signed, decided = cleaned.get("signed_on"), cleaned.get("decision_date")
        if signed and decided and decided < signed:
            self.add_error("decision_date", _("The decision cannot come before the proposal."))
        return cleaned

    def outcome_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def granted(self) -> dict[int, bool | None]:
        return {
            c.pk: {"yes": True, "no": False}.get(self.cleaned_data[f"granted_{c.pk}"])
            for c in self.candidates
        }


class SignedScanForm(forms.Form):
    """The scan of a signed paper (the proposal or a poll's minutes); awards.services.scans
    checks it by content and size and keeps it."""

    file = forms.FileField(
        label=_("Signed scan"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "The scan of the signed, stamped paper: PDF, JPG or PNG, up to %(limit)d MB."
        ) % {"limit": settings.MAX_UPLOAD_MB}
