"""Revoking, reinstating and reissuing a CE certificate in the Wagtail admin.

Each needs ``continuing_education.manage_ce_certificates``, checked in ``dispatch`` before
the method is looked at, so a refused POST does nothing and the certificate is loaded only
for permitted staff. Thin views: parse, authorise, call a service, render. Django's CSRF
middleware guards every POST.
"""
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext, gettext_lazy

from kernel.admin_views import RecordActionView

from .. import permissions
from ..models import CECertificate, ProfessionalLicence
from ..services import staff
from .display import STATUS_LABELS, hours_text, person
from .forms import CEReinstateForm, CEReissueForm, CERevokeForm


class CECertificateActionView(RecordActionView):
    """A form that acts on one CE certificate, under its inspect page."""

    permission_required = permissions.MANAGE
    model = CECertificate
    select_related = ("holder", "approval__body", "revoked_by")
    namespace = "ce_certificates"
    context_name = "certificate"

    def record_title(self) -> str:
        return self.record.display_code

    def get_context_data(self, **kwargs: object) -> dict:
        return super().get_context_data(
            status=STATUS_LABELS[self.record.status()], hours=hours_text(self.record.hours),
            revoked_by=person(self.record.revoked_by) if self.record.revoked_by_id else "", **kwargs,
        )

    def done(self, text: str) -> HttpResponse:
        messages.success(self.request, text % {"code": self.record.display_code})
        return redirect("ce_certificates:inspect", self.record.pk)


class CERevokeView(CECertificateActionView):
    template_name = "continuing_education/admin/revoke.html"
    form_class = CERevokeForm
    page_title = gettext_lazy("Revoke CE certificate")
    header_icon = "warning"
    action_label = gettext_lazy("Revoke")

    def form_valid(self, form: CERevokeForm) -> HttpResponse:
        try:
            staff.ce_certificate_revoke(
                certificate_id=self.record.pk, by=self.request.user,
                reason=form.cleaned_data["reason"], note=form.cleaned_data["note"],
            )
        except staff.CEStaffError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        return self.done(gettext("CE certificate %(code)s is revoked. Its verification page says so and its PDF is no longer served."))


class CEReinstateView(CECertificateActionView):
    template_name = "continuing_education/admin/reinstate.html"
    form_class = CEReinstateForm
    page_title = gettext_lazy("Reinstate CE certificate")
    header_icon = "rotate"
    action_label = gettext_lazy("Reinstate")

    def form_valid(self, form: CEReinstateForm) -> HttpResponse:
        try:
            staff.ce_certificate_reinstate(certificate_id=self.record.pk, by=self.request.user, note=form.cleaned_data["note"])
        except staff.CEStaffError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        return self.done(gettext("CE certificate %(code)s is reinstated. Its verification page says valid again."))


class CEReissueView(CECertificateActionView):
    """Shows what would change (the holder's current name and licence beside those printed)
    before staff confirm."""

    template_name = "continuing_education/admin/reissue.html"
    form_class = CEReissueForm
    page_title = gettext_lazy("Reissue CE certificate")
    header_icon = "rotate"
    action_label = gettext_lazy("Reissue")

    def get_context_data(self, **kwargs: object) -> dict:
        certificate = self.record
        licence = ProfessionalLicence.objects.filter(user_id=certificate.holder_id).first()
        current = {"holder_name": staff.holder_name(certificate.holder)}
        if licence is not None:
            current.update({field: str(getattr(licence, source)) for field, source in staff.LICENCE_FIELDS})
        labels = {
            "holder_name": gettext("Name"), "profession": gettext("Profession"), "issuing_board": gettext("Issuing board"),
            "licence_region": gettext("State or country"), "licence_number": gettext("Licence number"),
        }
        rows = [
            {"label": label, "printed": getattr(certificate, field), "current": current.get(field, ""),
             "changed": field in current and current[field] != getattr(certificate, field)}
            for field, label in labels.items()
        ]
        return super().get_context_data(rows=rows, has_licence=licence is not None,
                                        anything_changed=any(r["changed"] for r in rows), **kwargs)

    def form_valid(self, form: CEReissueForm) -> HttpResponse:
        try:
            staff.ce_certificate_reissue(certificate_id=self.record.pk, by=self.request.user, note=form.cleaned_data["note"])
        except staff.CEStaffError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        return self.done(gettext("CE certificate %(code)s is reissued with the holder's current name and licence. Its PDF is made anew."))
