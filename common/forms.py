"""Form helpers shared by every app: a service's refusal on a form, and light rendering.

BootstrapFieldsMixin is for pages with many small forms (one per criterion): crispy-forms
renders a field in about a millisecond; a review page of 150 criteria with two forms each spent
most of its second there. These forms carry Bootstrap classes themselves and render through
templates/partials/field.html instead.
"""

from typing import cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def error_messages(error: ValidationError) -> dict[str | None, list[str]]:
    """A ValidationError's messages by the key they were raised with; None for those raised
    without one (a message, a list, or NON_FIELD_ERRORS)."""
    if not hasattr(error, "error_dict"):
        return {None: list(error.messages)}
    by_key: dict[str | None, list[str]] = {}
    for key, messages in error.message_dict.items():
        by_key.setdefault(None if key == NON_FIELD_ERRORS else key, []).extend(messages)
    return by_key


def add_errors(
    form: forms.BaseForm, error: ValidationError, *, others: list[str] | None = None
) -> None:
    """Put a service's ValidationError on `form`: each message keyed by a field of the form next
    to that field, every other message among the form's non-field errors, or appended to
    `others` when given (for a page that shows them elsewhere)."""
    for key, messages in error_messages(error).items():
        if key in form.fields:
            form.add_error(key, messages)
        elif others is not None:
            others.extend(messages)
        else:
            form.add_error(None, messages)


class BootstrapFieldsMixin:
    """Adds Bootstrap's classes to the widgets, and is-invalid to fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()

    def style_fields(self) -> None:
        """Give every field its class; a form that adds fields after __init__ calls it again."""
        for field in cast(forms.BaseForm, self).fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            if css not in widget.attrs.get("class", "").split():
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field, error):
        super().add_error(field, error)
        # Errors added after validation (a service's refusal) mark their fields too.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                    widget.attrs["aria-invalid"] = "true"


def add_formset_errors(formset, error: ValidationError, *, others: list[str]) -> None:
    """Put a service's ValidationError on a formset: a message keyed "<row>-<field>" next to
    that field of that row's form, every other message appended to `others` (shown above the
    table)."""
    for key, messages in error_messages(error).items():
        row, _sep, name = (key or "").partition("-")
        if (
            row.isdigit()
            and int(row) < len(formset.forms)
            and name in formset.forms[int(row)].fields
        ):
            formset.forms[int(row)].add_error(name, messages)
        else:
            others.extend(messages)
