"""A learner's CE status and certificates. Thin: parse, authorise, call a selector or
service, render. A CE certificate asked for by anyone but its holder (or staff who may
read CE certificates) is a 404, exactly like one that does not exist."""
import json

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from certification.pdf import is_current

from . import credentials, selectors, services


@login_required
@require_GET
def status(request: HttpRequest) -> HttpResponse:
    """Each course with CE approvals the learner is enrolled in: every rule met or not,
    the hours credited and when the rest will be, and their CE certificates."""
    context = {
        "standings": selectors.ce_standings(user=request.user),
        "certificates": list(selectors.holder_ce_certificates(user=request.user)),
        "licence_url": selectors.licence_url(),
    }
    return TemplateResponse(request, "continuing_education/status.html", context)


@login_required
@require_GET
def pdf(request: HttpRequest, code: str) -> FileResponse:
    certificate = selectors.holder_ce_certificate(user=request.user, code=code)
    if certificate is None or certificate.revoked_at:
        raise Http404("No CE certificate PDF here.")
    if not is_current(certificate):
        # Not made yet, made before a reissue, for another address or in another
        # language: made now (the same idempotent service as the task).
        services.ce_certificate_render(certificate_id=certificate.pk)
        certificate.refresh_from_db(fields=["pdf", "pdf_revision", "pdf_base_url", "pdf_language", "revoked_at"])
    if certificate.revoked_at or not certificate.pdf:
        raise Http404("No CE certificate PDF here.")
    filename = f"ce-certificate-{certificate.display_code}.pdf"
    response = FileResponse(certificate.pdf.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def credential(request: HttpRequest, code: str) -> HttpResponse:
    """The holder's signed credential (Open Badges 3.0) as a download; the holder's only."""
    certificate = selectors.holder_ce_certificate(user=request.user, code=code)
    if certificate is None or certificate.holder_id != request.user.pk or certificate.revoked_at:
        raise Http404("No credential here.")
    document = services.ce_credential_issue(certificate=certificate)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2) + "\n", content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, credentials.credential_filename(certificate))
    response["Cache-Control"] = "private, no-store"
    return response
