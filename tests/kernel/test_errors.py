"""``kernel/errors.py``: every app refuses a request with a ``Refusal`` whose ``message``
is what the person is shown, so one rule covers them all (a view may show it as it is)."""
import pytest

from certification.services import CertificationError
from courses.errors import AttemptRefused, LearningError
from kernel.errors import Refusal
from organisations.errors import OrganisationError, SeatsGone
from payments.services import CodeError, PaymentError


@pytest.mark.parametrize("error", [LearningError, CertificationError, PaymentError, OrganisationError])
def test_each_apps_refusal_is_a_kernel_refusal_that_keeps_its_message(error):
    refused = error("That course is closed.")
    assert isinstance(refused, Refusal)
    assert refused.message == str(refused) == "That course is closed."


def test_what_the_apps_add_stays_theirs():
    assert SeatsGone("Every place is taken.", field="course").field == "course"
    assert OrganisationError("No.").field is None
    assert CodeError("Unknown code.").field == "discount_code"
    assert AttemptRefused("Wait a day.", opens_at=None).message == "Wait a day."
