"""Backends for a worker that a test kills in the middle of a task.

Each one, when the task reaches it, says so (a file ``<what>-<pid>`` in ``BLOCK_DIR``) and
then waits, holding whatever the task holds at that point (its transaction and row
locks), until the test kills the worker. A worker gets them through the test settings'
environment (``TEST_DEFAULT_STORAGE``, ``EMAIL_BACKEND``): the code under test knows
nothing of them.

- ``BlockingStorage``: a certificate's PDF is rendered but not stored yet.
- ``BlockingEmailBackend``: the "issued" email is about to be sent, not marked sent yet.
"""
import os
import time
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.core.mail.backends.filebased import EmailBackend

# Never forever: a test that forgot to kill the worker fails instead of hanging.
LONGEST_SECONDS = 120


def _arrive_and_wait(what: str) -> None:
    (Path(os.environ["BLOCK_DIR"]) / f"{what}-{os.getpid()}").touch()
    deadline = time.monotonic() + LONGEST_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.05)
    raise RuntimeError(f"{what}: blocked for {LONGEST_SECONDS} s and the test did not kill this worker")


class BlockingStorage(FileSystemStorage):
    def _save(self, name, content):
        _arrive_and_wait("storage")
        return super()._save(name, content)


class BlockingEmailBackend(EmailBackend):
    def send_messages(self, email_messages):
        _arrive_and_wait("email")
        return super().send_messages(email_messages)
