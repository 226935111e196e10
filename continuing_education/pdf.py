"""The CE certificate PDF, made by certification's press (``certification.pdf``): the same
fonts for names in any script, the same QR code and the same refusal to fetch anything
but ``data:`` URIs. Made in its holder's language and time zone, and made again on
download when it is not current (``certification.pdf.is_current``: revision, site
address, language), which is how a reissue (a new name or licence) reaches the PDF.

It prints what the certificate copied at issue, never the approval or course as edited
since; only the body's logo is read from the body now (images are not copied).
"""
from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from certification.pdf import image_data_uri, name_style, qr_svg, render_pdf, verification_url

from .models import CECertificate, ProfessionalLicence


def profession_text(value: str) -> str:
    """A profession as printed: its name in the current language when it is one of the
    list's (copied as its key, or as its name in English), else the holder's own words."""
    labels = dict(ProfessionalLicence.Profession.choices)
    if value in labels:
        return str(labels[value])
    with translation.override("en"):
        english = {str(label): key for key, label in labels.items()}
    return str(labels[english[value]]) if value in english else value


def render_ce_html(certificate: CECertificate) -> str:
    """The PDF's HTML in the current language and time zone."""
    url = verification_url(certificate)
    body = certificate.approval.body
    return render_to_string(
        "continuing_education/certificate_pdf.html",
        {
            "certificate": certificate,
            "profession": profession_text(certificate.profession),
            "name": name_style(certificate.holder_name),
            "verify_url": url,
            "qr_svg": qr_svg(url),
            "logo": image_data_uri(body.logo),
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
    )


def render_ce_certificate(certificate: CECertificate, *, language: str | None = None, time_zone: str | None = None) -> bytes:
    return render_pdf(certificate, render_ce_html, language=language, time_zone=time_zone)
