"""StreamField blocks for quiz questions, used on quiz pages and in question banks.

Each question block's StreamField id, and each option's ListBlock item id, are stable
across edits: attempts snapshot them as question and option ids, which is what lets staff
fix an answer key and regrade (``courses.assessment.services.regrade``) without losing
track of which answer was given to which question.
"""
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


def _invalid(message: str) -> StructBlockValidationError:
    return StructBlockValidationError(non_block_errors=ErrorList([ValidationError(message)]))


class OptionBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False, help_text=_("Tick the right answer(s)."))
    feedback = blocks.TextBlock(
        required=False,
        help_text=_("Shown to a learner who chose this option, when the quiz shows feedback."),
    )

    class Meta:
        icon = "radio-full"


class QuestionBase(blocks.StructBlock):
    scenario = blocks.TextBlock(
        required=False,
        help_text=_("Optional: a short meeting situation the question is about (no real people)."),
    )
    prompt = blocks.TextBlock(help_text=_("The question itself."))
    explanation = blocks.TextBlock(
        required=False, help_text=_("Why the answer is right; shown when the quiz shows answers.")
    )
    points = blocks.IntegerBlock(min_value=1, max_value=100, default=1)


class SingleChoiceBlock(QuestionBase):
    options = blocks.ListBlock(OptionBlock(), min_num=2, max_num=10)

    class Meta:
        icon = "radio-full"
        label = _("Single choice")

    def clean(self, value: blocks.StructValue) -> blocks.StructValue:
        value = super().clean(value)
        if sum(1 for option in value["options"] if option["correct"]) != 1:
            raise _invalid(_("Tick exactly one correct option."))
        return value


class MultipleChoiceBlock(QuestionBase):
    options = blocks.ListBlock(OptionBlock(), min_num=2, max_num=10)
    scoring = blocks.ChoiceBlock(
        choices=[
            ("all_or_nothing", _("All or nothing: full marks only for exactly the right options")),
            ("partial", _("Partial credit: each right option earns a share, each wrong one costs one")),
        ],
        default="all_or_nothing",
    )

    class Meta:
        icon = "tasks"
        label = _("Multiple choice")

    def clean(self, value: blocks.StructValue) -> blocks.StructValue:
        value = super().clean(value)
        if not any(option["correct"] for option in value["options"]):
            raise _invalid(_("Tick at least one correct option."))
        return value


class TrueFalseBlock(QuestionBase):
    answer = blocks.ChoiceBlock(choices=[("true", _("True")), ("false", _("False"))], default="true")

    class Meta:
        icon = "success"
        label = _("True or false")


class ShortTextBlock(QuestionBase):
    accepted = blocks.ListBlock(
        blocks.CharBlock(max_length=200),
        min_num=1,
        help_text=_("Answers to accept. Capitals and extra spaces are ignored."),
    )

    class Meta:
        icon = "pilcrow"
        label = _("Short text")


class RubricCriterionBlock(blocks.StructBlock):
    criterion = blocks.CharBlock(max_length=300, help_text=_("What the reviewer looks for."))
    points = blocks.IntegerBlock(min_value=1, max_value=100, default=1)


class WrittenBlock(blocks.StructBlock):
    """Graded by staff against the rubric: the question is worth the rubric's points."""

    scenario = blocks.TextBlock(required=False)
    prompt = blocks.TextBlock()
    min_length = blocks.IntegerBlock(
        min_value=0, max_value=5000, default=100, help_text=_("Fewest characters to accept.")
    )
    rubric = blocks.ListBlock(RubricCriterionBlock(), min_num=1)
    explanation = blocks.TextBlock(
        required=False, help_text=_("What a good answer covers; shown when the quiz shows answers.")
    )

    class Meta:
        icon = "edit"
        label = _("Written response (reviewed by staff)")


class QuestionStreamBlock(blocks.StreamBlock):
    single = SingleChoiceBlock()
    multiple = MultipleChoiceBlock()
    true_false = TrueFalseBlock()
    short_text = ShortTextBlock()
    written = WrittenBlock()
