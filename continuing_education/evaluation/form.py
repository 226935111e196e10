"""The evaluation form, built from the page's questions: a rating is a group of five
radio buttons (each labelled in words, not only a number), yes or no a group of two, free
text a text box. Fields are named by the question's block id, which every translation
keeps, so the answers read the same whichever language the form was filled in."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import RATING, TEXT, YES_NO, Question

RATING_CHOICES = [
    (1, _("1 – Strongly disagree")),
    (2, _("2 – Disagree")),
    (3, _("3 – Neither agree nor disagree")),
    (4, _("4 – Agree")),
    (5, _("5 – Strongly agree")),
]
YES_NO_CHOICES = [("yes", _("Yes")), ("no", _("No"))]
TEXT_MAX = 2000
ERRORS = {
    "required": _("Please answer this question."),
    "invalid_choice": _("Choose one of the answers given."),
}


def field_name(question: Question) -> str:
    return f"q-{question.id}"


class EvaluationForm(forms.Form):
    def __init__(self, *args, questions: list[Question], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[field_name(question)] = _field(question)

    def answers(self) -> dict[str, int | bool | str]:
        """The answers given, by question id (unanswered optional questions are left out)."""
        found = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if value is None or value == "":
                continue
            found[question.id] = value
        return found

    def items(self) -> list[tuple[Question, forms.BoundField]]:
        """Each question with its field, for the template."""
        return [(question, self[field_name(question)]) for question in self.questions]


def _field(question: Question) -> forms.Field:
    common = {"label": question.text, "required": question.required, "error_messages": ERRORS}
    if question.kind == RATING:
        return forms.TypedChoiceField(
            choices=RATING_CHOICES, coerce=int, empty_value=None, widget=forms.RadioSelect, **common
        )
    if question.kind == YES_NO:
        return forms.TypedChoiceField(
            choices=YES_NO_CHOICES, coerce=lambda value: value == "yes", empty_value=None, widget=forms.RadioSelect,
            **common,
        )
    assert question.kind == TEXT
    return forms.CharField(
        max_length=TEXT_MAX, strip=True, widget=forms.Textarea(attrs={"rows": 5}),
        **{**common, "error_messages": {**ERRORS, "max_length": _("Please keep this to %(limit_value)d characters.")}},
    )
