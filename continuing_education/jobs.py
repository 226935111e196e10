"""Continuing education's background jobs (see ``kernel/jobs.py``). All are swept: the
state they act on is in the database, and ``services/sweep.py`` enqueues them again when
a message is lost."""
from kernel.jobs import Job

evaluate_ce = Job("continuing_education.tasks.ce_evaluate_task", swept=True)
render_ce_certificate = Job("continuing_education.tasks.ce_certificate_render_task", swept=True)
ce_certificate_issued_email = Job("continuing_education.tasks.ce_certificate_issued_email_task", swept=True)
