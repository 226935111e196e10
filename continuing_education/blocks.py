"""The questions of a course evaluation, authored in the CMS."""
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
