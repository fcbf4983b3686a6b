"""Forms of award types, quotas and nominations. They read and check input; the services
(awards/services/nominations.py) apply the rules and save."""

from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from clusters.models import Person
from common.uploads import validate_document

from ..models import AwardType

DOCUMENT_HELP = _("PDF, Word, Excel, JPG or PNG; the type is checked by the file's content.")


class AwardTypeForm(forms.ModelForm):
    class Meta:
        model = AwardType
        fields = ["name", "recipient", "rank", "top_n_hint", "grade_hint"]

    def __init__(self, *args, grade_names: Sequence[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.grade_names = list(grade_names)
        if self.grade_names:
            self.fields["grade_hint"] = forms.ChoiceField(
                label=_("graded at least"),
                required=False,
                choices=[("", "—")] + [(g, g) for g in self.grade_names],
                help_text=self.fields["grade_hint"].help_text,
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("recipient") == AwardType.INDIVIDUAL and (
            cleaned.get("top_n_hint") or cleaned.get("grade_hint")
        ):
            raise forms.ValidationError(
                _("The ranking hints apply to awards for units only."), code="hint_for_units"
            )
        return cleaned


class QuotaForm(forms.Form):
    """One number per award type of the cluster."""

    def __init__(self, *args, award_types: list[AwardType], current: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.award_types = award_types
        for award_type in award_types:
            self.fields[f"quota_{award_type.pk}"] = forms.IntegerField(
                label=award_type.name,
                min_value=0,
                max_value=999,
                required=False,
                initial=current.get(award_type.pk),
            )

    def quotas(self) -> dict[AwardType, int | None]:
        return {t: self.cleaned_data.get(f"quota_{t.pk}") for t in self.award_types}


class UnitCandidateForm(forms.Form):
    """The secretariat adds a unit of the published ranking."""

    unit = forms.IntegerField(widget=forms.HiddenInput)
    award_type = forms.ModelChoiceField(queryset=AwardType.objects.none(), label=_("award type"))
    reason = forms.CharField(
        label=_("reason for overriding the eligibility hint"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, award_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_type"].queryset = award_types


class PersonNominationForm(forms.Form):
    """A unit officer nominates a person of their own unit for an award to individuals."""

    award_type = forms.ModelChoiceField(queryset=AwardType.objects.none(), label=_("award type"))
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("person"))
    achievements = forms.CharField(
        label=_("Achievements summary"), widget=forms.Textarea(attrs={"rows": 4})
    )
    attachment = forms.FileField(
        label=_("attachment"),
        required=False,
        validators=[validate_document],
        help_text=DOCUMENT_HELP,
    )

    def __init__(self, *args, award_types, people, own_people, **kwargs):
        """`people`: everyone of the year's member units (so that a person of another unit
        reaches the service and gets its clear refusal); `own_people`: the choices shown."""
        super().__init__(*args, **kwargs)
        self.fields["award_type"].queryset = award_types
        self.fields["person"].queryset = people
        self.fields["person"].widget.choices = [("", "—")] + [
            (p.pk, f"{p.full_name} – {p.unit.short_name}") for p in own_people
        ]


class EntryCandidateForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    award_type = forms.ModelChoiceField(queryset=AwardType.objects.none(), label=_("award type"))

    def __init__(self, *args, award_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_type"].queryset = award_types


class SlateForm(forms.Form):
    """The secretariat ticks the candidates on the slate; the others are withdrawn."""

    on_slate = forms.TypedMultipleChoiceField(
        label=_("On the slate"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_slate"].choices = [(c.pk, str(c)) for c in candidates]
