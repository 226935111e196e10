"""Revoking and reinstating a certificate in the Wagtail admin.

Both need ``certification.revoke_certificate``, checked in ``dispatch`` before the method
is looked at, so a refused POST does nothing and the certificate is only loaded for
permitted users. Thin views: parse, authorise, call a service, render. Django's CSRF
middleware guards every POST.
"""
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext, gettext_lazy

from kernel.admin_views import RecordActionView

from .. import permissions, services
from ..models import Certificate
from .display import STATUS_LABELS
from .forms import ReinstateForm, RevokeForm


class CertificateActionView(RecordActionView):
    """A form that acts on one certificate, under its inspect page."""

    permission_required = permissions.REVOKE
    model = Certificate
    select_related = ("programme", "holder", "revoked_by")
    namespace = "certificate_admin"
    context_name = "certificate"

    def record_title(self) -> str:
        return self.record.display_code

    def get_context_data(self, **kwargs: object) -> dict:
        return super().get_context_data(status=STATUS_LABELS[self.record.status()], **kwargs)


class RevokeView(CertificateActionView):
    template_name = "certification/admin/revoke.html"
    form_class = RevokeForm
    page_title = gettext_lazy("Revoke certificate")
    header_icon = "warning"
    action_label = gettext_lazy("Revoke")

    def form_valid(self, form: RevokeForm) -> HttpResponse:
        try:
            services.certificate_revoke(
                certificate_id=self.record.pk, by=self.request.user,
                reason=form.cleaned_data["reason"], note=form.cleaned_data["note"],
            )
        except services.CertificationError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("Certificate %(code)s is revoked. Its verification page says so and its PDF is deleted.")
            % {"code": self.record.display_code},
        )
        return redirect("certificate_admin:inspect", self.record.pk)


class ReinstateView(CertificateActionView):
    template_name = "certification/admin/reinstate.html"
    form_class = ReinstateForm
    page_title = gettext_lazy("Reinstate certificate")
    header_icon = "rotate"
    action_label = gettext_lazy("Reinstate")

    def form_valid(self, form: ReinstateForm) -> HttpResponse:
        try:
            services.certificate_reinstate(certificate_id=self.record.pk, by=self.request.user, note=form.cleaned_data["note"])
        except services.CertificationError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("Certificate %(code)s is reinstated. Its verification page says valid again and its PDF is made anew.")
            % {"code": self.record.display_code},
        )
        return redirect("certificate_admin:inspect", self.record.pk)
