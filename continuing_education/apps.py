from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContinuingEducationConfig(AppConfig):
    """Continuing-education (CE) hours for licensed professionals: accrediting bodies and
    the network's approvals from them, the course evaluation, learners' licences and CE
    certificates. Sits above certification (it reuses its codes, signing and verification
    page) and below payments and organisations (the manager's dashboard shows CE hours)."""

    name = "continuing_education"
    label = "continuing_education"
    verbose_name = _("Continuing education")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from certification.selectors import register_status_kind, register_verification_lookup
        from courses import next_steps, page_views

        from . import signals  # noqa: F401
        from . import terms
        from .evaluation.next_steps import evaluation_steps
        from .evaluation.views import evaluation_page
        from .models import CECertificate, EvaluationPage
        from .selectors import ce_certificate_ids_in_force, ce_verification_data

        # Pages keep courses' CE terms under the content version: a change shows at once.
        for model in terms.WATCHED:
            post_save.connect(terms.invalidate_on_change, sender=model, dispatch_uid=f"ce-terms-saved-{model.__name__}")
            post_delete.connect(terms.invalidate_on_change, sender=model, dispatch_uid=f"ce-terms-deleted-{model.__name__}")
        # certification cannot import this app: its verification page and JSON look CE
        # codes up through this registered lookup.
        register_verification_lookup(ce_verification_data)
        # ... and its revocation lists hold CE certificates' places, set unless this app
        # says the certificate is in force.
        register_status_kind(CECertificate.STATUS_KIND, in_force=ce_certificate_ids_in_force)

        # The evaluation page asks the evaluation view what to show, as course pages do.
        page_views.register(EvaluationPage, serve=evaluation_page)
        # courses cannot import continuing_education: what is left once the lessons are
        # done (course page, message after the last lesson, quiz result, completion email)
        # asks through this registered lookup whether the course's evaluation waits.
        next_steps.register_step_lookup(evaluation_steps)
