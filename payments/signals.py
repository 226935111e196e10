"""Receivers for what courses announces (courses never imports payments)."""
from django.dispatch import receiver

from courses import events
from courses.models import Enrollment

from . import services


@receiver(events.place_given, dispatch_uid="payments.place_given")
def _place_given(
    sender: object, enrollment_id: int, user_id: int, course_id: int, source: str, **kwargs: object
) -> None:
    # A place however it came (paid, a code, a seat, staff, a free course): an application
    # still waiting for the same course has nothing left to decide.
    how = Enrollment.Source(source).label if source in Enrollment.Source.values else source
    services.scholarship_close_on_place(
        user_id=user_id, course_id=course_id, enrollment_id=enrollment_id, how=str(how)
    )
