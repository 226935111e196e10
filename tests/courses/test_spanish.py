"""The courses' words in Spanish: the catalogue's Spanish for this app, compiled into a
temporary locale, reaches an email subject, a page include, an answer refusal from
``courses.scoring`` and a day shown through kernel.when; English stays as it was."""
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import engines
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation

from courses import scoring
from courses.assessment.answers import MAX_WRITTEN, answer_message, clean_answer

LOCALE = Path(settings.BASE_DIR) / "locale" / "es"
# The whole catalogue once the app's part is merged into it; until then the part itself.
SOURCES = [LOCALE / "LC_MESSAGES" / "django.po", LOCALE / "parts" / "i15-wcourses.po"]


@pytest.fixture
def spanish(tmp_path):
    source = next((path for path in SOURCES if path.exists()), None)
    if source is None or shutil.which("msgfmt") is None:
        pytest.skip("no Spanish catalogue for courses, or no msgfmt to compile it")
    target = tmp_path / "es" / "LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run(["msgfmt", "-c", "-o", str(target / "django.mo"), str(source)], check=True)
    with override_settings(LOCALE_PATHS=[tmp_path]):  # clears Django's translation caches
        yield


def test_review_digest_subject_counts_in_spanish_and_in_english(spanish):
    context = {"waiting": 2, "failed": 1}
    with translation.override("es"):
        subject = render_to_string("courses/email/review_digest_subject.txt", context, using="text")
    assert subject.strip() == "2 respuestas pendientes de revisión, 1 sin calificar"
    with translation.override("en"):
        subject = render_to_string("courses/email/review_digest_subject.txt", {"waiting": 1}, using="text")
    assert subject.strip() == "1 answer waiting for review"


def test_progress_include_is_spanish(spanish):
    with translation.override("es"):
        html = render_to_string("courses/includes/progress.html", {"percent": 40, "label": "Primeros pasos"})
    assert 'aria-label="Progreso en Primeros pasos"' in html
    assert "40% completado" in html


def test_answer_refusals_from_scoring_are_shown_in_the_learners_language(spanish):
    question = {"id": "q1", "type": scoring.WRITTEN, "points": 1, "min_length": 0}
    with pytest.raises(scoring.InvalidAnswer) as too_long:
        clean_answer(question, "x" * (MAX_WRITTEN + 1))
    assert too_long.value.message == "Please keep this answer under 20000 characters."  # logs: English
    with translation.override("es"):
        # Spanish groups digits with a (non-breaking) space, as the RAE advises.
        assert answer_message(too_long.value) == "Por favor, escribe una respuesta de menos de 20\u00a0000 caracteres."
    with translation.override("en"):
        assert answer_message(too_long.value) == "Please keep this answer under 20,000 characters."

    with pytest.raises(scoring.InvalidAnswer) as unanswered:
        scoring.score_attempt([question], {})
    with translation.override("es"):
        assert answer_message(unanswered.value) == "Por favor, responde a esta pregunta."


def test_quiz_reopening_time_reads_in_spanish_with_the_zone_named(spanish):
    moment = datetime(2026, 12, 5, 13, 30, tzinfo=ZoneInfo("UTC"))
    with translation.override("es"), override_settings(TIME_ZONE="Europe/Madrid"):
        template = engines["django"].from_string(
            "{% load i18n when %}{% blocktranslate with time=moment|time_of_day day=moment|day %}"
            "It opens again at {{ time }} on {{ day }}.{% endblocktranslate %}"
        )
        text = template.render({"moment": moment})
    assert text == "Se vuelve a abrir a las 14:30 CET del 5 de diciembre de 2026."
