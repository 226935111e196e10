"""The organisations app's background jobs (see ``kernel/jobs.py``)."""
from kernel.jobs import Job

invitation_email = Job("organisations.tasks.invitation_email_task")
