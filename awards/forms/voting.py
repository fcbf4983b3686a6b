"""The ballot and receipt forms of the voting pages. Choices travel only in POST bodies."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import Poll
from ..services import polls

ANSWERS = [("for", _("agree")), ("against", _("disagree")), ("abstain", _("no opinion"))]


class BallotForm(forms.Form):
    """One ballot of a poll, following its kind; with a card code unless voting by account.

    `clean` checks the choices against the frozen rules (services.polls.canonical_choices) and
    leaves the service's argument in cleaned_data["choices"].
    """

    def __init__(self, *args, poll: Poll, with_code: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll = poll
        self.with_code = with_code
        rules = poll.frozen_rules or poll.rules_snapshot()
        self.options = [(str(o["id"]), o["label"]) for o in rules["options"]]
        self.limit = 1 if poll.kind == Poll.ONE_CHOICE else rules["seats"]
        if with_code:
            self.fields["code"] = forms.CharField(
                label=_("Code on your card"),
                max_length=40,
                error_messages={"required": _("Enter the code printed on your card.")},
                widget=forms.TextInput(
                    attrs={
                        "autocomplete": "off",
                        "autocapitalize": "characters",
                        "spellcheck": "false",
                        "class": "form-control form-control-lg text-uppercase font-monospace",
                    }
                ),
            )
        if poll.kind == Poll.YES_NO:
            for value, label in self.options:
                self.fields[f"answer_{value}"] = forms.ChoiceField(
                    label=label,
                    choices=ANSWERS,
                    required=False,
                    initial="abstain",
                    widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                )
        elif poll.kind == Poll.ONE_CHOICE:
            self.fields["option"] = forms.ChoiceField(
                label=_("Your choice"),
                choices=self.options,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input app-vote-input"}),
            )
        else:
            self.fields["option"] = forms.MultipleChoiceField(
                label=_("Your choices"),
                choices=self.options,
                required=False,
                initial=[v for v, _label in self.options] if poll.kind == Poll.STRIKE_OUT else [],
                widget=forms.CheckboxSelectMultiple(
                    attrs={"class": "form-check-input app-vote-input"}
                ),
            )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].upper().split()).replace("-", "")

    def answer_fields(self):
        return [self[f"answer_{value}"] for value, _label in self.options]

    def clean(self):
        cleaned = super().clean()
        if self.poll.kind == Poll.YES_NO:
            choices = {
                value: cleaned.get(f"answer_{value}") or "abstain" for value, _l in self.options
            }
        elif self.poll.kind == Poll.ONE_CHOICE:
            choices = [cleaned["option"]] if cleaned.get("option") else []
        else:
            choices = cleaned.get("option") or []
        if any(name.startswith(("option", "answer_")) for name in self.errors):
            return cleaned
        try:
            polls.canonical_choices(self.poll, choices)
        except ValidationError as error:
            self.add_error(None, error)
            return cleaned
        cleaned["choices"] = choices
        return cleaned

    def carried(self) -> list[tuple[str, str]]:
        """The valid ballot as (name, value) pairs, for the hidden fields of the confirmation."""
        pairs = []
        if self.with_code:
            pairs.append(("code", self.cleaned_data["code"]))
        choices = self.cleaned_data["choices"]
        if self.poll.kind == Poll.YES_NO:
            pairs += [(f"answer_{value}", answer) for value, answer in choices.items()]
        else:
            pairs += [("option", value) for value in choices]
        return pairs

    def summary(self) -> list[tuple[str, str | Promise, bool]]:
        """The ballot in words: (candidate, what the voter did) for every name on it."""
        choices = self.cleaned_data["choices"]
        words = dict(ANSWERS)
        rows: list[tuple[str, str | Promise, bool]] = []
        for value, label in self.options:
            if self.poll.kind == Poll.YES_NO:
                rows.append((label, words[choices[value]], False))
            elif self.poll.kind == Poll.STRIKE_OUT:
                kept = value in choices
                rows.append((label, _("kept") if kept else _("struck out"), not kept))
            elif value in choices:
                rows.append((label, _("chosen"), False))
        return rows

    def counter_template(self) -> str:
        if self.poll.kind == Poll.STRIKE_OUT:
            return gettext("Kept %(count)s/%(limit)s")
        if self.poll.kind == Poll.YES_NO:
            return gettext("Agreed %(count)s/%(limit)s")
        return gettext("Chosen %(count)s/%(limit)s")

    def selected_count(self) -> int:
        if self.poll.kind == Poll.YES_NO:
            return sum(1 for field in self.answer_fields() if field.value() == "for")
        value = self["option"].value()
        if isinstance(value, list | tuple):
            return len(value)
        return 1 if value else 0

    def counter_text(self) -> str:
        return self.counter_template() % {"count": self.selected_count(), "limit": self.limit}


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("Tracker"),
        max_length=40,
        error_messages={"required": _("Enter the tracker you were shown.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "text-uppercase font-monospace",
            }
        ),
    )

    def clean_receipt(self) -> str:
        return "".join(self.cleaned_data["receipt"].upper().split()).replace("-", "")
