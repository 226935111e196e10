"""The certification app's background jobs (see ``kernel/jobs.py``). All are swept: the
state they act on is in the database, and ``services/sweep.py`` enqueues them again when
a message is lost."""
from kernel.jobs import Job

evaluate_programmes = Job("certification.tasks.programmes_evaluate_task", swept=True)
reissue_certificates = Job("certification.tasks.certificates_reissue_task", swept=True)
render_certificate = Job("certification.tasks.certificate_render_task", swept=True)
certificate_issued_email = Job("certification.tasks.certificate_issued_email_task", swept=True)
