"""Forms for the staff pages: the review queue's filter and the reviewer's marks."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy as _

from .. import scoring
from ..models import CoursePage


class QueueFilterForm(forms.Form):
    course = forms.ModelChoiceField(
        queryset=CoursePage.objects.order_by("title"), required=False, empty_label=_("All courses")
    )
    days = forms.TypedChoiceField(
        label=_("Waiting"),
        choices=[
            ("", _("Any time")), ("1", _("More than 1 day")), ("3", _("More than 3 days")), ("7", _("More than 7 days")),
        ],
        coerce=int, empty_value=None, required=False,
    )


def mark_name(question_id: str, criterion: int) -> str:
    return f"mark-{question_id}-{criterion}"


class ReviewForm(forms.Form):
    """One mark per rubric criterion of each written question, plus a comment.

    Marks start empty on purpose: a criterion the reviewer skipped must be an error, not
    a silent zero.
    """

    comment = forms.CharField(
        label=_("Comment for the learner"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Sent to the learner with the result."),
    )

    def __init__(self, *args, questions: list[dict], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.written = [q for q in questions if q["type"] == scoring.WRITTEN]
        for q in self.written:
            for i, criterion in enumerate(q["rubric"]):
                top = criterion["points"]
                self.fields[mark_name(q["id"], i)] = forms.TypedChoiceField(
                    label=criterion["criterion"],
                    choices=[("", _("Choose a mark"))]
                    + [(n, gettext("%(mark)s of %(points)s") % {"mark": n, "points": top}) for n in range(top + 1)],
                    coerce=int,
                    error_messages={
                        "required": _("Choose a mark for this criterion."),
                        "invalid_choice": gettext("A mark for this criterion is a whole number from 0 to %(points)s.")
                        % {"points": top},
                    },
                )
        self.order_fields([name for name in self.fields if name != "comment"])

    def clean(self) -> dict:
        # A mark for a question this attempt does not have means a stale or altered form.
        if any(key.startswith("mark-") and key not in self.fields for key in self.data):
            raise ValidationError(
                gettext("The marks sent do not match this attempt's questions. Reload the page and try again.")
            )
        return super().clean()

    def marks_for(self, question: dict) -> list[forms.BoundField]:
        return [self[mark_name(question["id"], i)] for i in range(len(question["rubric"]))]

    def scores(self) -> dict[str, list[int]]:
        return {
            q["id"]: [self.cleaned_data[mark_name(q["id"], i)] for i in range(len(q["rubric"]))]
            for q in self.written
        }
