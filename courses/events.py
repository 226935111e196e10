"""Signals other apps listen to, kept free of imports so anything can send them."""
from django.dispatch import Signal

# A learner completed a course: every required lesson done and required quiz passed
# (kwargs: enrollment_id, user_id, course_id). Sent inside the completing transaction.
enrollment_completed = Signal()
