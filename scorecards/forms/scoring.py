"""Forms of self-scoring: one small form per criterion row, evidence, submission, return."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.formatting import plain, points
from common.forms import BootstrapFieldsMixin

from ..models import POINT_FIELD, Criterion, Score


class ScoreForm(BootstrapFieldsMixin, forms.Form):
    """A criterion's self score and explanation; the revision catches concurrent edits.

    Numbers are read the Vietnamese way ("7,5" is 7.5): `localize=True` uses the active
    language's DECIMAL_SEPARATOR. Range and cap checks are the service's (check_value)."""

    self_score = forms.DecimalField(label=_("Score"), required=False, localize=True, **POINT_FIELD)
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, score: Score, **kwargs):
        kwargs.setdefault("auto_id", f"id_score{score.pk}_%s")
        kwargs.setdefault(
            "initial",
            {
                "self_score": plain(score.self_score),
                "explanation": score.explanation,
                "revision": score.revision,
            },
        )
        super().__init__(*args, **kwargs)
        self.score = score
        criterion = score.criterion
        field = self.fields["self_score"]
        attrs = {"data-score-input": "", "data-criterion": str(criterion.pk)}
        if criterion.kind == Criterion.YES_NO:
            maximum = plain(criterion.max_points)
            field.widget = forms.RadioSelect(
                choices=[
                    ("0", _("No (0)")),
                    (str(maximum), _("Yes (%(max)s)") % {"max": points(maximum)}),
                ],
                attrs={**attrs, "class": "form-check-input"},
            )
        else:
            field.widget.attrs.update(attrs, inputmode="decimal", autocomplete="off")
        self.fields["explanation"].widget.attrs["data-explanation"] = ""


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))

    def __init__(self, *args, score: Score | None = None, **kwargs):
        if score is not None:
            kwargs.setdefault("auto_id", f"id_evidence{score.pk}_%s")
        super().__init__(*args, **kwargs)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        required=False,  # the service says what is missing, in its own words
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The unit sees this reason on its scorecard."),
    )
