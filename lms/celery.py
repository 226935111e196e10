"""The Celery app.

Settings come from Django's settings (CELERY_* names). With no broker configured
(the zero-setup demo), tasks run in-process: see ``CELERY_TASK_ALWAYS_EAGER`` in
``lms/settings/base.py``.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
