"""Forms of the counting committee: a poll's rules and options, the paper count, voiding."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusters.models import LeadershipRole, Person, Unit
from clusters.selectors import member_unit_ids
from common.forms import BootstrapFieldsMixin

from ..models import AwardType, Candidate, PaperCount, Poll, all_invalid_reasons
from ..services import counting
from ..services.settings import default_poll_rules


class PollForm(forms.ModelForm):
    fraction = forms.DecimalField(
        label=gettext_lazy("Fraction of the base needed"),
        help_text=gettext_lazy("A decimal number from 0 to 1, e.g. 0,5 for half."),
        min_value=0,
        max_value=1,
        max_digits=4,
        decimal_places=3,
        localize=True,
    )
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Options: member units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    invalid_if = forms.TypedMultipleChoiceField(
        label=gettext_lazy("What makes a ballot invalid"),
        help_text=gettext_lazy("Unticked, a blank ballot is counted as a valid blank ballot."),
        choices=Poll.INVALID_REASONS,
        initial=all_invalid_reasons,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    labels = forms.CharField(
        label=gettext_lazy("Options: other names, one per line"),
        help_text=gettext_lazy("E.g. the names of individuals."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    class Meta:
        model = Poll
        fields = [
            "question",
            "kind",
            "seats",
            "threshold_base",
            "comparator",
            "fraction",
            "tie_rule",
            "allow_self_vote",
            "invalid_if",
            "elects_role",
        ]
        labels = {"elects_role": gettext_lazy("Elects next year's role")}

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        cluster_year = conference.cluster_year
        ids = member_unit_ids(cluster_id=cluster_year.cluster_id, year=cluster_year.year)
        self.fields["units"].queryset = Unit.objects.filter(pk__in=ids).order_by("short_name")
        self.fields["elects_role"].queryset = LeadershipRole.objects.filter(
            cluster_id=cluster_year.cluster_id
        ).order_by("rank")
        if not self.instance.pk:
            # A new poll starts from the cluster's default rules (Thiết lập cụm).
            for name, value in default_poll_rules(cluster_id=cluster_year.cluster_id).items():
                self.initial.setdefault(name, value)
        if self.instance.pk:
            options = list(self.instance.options.all())
            self.initial["units"] = [o.unit_id for o in options if o.unit_id]
            self.initial["labels"] = "\n".join(o.label for o in options if not o.unit_id)

    def clean_invalid_if(self) -> list[str]:
        chosen = self.cleaned_data["invalid_if"]
        return [code for code, _label in Poll.INVALID_REASONS if code in chosen]

    def clean_labels(self):
        lines = [line.strip() for line in self.cleaned_data["labels"].splitlines()]
        return [line for line in lines if line]

    def clean(self):
        data = super().clean()
        if not data.get("units") and not data.get("labels") and not self.errors:
            raise forms.ValidationError(_("Give the poll at least one option."))
        if data.get("kind") == Poll.ONE_CHOICE and data.get("seats") not in (None, 1):
            self.add_error("seats", _("A one-choice poll elects one."))
        if data.get("elects_role") and data.get("kind") != Poll.ONE_CHOICE:
            self.add_error("elects_role", _("Only a one-choice poll can elect a role."))
        return data


class SlatePollForm(PollForm):
    """A draft poll made from the slate: its rules and which of the slate's candidates are on
    the ballot (the service checks the quota, the slate and, for a runoff, the tied)."""

    candidates = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Candidates on the ballot"),
        queryset=Candidate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, conference=conference, **kwargs)
        del self.fields["units"], self.fields["labels"], self.fields["elects_role"]
        poll = self.instance
        self.fields["candidates"].queryset = (
            Candidate.objects.filter(
                round__cluster_year=conference.cluster_year,
                award_type=poll.award_type,
                status=Candidate.Status.ON_SLATE,
            )
            .select_related("unit", "person", "campaign_entry")
            .order_by("pk")
        )
        self.initial["candidates"] = [o.candidate_id for o in poll.options.all()]

    def clean(self):
        data = forms.ModelForm.clean(self)
        if data.get("kind") == Poll.ONE_CHOICE and data.get("seats") not in (None, 1):
            self.add_error("seats", _("A one-choice poll elects one."))
        return data


class AwardTypeChoiceField(forms.ModelChoiceField):
    """Award types named with their recipients: a cluster may give the same award to units and
    to individuals (Bằng khen), two choices the name alone would not tell apart."""

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_recipient_display()})"


class FromSlateForm(BootstrapFieldsMixin, forms.Form):
    award_type = AwardTypeChoiceField(
        label=gettext_lazy("Award type"), queryset=AwardType.objects.none()
    )

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_type"].queryset = AwardType.objects.filter(
            cluster_id=conference.cluster_year.cluster_id
        ).order_by("rank", "name")


class RoleChoiceField(forms.ModelChoiceField):
    """A leadership role shown with the unit the rotation proposes for it (`proposal`: per
    role id, the unit or None)."""

    proposal: dict[int, Unit | None] = {}

    def label_from_instance(self, obj) -> str:
        unit = self.proposal.get(obj.pk)
        if unit is None:
            return _("%(role)s – no unit proposed") % {"role": obj.name}
        return _("%(role)s – proposed: %(unit)s") % {"role": obj.name, "unit": unit.short_name}


class FromRotationForm(BootstrapFieldsMixin, forms.Form):
    """A role of next year to elect from the rotation, each shown with its proposed unit."""

    elects_role = RoleChoiceField(
        label=gettext_lazy("Leadership role of next year"), queryset=LeadershipRole.objects.none()
    )

    def __init__(self, *args, conference, proposal: dict[int, Unit | None], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["elects_role"]
        assert isinstance(field, RoleChoiceField)
        field.queryset = LeadershipRole.objects.filter(
            cluster_id=conference.cluster_year.cluster_id
        ).order_by("rank")
        field.proposal = proposal


class OptionOrderForm(BootstrapFieldsMixin, forms.Form):
    """The place of each name on the ballot, 1 to n, each once; fields named place_<option id>."""

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = list(options)
        n = len(self.options)
        for place, option in enumerate(self.options, start=1):
            self.fields[f"place_{option.pk}"] = forms.IntegerField(
                label=option.label, min_value=1, max_value=n, initial=place
            )
        for field in self.fields.values():
            field.widget.attrs["inputmode"] = "numeric"

    def rows(self):
        return [self[f"place_{option.pk}"] for option in self.options]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        seen: dict[int, str] = {}
        for option in self.options:
            name = f"place_{option.pk}"
            if data[name] in seen:
                self.add_error(
                    name,
                    _("Place %(place)s is already given to %(name)s.")
                    % {"place": data[name], "name": seen[data[name]]},
                )
            else:
                seen[data[name]] = option.label
        return data

    def option_ids(self) -> list[int]:
        """The options' ids in the chosen order."""
        return [
            o.pk for o in sorted(self.options, key=lambda o: self.cleaned_data[f"place_{o.pk}"])
        ]


class ChairForm(BootstrapFieldsMixin, forms.Form):
    person = forms.ModelChoiceField(
        label=gettext_lazy("Chair of the counting committee"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=gettext_lazy("— no chair named —"),
    )

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = conference.counting_committee.order_by("full_name")


class MinutesNumberForm(BootstrapFieldsMixin, forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Number and symbol of the minutes"),
        help_text=gettext_lazy("E.g. 01-BB/CTĐ4: printed in the minutes' header after “Số”."),
        max_length=50,
        required=False,
    )


class DecryptForm(BootstrapFieldsMixin, forms.Form):
    shares = forms.CharField(
        label=gettext_lazy("Key shares, one per line"),
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "autocomplete": "off",
                "spellcheck": "false",
                "class": "font-monospace",
            }
        ),
        max_length=2000,
        error_messages={"required": gettext_lazy("Type the key shares of the members present.")},
    )

    def share_lines(self) -> list[str]:
        return [line for line in self.cleaned_data["shares"].splitlines() if line.strip()]


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for voiding"), widget=forms.Textarea(attrs={"rows": 2})
    )


class CardsForm(BootstrapFieldsMixin, forms.Form):
    number = forms.IntegerField(label=gettext_lazy("Number of cards"), min_value=1, max_value=500)
    spare = forms.BooleanField(
        label=gettext_lazy("Spare cards"),
        required=False,
        help_text=gettext_lazy(
            "Numbered S1, S2, … and marked as spares: a spare's code casts nothing and counts "
            "as issued only once it is handed out and recorded."
        ),
    )


class SpareForm(BootstrapFieldsMixin, forms.Form):
    spare = forms.IntegerField(
        label=gettext_lazy("Number of the spare card handed out"), min_value=1, max_value=500
    )


ANSWERS = {
    "for": gettext_lazy("for"),
    "against": gettext_lazy("against"),
    "abstain": gettext_lazy("abstain"),
}


class PaperCountForm(forms.Form):
    """One committee member's entry; the option fields are named opt_<id>_<answer>."""

    issued = forms.IntegerField(label=gettext_lazy("Paper ballots issued"), min_value=0)
    collected = forms.IntegerField(label=gettext_lazy("Paper ballots collected"), min_value=0)
    valid = forms.IntegerField(label=gettext_lazy("Valid ballots"), min_value=0)
    invalid = forms.IntegerField(label=gettext_lazy("Invalid ballots"), min_value=0)

    def __init__(self, *args, poll: Poll, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll = poll
        self.answers = ("for", "against", "abstain") if poll.kind == Poll.YES_NO else ("for",)
        self.option_rows = []
        for option in poll.frozen_rules["options"]:
            names = []
            for answer in self.answers:
                name = f"opt_{option['id']}_{answer}"
                label = option["label"] if len(self.answers) == 1 else ANSWERS[answer]
                self.fields[name] = forms.IntegerField(label=label, min_value=0, initial=0)
                names.append(name)
            self.option_rows.append((option, names))
        # The invalid ballots per reason of the frozen rules, in the order of the rules.
        words = dict(Poll.INVALID_REASONS)
        self.reason_names = []
        for code in (poll.frozen_rules or {}).get("invalid_if", []):
            name = f"reason_{code}"
            self.fields[name] = forms.IntegerField(
                label=words[code], min_value=0, initial=0, required=False
            )
            self.reason_names.append((code, name))
        for field in self.fields.values():
            field.widget.attrs.update({"class": "form-control", "inputmode": "numeric"})

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "form-control is-invalid"

    def rows(self):
        """(option label, [bound fields]) for the template."""
        return [(option["label"], [self[n] for n in names]) for option, names in self.option_rows]

    def reasons(self):
        """The bound fields of the invalid ballots per reason, for the template."""
        return [self[name] for _code, name in self.reason_names]

    def invalid_by_reason(self) -> dict[str, int]:
        data = self.cleaned_data
        return {code: data[name] or 0 for code, name in self.reason_names}

    def votes(self) -> dict:
        data = self.cleaned_data
        return {
            str(option["id"]): {
                answer: data[f"opt_{option['id']}_{answer}"] for answer in self.answers
            }
            for option, _names in self.option_rows
        }

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        entry = PaperCount(
            poll=self.poll,
            issued=data["issued"],
            collected=data["collected"],
            valid=data["valid"],
            invalid=data["invalid"],
            votes=self.votes(),
            invalid_by_reason=self.invalid_by_reason(),
        )
        placed = {f"option_{option['id']}": names[0] for option, names in self.option_rows}
        placed["invalid_by_reason"] = "invalid"  # the reasons sit right under it
        for field, problem in counting.check_paper_count(poll=self.poll, count=entry):
            self.add_error(placed.get(field, field), problem)
        return data

    @classmethod
    def initial_from(cls, entry: PaperCount | None) -> dict:
        if entry is None:
            return {}
        initial = {
            "issued": entry.issued,
            "collected": entry.collected,
            "valid": entry.valid,
            "invalid": entry.invalid,
        }
        for key, answers in entry.votes.items():
            for answer, n in answers.items():
                initial[f"opt_{key}_{answer}"] = n
        for code, n in entry.invalid_by_reason.items():
            initial[f"reason_{code}"] = n
        return initial
