"""A daily email to assessment reviewers when learners wait on them.

Written answers wait for a person; the learner has been told "a reviewer will mark it". The
admin menu counts the queue, but reviewers are volunteers who do not open the admin every
day: once a day (beat, the morning), each active reviewer with an email is told how many
attempts wait, how long the oldest has waited, by course, and how many could not be graded
automatically. Nothing is sent on a day with nothing waiting. Names and answers stay in the
admin. Superusers hold every permission but are not reviewers by role: they are not mailed.

Once a day, safe to repeat: the day's ``ReviewDigest`` row is created in the transaction
that sends, so a second run (a retry, a second beat) finds it and sends nothing. A send
that fails part-way rolls the row back and the retry mails everyone again: a reviewer may
get the day's email twice, never none.
"""
from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone

from kernel import emails

from ...models import QuizAttempt, ReviewDigest
from ..selectors import reviewers

Status = QuizAttempt.Status


def review_digest_send(*, now: datetime | None = None) -> int:
    """Email today's digest to each reviewer; returns how many emails this call sent."""
    now = now or timezone.now()
    waiting = QuizAttempt.objects.filter(status=Status.NEEDS_REVIEW)
    totals = waiting.aggregate(count=Count("pk"), oldest=Min("submitted_at"))
    failed = QuizAttempt.objects.filter(status=Status.FAILED).count()
    if not totals["count"] and not failed:
        return 0
    people = list(reviewers().only("email", "certificate_name"))
    if not people:
        return 0
    by_course = list(
        waiting.values("enrollment__course__title").annotate(count=Count("pk")).order_by("-count", "enrollment__course__title")
    )
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    context = {
        "waiting": totals["count"], "oldest": totals["oldest"], "failed": failed, "now": now,
        "by_course": [(row["enrollment__course__title"], row["count"]) for row in by_course],
        "queue_url": f"{base}{reverse('quiz_reviews:index')}",
    }
    try:
        with transaction.atomic():
            ReviewDigest.objects.create(
                day=timezone.localdate(now), waiting=totals["count"], failed=failed, recipients=len(people), sent_at=now,
            )
            for person in people:  # one each: reviewers do not see each other's addresses
                emails.send_templated(
                    template="courses/email/review_digest", context={**context, "reviewer": person}, to=[person.email]
                )
    except IntegrityError:  # today's digest is sent (or being sent by another run)
        return 0
    return len(people)
