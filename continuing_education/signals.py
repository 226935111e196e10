"""Evaluate CE when learning progresses; keep the verification page's cache true.

Every trigger is sent inside the transaction of its change: the request (a ``CECheck``
row) is written with it and the task is enqueued on commit (``services.ce_request``).
"""
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from certification.selectors import invalidate_verification
from courses.events import enrollment_completed
from courses.models import Enrollment, QuizAttempt

from . import services
from .events import ce_certificate_changed, evaluation_submitted, licence_saved


@receiver(enrollment_completed, dispatch_uid="continuing_education.enrollment_completed")
def evaluate_on_course_completed(sender: object, user_id: int, course_id: int, **kwargs: object) -> None:
    services.ce_request(user_id=user_id, course_id=course_id)


@receiver(post_save, sender=QuizAttempt, dispatch_uid="continuing_education.quiz_graded")
def evaluate_on_quiz_passed(sender: type[QuizAttempt], instance: QuizAttempt, **kwargs: object) -> None:
    # A better score after completion may meet an approval's passing score (which can be
    # above the quiz's pass mark). Before completion, completing the course asks anyway.
    update_fields = kwargs.get("update_fields")
    if instance.status != QuizAttempt.Status.GRADED or not instance.passed:
        return
    if update_fields is not None and "status" not in update_fields and "passed" not in update_fields:
        return
    course_id = (
        Enrollment.objects.filter(pk=instance.enrollment_id, status=Enrollment.Status.COMPLETED)
        .values_list("course_id", flat=True).first()
    )
    if course_id is not None:
        services.ce_request(user_id=instance.user_id, course_id=course_id)


@receiver(evaluation_submitted, dispatch_uid="continuing_education.evaluation_submitted")
def evaluate_on_evaluation(sender: object, user_id: int, course_id: int, **kwargs: object) -> None:
    services.ce_request(user_id=user_id, course_id=course_id)


@receiver(licence_saved, dispatch_uid="continuing_education.licence_saved")
def evaluate_on_licence(sender: object, user_id: int, **kwargs: object) -> None:
    services.ce_request_for_user(user_id=user_id)


@receiver(ce_certificate_changed, dispatch_uid="continuing_education.verification_cache")
def forget_verification(sender: object, code: str, **kwargs: object) -> None:
    # At once, and again after commit, so that a request that read the old row in
    # between does not leave it in the cache.
    invalidate_verification([code])
    transaction.on_commit(lambda: invalidate_verification([code]))
