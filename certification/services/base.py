"""What every certification service shares: the error staff and learners are shown, and
the name a certificate prints."""
from accounts.models import User
from kernel.errors import Refusal


class CertificationError(Refusal):
    """A request the rules refuse; ``message`` says why, in words for the person asking."""


def holder_name(user: User) -> str:
    """The name printed on a certificate: the one the holder chose, else their account's."""
    return (user.certificate_name or user.get_full_name() or user.email).strip()
