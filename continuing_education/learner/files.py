"""The CE transcript as a PDF (WeasyPrint) and as CSV.

The PDF is made in the holder's language and time zone, as certificate PDFs are
(``certification.selectors.holder_locale``), with fonts for any script (Debian's Noto
fonts; ``certification.pdf.name_style`` picks the stack and direction for the name).
It is made on each download and never stored: it holds nothing a later edit could make
wrong, and a transcript is asked for rarely. WeasyPrint may fetch only ``data:`` URIs.
"""
from collections.abc import Iterator
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import User
from certification.pdf import name_style
from certification.selectors import holder_locale
from kernel.spreadsheets import csv_stream
from kernel.when import day_text

from ..selectors import Transcript, transcript_for


def transcript_pdf(*, user: User, since: date | None, until: date | None) -> bytes:
    from weasyprint import HTML  # heavy import: only where PDFs are made
    from weasyprint.urls import URLFetcher

    locale = holder_locale(user_id=user.pk)
    with translation.override(locale.language), timezone.override(locale.time_zone):
        transcript = transcript_for(user=user, since=since, until=until)
        html = render_to_string(
            "continuing_education/transcript_pdf.html",
            {
                "transcript": transcript,
                "name": name_style(transcript.holder_name),
                "site_name": settings.WAGTAIL_SITE_NAME,
                "made_on": day_text(timezone.now()),
            },
        )
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)
    return HTML(string=html, url_fetcher=fetcher, base_url="/").write_pdf()


def csv_header() -> list[str]:
    return [
        gettext("Code"), gettext("Course"), gettext("Accrediting body"), gettext("Provider number"),
        gettext("CE hours"), gettext("Completed on"), gettext("Licence number"), gettext("Status"),
    ]


def csv_rows(transcript: Transcript) -> Iterator[list]:
    """One row per certificate, in completion order; revoked ones say so and their hours
    are not in the total row."""
    listed = sorted(transcript.counted + transcript.revoked, key=lambda c: (c.completed_at, c.pk))
    for certificate in listed:
        yield [
            certificate.display_code, certificate.course_title, certificate.body_name, certificate.provider_number,
            certificate.hours, certificate.completed_on.isoformat(), certificate.licence_number,
            gettext("Revoked: not counted") if certificate.revoked_at else gettext("Valid"),
        ]
    yield ["", gettext("Total CE hours"), "", "", transcript.total_hours, "", "", ""]


def transcript_csv(*, transcript: Transcript) -> Iterator[str]:
    return csv_stream(csv_header(), csv_rows(transcript))
