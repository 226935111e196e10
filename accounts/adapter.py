from allauth.account.adapter import DefaultAccountAdapter

from .tasks import send_email_task


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Render allauth's emails here, send them from a Celery task after commit."""
        message = self.render_mail(template_prefix, email, context)
        html = None
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        send_email_task.delay_on_commit(message.subject, message.body, list(message.to), html)
