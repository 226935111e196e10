"""The questions of a course evaluation, authored in the CMS.

Answers are kept by each question's block id (``EvaluationResponse.answers``): a
translation keeps its source's ids (wagtail-localize), so answers given in any language
count against the same question of the source course."""
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class RatingQuestionBlock(blocks.StructBlock):
    """A statement rated from 1 (strongly disagree) to 5 (strongly agree)."""

    question = blocks.CharBlock(max_length=300, label=_("Statement"))
    required = blocks.BooleanBlock(required=False, default=True, label=_("Answer required"))

    class Meta:
        icon = "pick"
        label = _("Rating from 1 to 5")


class YesNoQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=300, label=_("Question"))
    required = blocks.BooleanBlock(required=False, default=True, label=_("Answer required"))

    class Meta:
        icon = "tick"
        label = _("Yes or no")


class TextQuestionBlock(blocks.StructBlock):
    """Free text. Shown to staff only as anonymous comments."""

    question = blocks.CharBlock(max_length=300, label=_("Question"))
    required = blocks.BooleanBlock(required=False, default=False, label=_("Answer required"))

    class Meta:
        icon = "edit"
        label = _("Free text")


class EvaluationQuestionsBlock(blocks.StreamBlock):
    rating = RatingQuestionBlock()
    yes_no = YesNoQuestionBlock()
    text = TextQuestionBlock()


def default_questions() -> list[tuple[str, dict]]:
    """The usual questions of a course evaluation, as a new evaluation page starts with
    them (staff may reword, reorder, add or remove any). Worded in the language active
    when the page is made (the author's admin language), since they are page content
    from then on, translated with the page like any other."""
    def rating(text: str) -> tuple[str, dict]:
        return ("rating", {"question": text, "required": True})

    return [
        rating(gettext("The learning objectives were met.")),
        rating(gettext("The content was relevant to my work.")),
        rating(gettext("The presenter and the material were clear and knowledgeable.")),
        ("yes_no", {"question": gettext("I would recommend this course to a colleague."), "required": True}),
        ("text", {"question": gettext("What could be better?"), "required": False}),
        ("text", {"question": gettext("Any other comments?"), "required": False}),
    ]
