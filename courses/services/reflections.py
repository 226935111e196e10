"""Learners' private answers to a lesson's reflection prompts (only their author sees them)."""
from django.utils.translation import gettext
from accounts.models import User

from ..errors import LearningError
from ..models import LessonPage, ReflectionAnswer


def reflection_save(*, user: User, lesson: LessonPage, block_id: str, text: str) -> ReflectionAnswer:
    """Keep a learner's private answer to one of the lesson's reflection prompts."""
    prompt_ids = {block.id for block in lesson.body if block.block_type == "reflection"}
    if block_id not in prompt_ids:
        raise LearningError(gettext("That reflection question is not in this lesson."))
    text = text.strip()
    if len(text) > 10_000:
        raise LearningError(gettext("Please keep your reflection under 10,000 characters."))
    answer, _ = ReflectionAnswer.objects.update_or_create(
        user=user, lesson=lesson, block_id=block_id, defaults={"text": text}
    )
    return answer
