"""The base of every error an app raises to refuse a request in words for the person who
made it (``courses.errors.LearningError``, ``certification``'s ``CertificationError``,
``payments``' ``PaymentError``, ``organisations.errors.OrganisationError``): views show
``message`` as it is, so it never holds anything the person may not see."""


class Refusal(Exception):
    """A request the rules refuse; ``message`` says why, safe to show the person asking."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
