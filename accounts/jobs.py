"""The accounts app's background jobs (see ``kernel/jobs.py``)."""
from kernel.jobs import Job

send_email = Job("accounts.tasks.send_email_task")
welcome_email = Job("accounts.tasks.send_welcome_email_task")
