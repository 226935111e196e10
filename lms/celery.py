"""The Celery app.

Settings come from Django's settings (CELERY_* names). With no broker configured
(the zero-setup demo), tasks run in-process: see ``CELERY_TASK_ALWAYS_EAGER`` in
``lms/settings/base.py``.
"""
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
def _yield_cpu_to_web_requests(**kwargs):
    """See ``lms/worker_priority.py``; ``WORKER_NICE`` (default 10, 0 to keep the priority)."""
    from django.conf import settings

    from .worker_priority import lower_priority

    lower_priority(int(getattr(settings, "WORKER_NICE", 0)))
