"""The payments app's background jobs (see ``kernel/jobs.py``). A stored Stripe event is
swept (reconciliation processes events left unprocessed)."""
from kernel.jobs import Job

process_stripe_event = Job("payments.tasks.stripe_event_process_task", swept=True)
receipt_email = Job("payments.tasks.order_receipt_email_task")
refund_email = Job("payments.tasks.refund_email_task")
staff_alert = Job("payments.tasks.staff_alert_task")
scholarship_decision_email = Job("payments.tasks.scholarship_email_task")
scholarship_received_email = Job("payments.tasks.scholarship_received_task")
scholarship_staff_notice = Job("payments.tasks.scholarship_staff_notice_task")
