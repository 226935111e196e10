"""``kernel/jobs.py``: services enqueue work by a job's name; each name must be a task a
worker runs, and only swept jobs shrug off a broker that cannot be reached."""
import importlib
import logging
from pathlib import Path

import pytest
from celery import Task
from kombu.exceptions import OperationalError

from kernel.jobs import Job
from lms.celery import app

ROOT = Path(__file__).resolve().parents[2]


def every_job() -> list[tuple[str, Job]]:
    found = []
    for path in sorted(ROOT.glob("*/jobs.py")):
        module = importlib.import_module(f"{path.parent.name}.jobs")
        found += [(f"{module.__name__}.{name}", job) for name, job in vars(module).items() if isinstance(job, Job)]
    return found


def test_every_app_with_background_work_lists_its_jobs():
    apps = {name.split(".")[0] for name, _ in every_job()}
    assert {"accounts", "courses", "certification", "payments", "organisations"} <= apps


@pytest.mark.parametrize(("name", "job"), every_job(), ids=[name for name, _ in every_job()])
def test_every_job_names_a_task_a_worker_registers(name, job):
    app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks.py
    assert isinstance(job.task, Task), f"{name} names {job.path}, which is not a Celery task"
    assert job.task.name in app.tasks, f"{name}: a worker would not know {job.task.name}"


def test_a_job_naming_nothing_fails_when_enqueued():
    with pytest.raises(ImportError):
        Job("accounts.tasks.no_such_task").enqueue(1)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_enqueued_on_commit_runs_after_the_commit_and_not_after_a_rollback(mailoutbox):
    from django.db import transaction

    from accounts import jobs

    with transaction.atomic():
        jobs.send_email.enqueue_on_commit("Kept", "body", ["a@example.org"])
        assert mailoutbox == []  # not before the commit
    assert [m.subject for m in mailoutbox] == ["Kept"]
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.send_email.enqueue_on_commit("Rolled back", "body", ["b@example.org"])
        raise RuntimeError
    assert [m.subject for m in mailoutbox] == ["Kept"]


def test_a_swept_job_leaves_its_work_to_the_sweep_when_the_broker_is_down(broker_down, caplog):
    swept = Job("accounts.tasks.send_email_task", swept=True)
    with caplog.at_level(logging.WARNING, logger="kernel.jobs"):
        swept.enqueue("Subject", "body", ["c@example.org"])
    assert "left to its sweep" in caplog.text


def test_any_other_job_raises_when_the_broker_is_down(broker_down):
    with pytest.raises(OperationalError):
        Job("accounts.tasks.send_email_task").enqueue("Subject", "body", ["d@example.org"])
