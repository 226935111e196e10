"""The demo in Spanish: the Family & Friends course and the site's pages, made as
wagtail-localize translations by ``seed`` (lms/demo/spanish.py, courses/demo/translate.py).

The Spanish words are written as data elsewhere; these tests use a stand-in with the
English description's exact structure and every word marked "ES"."""
import dataclasses
import re

import pytest
from wagtail.models import Locale
from wagtail_localize.models import Translation

from courses.demo import family, markup
from courses.demo.translate import StructureMismatch
from courses.models import CoursePage, LessonPage, QuizPage
from lms.demo import about, seed
from lms.demo.spanish import SpanishDemo
from lms.models import ContentPage, HomePage

pytestmark = pytest.mark.django_db

# Values that are not words: kept as they are.
NOT_WORDS = {"kind", "level", "slug", "key", "type", "scoring", "answer", "cover", "currency", "accepted", "document"}


def marked(text: str) -> str:
    if "<" in text:  # HTML: every text node
        return re.sub(r">([^<]*[^<\s][^<]*)<", lambda m: f">ES {m.group(1)}<", text)
    return f"ES {text}" if text else text


def spanish_of(value, name: str = ""):
    """A description with the same structure and every word marked."""
    if name in NOT_WORDS:
        return value
    if isinstance(value, str):
        return marked(value)
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):  # a block: (type, value)
        return (value[0], spanish_of(value[1]))
    if isinstance(value, tuple):
        return tuple(spanish_of(v) for v in value)
    if isinstance(value, list):
        return [spanish_of(v) for v in value]
    if isinstance(value, dict):
        return {k: spanish_of(v, k) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, markup.DocumentRef):
        return dataclasses.replace(
            value, **{f.name: spanish_of(getattr(value, f.name), f.name) for f in dataclasses.fields(value) if f.init}
        )
    return value


def stand_in() -> SpanishDemo:
    return SpanishDemo(
        family=spanish_of(family.COURSE),
        about={"title": marked(about.TITLE), "search_description": marked(about.SEARCH_DESCRIPTION),
               "body": spanish_of(about.BODY)},
        home={"title": "Formación de facilitadores", "intro": "<p>Formación gratuita, a tu ritmo.</p>"},
        catalogue={"title": "Cursos", "intro": "<p>Elige un curso y avanza a tu ritmo.</p>"},
    )


def es():
    return Locale.objects.get(language_code="es")


def test_seeding_translates_the_family_course_and_the_site_pages_and_is_idempotent(client):
    result = seed(spanish=stand_in())
    assert result.translated > 0
    course = CoursePage.objects.get(slug=family.COURSE.slug, locale__language_code="en")
    spanish_course = course.get_translation(es())
    assert spanish_course.live and spanish_course.title == f"ES {family.COURSE.title}"
    # Every module, lesson and quiz, published, as wagtail-localize translations.
    assert spanish_course.get_descendants().live().count() == course.get_descendants().live().count()
    lesson = LessonPage.objects.descendant_of(course).first()
    spanish_lesson = lesson.get_translation(es())
    assert Translation.objects.filter(source__object_id=lesson.translation_key, target_locale=es()).exists()
    assert [b.id for b in spanish_lesson.body] == [b.id for b in lesson.body]
    # Quizzes keep the source's answer key and ids.
    for quiz in QuizPage.objects.descendant_of(course):
        theirs = quiz.get_translation(es())
        assert [q.id for q in theirs.questions] == [q.id for q in quiz.questions]
        assert theirs.pass_mark == quiz.pass_mark
        for mine, source in zip(theirs.questions, quiz.questions):
            if "options" in source.value:
                assert [o["correct"] for o in mine.value["options"]] == [o["correct"] for o in source.value["options"]]
                assert all(o["label"].startswith("ES ") for o in mine.value["options"])
    home = HomePage.objects.get(locale__language_code="en")
    assert home.get_translation(es()).title == "Formación de facilitadores"
    assert ContentPage.objects.get(slug=about.SLUG, locale=es()).live
    assert client.get(spanish_course.url).status_code == 200
    # Seeding again changes nothing.
    again = seed(spanish=stand_in())
    assert again.translated == 0
    assert course.get_translation(es()).get_latest_revision().pk == spanish_course.get_latest_revision().pk


def test_a_spanish_description_with_another_structure_is_refused():
    broken = stand_in()
    module = broken.family.modules[0]
    lesson = module.lessons[0]
    shorter = dataclasses.replace(lesson, body=lesson.body[:-1])
    items = [shorter if item is lesson else item for item in module.items]
    broken.family = dataclasses.replace(
        broken.family, modules=[dataclasses.replace(module, items=items), *broken.family.modules[1:]]
    )
    with pytest.raises(StructureMismatch):
        seed(spanish=broken)
