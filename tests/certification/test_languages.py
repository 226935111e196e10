"""Certificates in their holder's language and time zone, and names in any script.

The PDF is made in the language and zone saved on the holder's Wagtail profile (made
again when they choose another language), the digital credential says which language
its words are in, the verification page is kept once per language and zone, and a name
in Latin with accents, Cyrillic, Arabic, Chinese, Japanese or Korean prints with real
glyphs (the fonts come from scripts/ensure-fonts) on one page.
"""
import io
import logging
import re
import shutil
import subprocess
from datetime import datetime, timedelta, timezone as dt_timezone
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader
from wagtail.users.models import UserProfile

from certification import pdf, selectors, services
from certification.models import Certificate, Programme
from kernel.when import day_text
from tests.factories import UserFactory

from .test_credential_interop import schema_errors

BOTH = [("en", "English"), ("es", "Español")]

NAMES = {
    "latin": "Zoë Ðorđević-Núñez",
    "cyrillic": "Анна Петрова",
    "arabic": "فاطمة الزهراء",
    "chinese": "王小明",
    "japanese": "山田 花子",
    "korean": "김민준",
}
# Which font draws each name (the rest of the page is DejaVu).
DRAWN_WITH = {
    "latin": "DejaVu-Serif",
    "cyrillic": "DejaVu-Serif",
    "arabic": "Noto-Naskh-Arabic",
    "chinese": "Noto-Serif-CJK-SC",
    "japanese": "Noto-Serif-CJK",
    "korean": "Noto-Serif-CJK-KR",
}
MISSING_FONTS = "run scripts/ensure-fonts (make test does): the machine lacks the Noto fonts certificate PDFs need"


def unsaved_certificate(name: str) -> Certificate:
    """A certificate as the PDF needs it, without the database: the script checks are
    about fonts, and each render is given its language and zone."""
    programme = Programme(title="Meeting Facilitator", slug="meeting-facilitator", signatory_name="Amara Osei")
    issued = datetime(2026, 12, 5, 10, 0, tzinfo=dt_timezone.utc)
    return Certificate(
        code="ABCDEFGHJKMNPQRSTVWX", holder_name=name, programme=programme, issued_at=issued,
        expires_at=issued + timedelta(days=730),
    )


def rendered(name: str, caplog) -> tuple[PdfReader, list[str]]:
    """The PDF for ``name`` and WeasyPrint's warnings about glyphs no font had."""
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        data = pdf.render_certificate(unsaved_certificate(name), language="en", time_zone="UTC")
    missing = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint") and ".notdef" in r.getMessage()]
    return PdfReader(io.BytesIO(data)), missing


def embedded_fonts(reader: PdfReader) -> dict[str, str]:
    """Each embedded font's name (without the subset tag) and its ToUnicode map."""
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            fonts[name] = font["/ToUnicode"].get_object().get_data().decode() if "/ToUnicode" in font else ""
    return fonts


def notdef_mapped(to_unicode: str) -> bool:
    """Whether glyph 0 (.notdef, the empty box) stands for any text in this font."""
    chars = to_unicode.split("beginbfchar", 1)[-1]
    return any(int(glyph, 16) == 0 for glyph, _ in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", chars))


@pytest.mark.parametrize("script", list(NAMES))
def test_a_name_in_any_script_prints_with_real_glyphs_on_one_page(script, caplog):
    name = NAMES[script]
    reader, missing = rendered(name, caplog)
    assert missing == [], MISSING_FONTS
    assert len(reader.pages) == 1
    fonts = embedded_fonts(reader)
    assert any(font.startswith(DRAWN_WITH[script]) for font in fonts), (MISSING_FONTS, sorted(fonts))
    assert not any(notdef_mapped(cmap) for cmap in fonts.values())
    # The name reads back from the PDF as written (copy, search and screen readers rely on it).
    text = reader.pages[0].extract_text()
    assert name in text, text


def test_the_glyph_check_finds_a_character_no_font_has(caplog):
    # A private-use character: no installed font draws it, so it falls back to .notdef.
    _reader, missing = rendered("Ann \U000f0001 Lee", caplog)
    assert missing and "U+F0001" in missing[0]


def test_a_name_chooses_its_fonts_and_direction():
    assert pdf.name_style(NAMES["arabic"])["direction"] == "rtl"
    assert pdf.name_style("Zoë")["direction"] == "ltr"
    assert pdf.name_style("42 Анна")["direction"] == "ltr"  # digits are weak: the first letter decides
    # Han is drawn the Japanese way in a name with kana, the Korean way with hangul.
    assert pdf.name_style("やまだ 花子")["fonts"].index("CJK JP") < pdf.name_style("やまだ 花子")["fonts"].index("CJK SC")
    assert pdf.name_style("김 小明")["fonts"].index("CJK KR") < pdf.name_style("김 小明")["fonts"].index("CJK SC")
    assert pdf.name_style("王小明")["fonts"].index("CJK SC") < pdf.name_style("王小明")["fonts"].index("CJK JP")


# --- the holder's language and time zone ------------------------------------------------------


def choose(user, *, language="", time_zone=""):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language, profile.current_time_zone = language, time_zone
    profile.save()


@pytest.fixture
def holder(db):
    return UserFactory(email="ana@example.org", certificate_name="Ana Núñez")


@pytest.fixture
def certificate(holder, programme):
    # Issued late on 5 December in UTC: already 6 December in Auckland.
    issued = datetime(2026, 12, 5, 20, 0, tzinfo=dt_timezone.utc)
    certificate, _ = services.certificate_issue(user=holder, programme=programme, period=1, now=issued)
    return certificate


def pdf_text(certificate: Certificate) -> str:
    certificate.refresh_from_db()
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(certificate.pdf.read())).pages)


def test_the_holders_saved_language_and_zone_are_read_with_safe_fallbacks(settings, holder):
    settings.LANGUAGES = BOTH
    assert selectors.holder_locale(user_id=holder.pk) == selectors.HolderLocale("en", settings.TIME_ZONE)  # no profile
    choose(holder, language="es", time_zone="America/Mexico_City")
    assert selectors.holder_locale(user_id=holder.pk) == selectors.HolderLocale("es", "America/Mexico_City")
    choose(holder, language="xx", time_zone="Mars/Olympus_Mons")
    assert selectors.holder_locale(user_id=holder.pk) == selectors.HolderLocale("en", settings.TIME_ZONE)
    choose(holder, language="es", time_zone="../../etc/passwd")
    assert selectors.holder_locale(user_id=holder.pk) == selectors.HolderLocale("es", settings.TIME_ZONE)


def test_the_pdf_is_made_in_the_holders_language_and_zone(settings, holder, certificate):
    settings.LANGUAGES = BOTH
    choose(holder, language="es", time_zone="Pacific/Auckland")
    assert services.certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert certificate.pdf_language == "es"
    with translation.override("es"), timezone.override("Pacific/Auckland"):
        issued = day_text(certificate.issued_at)
    assert "diciembre" in issued and issued.startswith("6 ")  # Django's own Spanish month names, Auckland's day
    assert issued in pdf_text(certificate)
    # Rendering again in the same language is not needed: the PDF is current.
    assert pdf.is_current(certificate) and not services.certificate_render(certificate_id=certificate.pk)


def test_choosing_another_language_makes_the_pdf_again_on_the_next_download(settings, client, holder, certificate):
    settings.LANGUAGES = BOTH
    choose(holder, language="es", time_zone="UTC")
    services.certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    spanish_file = certificate.pdf.name
    assert certificate.pdf_language == "es"

    choose(holder, language="en", time_zone="UTC")
    certificate.refresh_from_db()
    assert not pdf.is_current(certificate)
    client.force_login(holder)
    response = client.get(reverse("certification:pdf", args=[certificate.code]))
    assert response.status_code == 200
    certificate.refresh_from_db()
    assert certificate.pdf_language == "en" and certificate.pdf.name != spanish_file
    with translation.override("en"), timezone.override("UTC"):
        assert day_text(certificate.issued_at) in pdf_text(certificate)


def test_the_credential_is_in_the_holders_language_and_still_meets_the_schema(settings, holder, certificate):
    settings.LANGUAGES = BOTH
    english = services.credential_issue(certificate=certificate)
    assert english["credentialSubject"]["achievement"]["inLanguage"] == "en"
    choose(holder, language="es")
    spanish = services.credential_issue(certificate=certificate)
    assert spanish["credentialSubject"]["achievement"]["inLanguage"] == "es"
    assert schema_errors(spanish) == []
    assert translation.get_language() == "en"  # the request's own language is left as it was


def test_the_verification_page_is_kept_once_per_language_and_zone(settings, client, certificate):
    settings.LANGUAGES = BOTH
    url = reverse("certification:verify", args=[certificate.code])
    with translation.override("es"), timezone.override("UTC"):
        spanish_day = day_text(certificate.issued_at)
    with translation.override("en"), timezone.override("UTC"):
        english_day = day_text(certificate.issued_at)
    assert spanish_day != english_day

    # A visitor with no session is served the kept page of their own language, never another's
    # (followed: with language prefixes in the addresses, a Spanish reader is sent to /es/...).
    for _ in range(2):  # the first renders and keeps the page, the second is served the kept one
        spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es", follow=True).content.decode()
        assert spanish_day in spanish and english_day not in spanish
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en", follow=True).content.decode()
        assert english_day in english and spanish_day not in english
    entry = selectors.cached_verification(selectors.verification_entry(certificate.code)["data"]["code"])
    assert set(entry["html"]) == {"es|UTC", "en|UTC"}


# --- in Spanish, with this app's translations compiled ------------------------------------------

PARTS = Path(__file__).resolve().parents[2] / "locale" / "es" / "parts" / "i15-wcert.po"


@pytest.fixture
def spanish(settings, tmp_path):
    """This app's Spanish (its part of the catalogue) compiled into a locale of its own."""
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (GNU gettext) compiles the catalogues: apt-get install gettext"
    target = tmp_path / "es" / "LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run([msgfmt, "--check", "-o", str(target / "django.mo"), str(PARTS)], check=True)
    settings.LOCALE_PATHS = [tmp_path]
    settings.LANGUAGES = BOTH


def test_the_certificate_pdf_speaks_spanish(spanish, certificate):
    with translation.override("es"), timezone.override("UTC"):
        html = pdf.render_html(certificate)
    assert 'lang="es"' in html and "Se certifica que" in html and "Certificado de finalización" in html
    assert "ha cumplido todos los requisitos del programa Meeting Facilitator" in html
    assert "Emitido el 5 de diciembre de 2026" in html and "Comprueba este certificado en" in html
    assert "This certifies that" not in html and "Issued" not in html


def test_the_verification_page_and_the_issued_email_speak_spanish(spanish, client, certificate, mailoutbox):
    page = client.get(reverse("certification:verify", args=[certificate.code]), HTTP_ACCEPT_LANGUAGE="es", follow=True)
    html = page.content.decode()
    assert "Comprobación del certificado" in html and "<strong>✓ Válido.</strong>" in html
    assert "5 de diciembre de 2026" in html and "genuine" not in html and "Valid until" not in html

    with translation.override("es"):
        assert services.certificate_notify_issued(certificate_id=certificate.pk)
    (message,) = mailoutbox
    assert message.subject == "Tu certificado de Meeting Facilitator"
    assert message.body.startswith("Hola, Ana Núñez:") and "¡Felicidades!" in message.body
    assert "Congratulations" not in message.body
