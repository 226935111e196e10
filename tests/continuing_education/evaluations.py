"""Builders for the course evaluation tests."""
from continuing_education.models import EvaluationPage


def add_evaluation(course, *, title="Course evaluation", **fields) -> EvaluationPage:
    """A published evaluation under ``course``, with the usual questions unless given."""
    return course.add_child(instance=EvaluationPage(title=title, **fields))


def question_ids(page: EvaluationPage) -> dict[str, str]:
    """{kind and place ("rating1", "yes_no1", "text2"...): block id}."""
    seen: dict[str, int] = {}
    ids = {}
    for block in page.questions:
        seen[block.block_type] = seen.get(block.block_type, 0) + 1
        ids[f"{block.block_type}{seen[block.block_type]}"] = block.id
    return ids


def full_answers(page: EvaluationPage, *, rating="4", yes="yes", text="More role-play, please.") -> dict:
    """A POST answering every question of ``page``."""
    data = {}
    for block in page.questions:
        value = {"rating": rating, "yes_no": yes, "text": text}[block.block_type]
        data[f"q-{block.id}"] = value
    return data
