"""Light form rendering for pages with many small forms (one per criterion).

crispy-forms renders a field in about a millisecond; a review page of 150 criteria with two
forms each spent most of its second there. These forms carry Bootstrap classes themselves and
render through templates/partials/field.html instead.
"""

from django import forms


class BootstrapFieldsMixin:
    """Adds Bootstrap's classes to the widgets, and is-invalid to fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
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
