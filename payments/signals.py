"""Receivers for what courses announces (courses never imports payments)."""
from django.dispatch import receiver

from courses import events
from courses.models import Enrollment

from . import scholarships


@receiver(events.place_given, dispatch_uid="payments.place_given")
def _place_given(sender, enrollment_id, user_id, course_id, source, **kwargs):
    # A place however it came (paid, a code, a seat, staff, a free course): an application
    # still waiting for the same course has nothing left to decide.
    how = Enrollment.Source(source).label if source in Enrollment.Source.values else source
    scholarships.scholarship_close_on_place(
        user_id=user_id, course_id=course_id, enrollment_id=enrollment_id, how=str(how)
    )
