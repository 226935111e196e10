"""Why a slip cannot be issued or requested: a message for the person, and nothing stored."""


class Refused(Exception):
    """Raised by the attendance services before anything is written; ``message`` is
    translated, ready to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
