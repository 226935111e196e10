"""What a learner cannot do in continuing education, each with a message that is safe to
show them (views show ``message`` as it is)."""
from kernel.errors import Refusal


class CERefusal(Refusal):
    """A continuing-education request the rules refuse."""


class EvaluationRefused(CERefusal):
    """Not signed in, or not enrolled in the evaluation's course."""


class EvaluationAlreadySubmitted(CERefusal):
    """The learner's evaluation of this course was already received: nothing changes."""
