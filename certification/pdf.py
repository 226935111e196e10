"""The certificate PDF: an HTML template rendered by WeasyPrint, with an inline SVG QR
code that opens the public verification page.

Images (logo, signature) are read from storage and inlined as data URIs, so rendering
never fetches anything over the network, and WeasyPrint's URL fetcher refuses anything
else.
"""
from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

if TYPE_CHECKING:
    from wagtail.images.models import AbstractImage
    from weasyprint.urls import URLFetcher

    from .models import Certificate


def site_base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def verification_url(certificate: Certificate) -> str:
    return site_base_url() + reverse("certification:verify", args=[certificate.code])


def is_current(certificate: Certificate) -> bool:
    """Whether the stored PDF shows the certificate as it is now, with links to the
    address the site is served on now. Anything else is rendered again before it is
    handed out: a PDF made for another BASE_URL would print a dead address and QR code."""
    return bool(
        certificate.pdf
        and certificate.pdf_revision == certificate.revision
        and certificate.pdf_base_url == site_base_url()
    )


def qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg"):]  # drop the XML declaration: it is inlined in HTML


def _data_uri(image: AbstractImage | None) -> str | None:
    if image is None:
        return None
    try:
        rendition = image.get_rendition("max-600x300|format-png")
        with rendition.file.open("rb") as handle:
            return "data:image/png;base64," + base64.b64encode(handle.read()).decode()
    except (OSError, ValueError):
        return None  # a missing file must not stop a certificate being issued


def _data_only_fetcher() -> URLFetcher:
    """WeasyPrint's fetcher limited to ``data:`` URIs: anything else is refused (WeasyPrint
    logs a warning and leaves the resource out). Since WeasyPrint 70 a fetcher must be a
    ``URLFetcher``: a plain function fails on the first image."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)


def render_html(certificate: Certificate) -> str:
    programme = certificate.programme
    return render_to_string(
        "certification/certificate_pdf.html",
        {
            "certificate": certificate,
            "programme": programme,
            "wording": programme.wording.replace("{programme}", programme.title),
            "verify_url": verification_url(certificate),
            "qr_svg": qr_svg(verification_url(certificate)),
            "logo": _data_uri(programme.logo),
            "signature": _data_uri(programme.signature_image),
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
    )


def render_certificate(certificate: Certificate) -> bytes:
    from weasyprint import HTML  # heavy import: only where PDFs are made

    buffer = io.BytesIO()
    HTML(string=render_html(certificate), url_fetcher=_data_only_fetcher(), base_url="/").write_pdf(buffer)
    return buffer.getvalue()
