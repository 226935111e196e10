"""The beat schedule names tasks that exist: a typo there fails silently in production
(beat sends a message no worker knows, and the work never happens)."""
from django.conf import settings

from lms.celery import app


def test_every_scheduled_task_is_registered():
    app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks.py
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "courses.assessment.tasks.review_digest_task", "payments.tasks.stripe_events_prune_task",
        "payments.tasks.orders_reconcile_task", "certification.tasks.certification_sweep_task",
    } <= scheduled
    assert scheduled - set(app.tasks) == set()
