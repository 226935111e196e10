"""Payments and organisations in Spanish: this branch's translations (locale/es/parts/i15-wpay.po),
compiled into a locale folder of their own, turn the learner's emails and pages into Spanish,
dates in the Spanish format and every placeholder filled."""
import shutil
import subprocess
from datetime import datetime, timezone as dt_timezone
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation

PARTS = Path(settings.BASE_DIR) / "locale" / "es" / "parts" / "i15-wpay.po"


@pytest.fixture
def spanish(tmp_path):
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (GNU gettext) is needed to compile the Spanish catalogue")
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    subprocess.run(["msgfmt", "--check", "-o", str(folder / "django.mo"), str(PARTS)], check=True)
    with override_settings(LOCALE_PATHS=[tmp_path]), translation.override("es"):
        yield


def test_the_scholarship_email_reads_in_spanish_with_a_spanish_date(spanish):
    app = SimpleNamespace(course_title="Facilitación", fee=Decimal("40.00"), can_pay=Decimal("0"), currency="USD",
                          decision_note="")
    code = SimpleNamespace(code="SCH-ABC123", kind="percent", expires_at=datetime(2027, 3, 5, 12, tzinfo=dt_timezone.utc))
    body = render_to_string(
        "payments/email/scholarship_approved.txt",
        {"app": app, "code": code, "user": None, "org": {"contact_email": "ayuda@example.org"},
         "checkout_url": "https://example.org/pay/1/"},
        using="text",
    )
    for text in ("Hola:", "Buenas noticias: tu solicitud de beca para «Facilitación» está aprobada.",
                 "Tu código: SCH-ABC123", "Cubre toda la cuota, así que no pagas nada.",
                 "hasta el 5 de marzo de 2027.", "¿Tienes preguntas? Escribe a ayuda@example.org."):
        assert text in body, text
    assert "Good news" not in body and "%(" not in body


def test_an_unpaid_order_says_so_in_spanish(spanish):
    order = SimpleNamespace(status="failed", last_payment_error="", reference="ORD-000001")
    html = render_to_string("payments/includes/order_unpaid.html", {"order": order, "retry_url": "/pay/", "seats": True})
    assert "El pago no se ha completado. No se ha cobrado nada." in html
    assert "Volver a intentarlo" in html
    assert "did not go through" not in html
