"""Signals other apps listen to, kept free of imports so anything can send them."""
from django.dispatch import Signal

# A learner completed a course: every required lesson done and required quiz passed
# (kwargs: enrollment_id, user_id, course_id). Sent inside the completing transaction.
enrollment_completed = Signal()

# A learner got a place on a course: an enrolment was made, or a withdrawn one came back
# (kwargs: enrollment_id, user_id, course_id, source, the Enrollment.Source that gave it).
# Sent inside the transaction that gives the place, after the enrolment row is written;
# receivers lock only rows that come after it (payments closes an open scholarship
# application for the course).
place_given = Signal()
