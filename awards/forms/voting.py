"""The ballot and receipt forms of the voting pages. Choices travel only in POST bodies.

The pages of the voting flow have the same size whatever was chosen, so that neither someone
watching the encrypted traffic nor a log of response sizes learns a choice: the confirmation
lists every name with its mark, each word padded to the longest of its kind, and carries one
hidden field of the same length per name. Padding is spaces, which HTML does not show.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import Poll
from ..services import polls

ANSWERS = [("for", _("agree")), ("against", _("disagree")), ("abstain", _("no opinion"))]
CHOSEN, NOT_CHOSEN = "\u2611", "\u2610"  # ☑ ☐: the same length in UTF-8
STRUCK = "text-decoration-line-through text-body-secondary"
# The hidden fields of the confirmation: a name chosen goes back as "option", one not chosen as
# "ignore" (the same length; no field of the form reads it).
IGNORED = "ignore"


def same_width(words) -> list[str]:
    """The words padded with spaces to the same length in UTF-8 bytes (what a response's size
    counts)."""
    words = [str(w) for w in words]
    width = max(len(w.encode()) for w in words)
    return [w + " " * (width - len(w.encode())) for w in words]


class AnswerField(forms.ChoiceField):
    """An answer of a yes-no ballot; the confirmation pads it to the longest answer."""

    def to_python(self, value):
        return super().to_python(value).strip()


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
                self.fields[f"answer_{value}"] = AnswerField(
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
            _canonical, cleaned["blank"] = polls.canonical_choices(self.poll, choices)
        except ValidationError as error:
            self.add_error(None, error)
            return cleaned
        cleaned["choices"] = choices
        return cleaned

    def carried(self) -> list[tuple[str, str]]:
        """The valid ballot as (name, value) pairs for the hidden fields of the confirmation:
        one per name on the ballot, of the same length whatever was chosen."""
        pairs = []
        if self.with_code:
            pairs.append(("code", self.cleaned_data["code"]))
        choices = self.cleaned_data["choices"]
        if self.poll.kind == Poll.YES_NO:
            padded = dict(zip(dict(ANSWERS), same_width(dict(ANSWERS)), strict=True))
            pairs += [(f"answer_{value}", padded[answer]) for value, answer in choices.items()]
        else:
            pairs += [
                ("option" if value in choices else IGNORED, value) for value, _l in self.options
            ]
        return pairs

    def summary(self) -> list[tuple[str, str, str, str]]:
        """The ballot in words, every name on it: (candidate, mark, what the voter did, the
        name's CSS classes), each column of the same length on every row."""
        choices = self.cleaned_data["choices"]
        if self.poll.kind == Poll.YES_NO:
            keys, words = zip(*ANSWERS, strict=True)
        elif self.poll.kind == Poll.STRIKE_OUT:
            keys, words = (True, False), (_("kept"), _("struck out"))
        else:
            keys, words = (True, False), (_("chosen"), _("not chosen"))
        word = dict(zip(keys, same_width(words), strict=True))
        mark = {True: CHOSEN, False: NOT_CHOSEN}
        css = dict(zip((True, False), same_width(["", STRUCK]), strict=True))
        rows = []
        for value, label in self.options:
            if self.poll.kind == Poll.YES_NO:
                answer = choices[value]
                rows.append((label, mark[answer == "for"], word[answer], css[True]))
            else:
                on = value in choices
                struck = self.poll.kind == Poll.STRIKE_OUT and not on
                rows.append((label, mark[on], word[on], css[not struck]))
        return rows

    def blank_attributes(self) -> str:
        """The blank-ballot warning's attributes: shown or hidden, of the same length."""
        shown, hidden = same_width(['role="alert"', "hidden"])
        return shown if self.cleaned_data["blank"] else hidden

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
        """The counter as the page opens; the count padded to the limit's digits (spaces)."""
        count = str(self.selected_count()).rjust(len(str(self.limit)))
        return self.counter_template() % {"count": count, "limit": self.limit}


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
