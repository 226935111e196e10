"""The certificate PDF: an HTML template rendered by WeasyPrint, with an inline SVG QR
code that opens the public verification page.

Images (logo, signature) are read from storage and inlined as data URIs, so rendering
never fetches anything over the network, and WeasyPrint's URL fetcher refuses anything
else.

A PDF is made in its holder's language and time zone (``selectors.holder_locale``) and
records the language (``Certificate.pdf_language``): when the holder chooses another
language, the next download makes it again (``is_current``). The programme's words are
its version in that language where staff wrote one (``Programme.words``). Names are printed in any
script: WeasyPrint shapes text with Pango and HarfBuzz using the machine's fonts (Debian's
Noto fonts, installed by ``scripts/ensure-fonts``), and ``name_style`` picks the fonts and
the direction that suit the name.
"""
from __future__ import annotations

import base64
import io
import unicodedata
from typing import TYPE_CHECKING, Any, Callable

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

if TYPE_CHECKING:
    from wagtail.images.models import AbstractImage
    from weasyprint.urls import URLFetcher

    from .models import Certificate


def site_base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def verification_url(certificate: Certificate) -> str:
    """The address printed (and in the QR code) on the PDF: without a language prefix, so
    whoever scans it reads the page in their own language, as the credential's id."""
    with translation.override(settings.LANGUAGE_CODE):
        return site_base_url() + reverse("certification:verify", args=[certificate.code])


def is_current(certificate: Certificate) -> bool:
    """Whether the stored PDF shows the certificate as it is now, with links to the
    address the site is served on now, in the language its holder reads. Anything else
    is rendered again before it is handed out: a PDF made for another BASE_URL would print
    a dead address and QR code."""
    from .selectors import holder_locale

    return bool(
        certificate.pdf
        and certificate.pdf_revision == certificate.revision
        and certificate.pdf_base_url == site_base_url()
        and certificate.pdf_language == holder_locale(user_id=certificate.holder_id).language
    )


# Han characters are shared by Chinese, Japanese and Korean but drawn a little
# differently in each: a name with kana is Japanese, one with hangul Korean; any other is
# drawn with the Chinese forms first.
_CJK_SERIF = {
    "ja": ["Noto Serif CJK JP", "Noto Serif CJK SC", "Noto Serif CJK KR"],
    "ko": ["Noto Serif CJK KR", "Noto Serif CJK SC", "Noto Serif CJK JP"],
    "zh": ["Noto Serif CJK SC", "Noto Serif CJK JP", "Noto Serif CJK KR"],
}


def name_style(name: str) -> dict[str, str]:
    """The CSS font stack and the writing direction for a printed name: "rtl" when its
    first strong character is written right to left (Arabic, Hebrew), else "ltr"."""
    han = "zh"
    direction = ""
    for char in name:
        unicode_name = unicodedata.name(char, "")
        if "HIRAGANA" in unicode_name or "KATAKANA" in unicode_name:
            han = "ja"
        elif "HANGUL" in unicode_name and han != "ja":
            han = "ko"
        if not direction:
            kind = unicodedata.bidirectional(char)
            direction = "rtl" if kind in ("R", "AL") else "ltr" if kind == "L" else ""
    fonts = ["DejaVu Serif", "Noto Serif", "Noto Naskh Arabic", "Noto Serif Hebrew", *_CJK_SERIF[han], "serif"]
    return {"fonts": ", ".join(f'"{font}"' if font != "serif" else font for font in fonts), "direction": direction or "ltr"}


def qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg"):]  # drop the XML declaration: it is inlined in HTML


def image_data_uri(image: AbstractImage | None) -> str | None:
    if image is None:
        return None
    try:
        rendition = image.get_rendition("max-600x300|format-png")
        with rendition.file.open("rb") as handle:
            return "data:image/png;base64," + base64.b64encode(handle.read()).decode()
    except (OSError, ValueError):
        return None  # a missing file must not stop a certificate being issued


def data_only_fetcher() -> URLFetcher:
    """WeasyPrint's fetcher limited to ``data:`` URIs: anything else is refused (WeasyPrint
    logs a warning and leaves the resource out). Since WeasyPrint 70 a fetcher must be a
    ``URLFetcher``: a plain function fails on the first image."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)


def render_html(certificate: Certificate) -> str:
    """The PDF's HTML in the current language and time zone (``render_certificate``
    switches to the holder's): the programme's words in that language where staff gave
    them, else in the programme's own (``Programme.words``)."""
    programme = certificate.programme
    words = programme.words()
    return render_to_string(
        "certification/certificate_pdf.html",
        {
            "certificate": certificate,
            "programme": programme,
            "certificate_title": words.certificate_title,
            "wording": words.wording,
            "name": name_style(certificate.holder_name),
            "verify_url": verification_url(certificate),
            "qr_svg": qr_svg(verification_url(certificate)),
            "logo": image_data_uri(programme.logo),
            "signature": image_data_uri(programme.signature_image),
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
    )


def render_certificate(certificate: Certificate, *, language: str | None = None, time_zone: str | None = None) -> bytes:
    """The PDF, in the holder's language and time zone unless others are given."""
    return render_pdf(certificate, render_html, language=language, time_zone=time_zone)


def render_pdf(
    certificate: object, html_of: Callable[[Any], str], *, language: str | None = None, time_zone: str | None = None
) -> bytes:
    """A certificate's PDF from ``html_of(certificate)``, rendered in the holder's language
    and time zone unless others are given, fetching nothing but ``data:`` URIs. Continuing
    education's CE certificates are made by the same press."""
    from weasyprint import HTML  # heavy import: only where PDFs are made

    from .selectors import holder_locale

    if language is None or time_zone is None:
        locale = holder_locale(user_id=certificate.holder_id)
        language, time_zone = language or locale.language, time_zone or locale.time_zone
    buffer = io.BytesIO()
    with translation.override(language), timezone.override(time_zone):
        html = html_of(certificate)
    HTML(string=html, url_fetcher=data_only_fetcher(), base_url="/").write_pdf(buffer)
    return buffer.getvalue()
