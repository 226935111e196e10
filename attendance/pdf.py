"""The attendance slip PDF, rendered in the request that issues it and returned to it:
never written to storage, never made by a task (a task's arguments would hold the name).

WeasyPrint as the certificate's (certification/pdf.py): fonts for any script, nothing
fetched but ``data:`` URIs. One page per slip, sized to print on A4 and on Letter alike
(A4's width, Letter's height) and large enough to read on a phone. In the request's
language; times in the meeting's own time zone, named.
"""
from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation

from certification.pdf import data_only_fetcher, name_style, qr_svg, site_base_url

from . import codes
from .models import Meeting
from .services import IssuedSlip

def check_url() -> str:
    """The check page's address, without a language prefix: the reader picks theirs."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("attendance_check:check")
    return site_base_url() + path


def _slip_context(issued: IssuedSlip) -> dict:
    slip = issued.slip
    zone = ZoneInfo(slip.meeting_time_zone)
    return {
        "name": issued.name,
        "name_style": name_style(issued.name),
        "kind": Meeting.Kind(slip.meeting_kind).label,
        "mode": Meeting.Mode(slip.meeting_mode).label,
        "date": slip.meeting_date,
        # Formatted here, in the meeting's zone: the template's date filter would move
        # them to the active zone.
        "starts": formats.time_format(slip.meeting_starts_at.astimezone(zone), "TIME_FORMAT"),
        "ends": formats.time_format(slip.meeting_ends_at.astimezone(zone), "TIME_FORMAT"),
        "time_zone": slip.meeting_time_zone,
        "facilitator": slip.facilitator_display_name,
        "certificate_code": slip.certificate.display_code,
        "code": codes.display(slip.code),
        "expires_on": slip.expires_on,
    }


def render_slips(issued: list[IssuedSlip]) -> bytes:
    """One PDF, a page per slip, in the active language."""
    from weasyprint import HTML  # heavy import: only where PDFs are made

    url = check_url()
    html = render_to_string("attendance/slip_pdf.html", {
        "slips": [_slip_context(item) for item in issued],
        "check_url": url,
        "qr_svg": qr_svg(url),
        "site_name": settings.WAGTAIL_SITE_NAME,
    })
    buffer = io.BytesIO()
    HTML(string=html, url_fetcher=data_only_fetcher(), base_url="/").write_pdf(buffer)
    return buffer.getvalue()
