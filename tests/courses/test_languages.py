"""Courses in Spanish: content translated with wagtail-localize, learning kept against the
source pages (courses/languages.py)."""
import json

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext
from wagtail.models import Locale


from courses.assessment.selectors import attempt_results, open_attempt_questions
from courses.languages import translation_of
from courses.models import Enrollment, LessonProgress, QuizAttempt, QuizPage
from tests.courses.translated import in_spanish, spanish, translate, translate_site, translate_tree
from tests.factories import UserFactory, answer_key, build_course, build_quiz, enrolled_learner, lessons_of

pytestmark = pytest.mark.django_db


def english_catalogue():
    from courses.models import CourseIndexPage

    return CourseIndexPage.objects.get(locale__language_code="en")


def test_every_configured_language_has_a_locale_and_pages_stay_in_the_default():
    assert set(Locale.objects.values_list("language_code", flat=True)) == {"en", "es"}
    course = build_course(index=english_catalogue())
    assert course.locale.language_code == "en"


def test_staff_translate_a_course_with_its_subpages_in_the_admin(client):
    translate_site()
    course = build_course(index=english_catalogue(), quiz=True)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[course.id]),
        {"locales": [spanish().id], "include_subtree": "on"},
    )
    assert response.status_code == 302
    # Course, two modules, four lessons and two quizzes: drafts in Spanish, not yet shown.
    drafts = course.get_descendants(inclusive=True).count()
    assert QuizPage.objects.filter(locale=spanish()).count() == 2
    from wagtail.models import Page

    assert Page.objects.filter(locale=spanish()).descendant_of(course.get_translation(spanish())).count() + 1 == drafts
    assert not course.get_translation(spanish()).live
    # Translate every page's strings and publish: the course is read in Spanish.
    translated = translate_tree(course)
    assert translated.live and translated.title == in_spanish(course.title)
    assert client.get(translated.url).status_code == 200


def test_an_answer_key_is_one_set_synced_from_the_source():
    translate_site()
    course = build_course(index=english_catalogue(), modules=1, lessons_per_module=1, quiz=True)
    quiz = QuizPage.objects.descendant_of(course).get()
    translate_tree(course)
    spanish_quiz = quiz.get_translation(spanish())
    assert spanish_quiz.questions[0].value["prompt"] == in_spanish(quiz.questions[0].value["prompt"])
    options = spanish_quiz.questions[0].value["options"]
    assert [o["correct"] for o in options] == [True, False, False]
    # The key changes on the source: the next sync carries it over (the words stay Spanish).
    data = quiz.questions.raw_data
    for i, item in enumerate(data[0]["value"]["options"]):
        item["value"]["correct"] = i == 1
    quiz.questions = data
    quiz.pass_mark = 50
    quiz.save_revision().publish()
    quiz.refresh_from_db()
    translate(quiz)
    spanish_quiz = QuizPage.objects.get(pk=spanish_quiz.pk)
    assert [o["correct"] for o in spanish_quiz.questions[0].value["options"]] == [False, True, False]
    assert spanish_quiz.pass_mark == 50
    assert spanish_quiz.questions[0].value["prompt"].startswith("ES ")


def test_accepted_answers_are_not_offered_for_translation():
    from wagtail_localize.models import TranslationSource

    from tests.factories import short_text

    course = build_course(index=english_catalogue(), modules=1, lessons_per_module=1)
    quiz = build_quiz(course.get_children().first().specific, questions=[short_text()])
    source, _ = TranslationSource.get_or_create_from_instance(quiz)
    texts = set(source.stringsegment_set.values_list("string__data", flat=True))
    assert "confidentiality" not in texts and "confidence" not in texts
    assert "One word: what do members keep about what others share?" in texts


def test_a_lesson_completed_in_english_is_complete_in_spanish(client):
    translate_site()
    course = build_course(index=english_catalogue(), modules=1, lessons_per_module=2)
    lessons = lessons_of(course)
    translate_tree(course)
    learner = enrolled_learner(course)
    client.force_login(learner)
    response = client.post(reverse("courses:complete", args=[course.id, lessons[0].id]))
    assert response.status_code == 302
    spanish_lesson = lessons[0].get_translation(spanish())
    page = client.get(spanish_lesson.url)
    assert page.status_code == 200
    body = page.content.decode()
    with translation.override("es"):
        completed = pgettext("lesson", "Completed")
    assert completed != "Completed"  # the page is read in Spanish, words and content
    assert in_spanish(lessons[0].title) in body and completed in body
    # Its outline links lead to the Spanish pages; the next lesson is the Spanish one.
    assert lessons[1].get_translation(spanish()).url in body
    # Completing the second lesson from the Spanish page (its own ids) counts on the source.
    spanish_second = lessons[1].get_translation(spanish())
    client.get(spanish_second.url)
    response = client.post(
        reverse("courses:complete", args=[course.get_translation(spanish()).id, spanish_second.id])
    )
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(user=learner)
    assert set(
        LessonProgress.objects.filter(enrollment=enrollment, completed_at__isnull=False).values_list("lesson_id", flat=True)
    ) == {lessons[0].id, lessons[1].id}
    assert enrollment.last_lesson_id == lessons[1].id  # the source lesson, never the translation
    assert not LessonProgress.objects.filter(lesson__locale=spanish()).exists()


def test_a_quiz_started_in_english_continues_in_spanish_and_is_graded_on_the_one_key(
    client, django_capture_on_commit_callbacks
):
    translate_site()
    course = build_course(index=english_catalogue(), modules=1, lessons_per_module=1, quiz=True)
    quiz = QuizPage.objects.descendant_of(course).get()
    translate_tree(course)
    spanish_quiz = quiz.get_translation(spanish())
    learner = enrolled_learner(course, done=lessons_of(course))
    client.force_login(learner)
    client.post(reverse("courses:quiz_start", args=[quiz.id]))
    attempt = QuizAttempt.objects.get(user=learner)
    # In Spanish: starting again resumes the same attempt, shown in Spanish words.
    response = client.post(reverse("courses:quiz_start", args=[spanish_quiz.id]))
    assert response.status_code == 302
    assert QuizAttempt.objects.filter(user=learner).count() == 1
    quiz_page = client.get(spanish_quiz.url).content.decode()
    assert in_spanish(quiz.title) in quiz_page
    assert reverse("courses:attempt", args=[attempt.pk]) in quiz_page  # continue the same attempt
    # The attempt's words in Spanish (the attempt page asks for them in the language read).
    with translation.override("es"):
        shown = open_attempt_questions(attempt, translation=translation_of(attempt.quiz))
    assert shown[0]["prompt"] == in_spanish("Who decides what a participant shares?")
    assert shown[0]["options"][0]["label"] == in_spanish("The participant")
    assert "correct" not in shown[0]["options"][0]
    answers = answer_key(attempt)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("courses:attempt_submit", args=[attempt.pk]), data=json.dumps({"answers": answers}),
            content_type="application/json",
        )
    attempt.refresh_from_db()
    assert attempt.quiz_id == quiz.id and attempt.passed
    with translation.override("es"):
        rows = attempt_results(attempt, with_feedback=True, translation=translation_of(attempt.quiz))
    assert rows[0].explanation == in_spanish("Sharing is always the participant's choice.")
    assert rows[0].correct is True


def test_a_spanish_attempt_is_graded_on_the_source_key_even_if_a_translation_differs(
    client, django_capture_on_commit_callbacks
):
    translate_site()
    course = build_course(index=english_catalogue(), modules=1, lessons_per_module=1, quiz=True)
    quiz = QuizPage.objects.descendant_of(course).get()
    translate_tree(course)
    spanish_quiz = quiz.get_translation(spanish())
    # A translation edited by hand to mark another option right changes nothing.
    data = spanish_quiz.questions.raw_data
    for i, item in enumerate(data[0]["value"]["options"]):
        item["value"]["correct"] = i == 2
    spanish_quiz.questions = data
    spanish_quiz.save_revision().publish()
    learner = enrolled_learner(course, done=lessons_of(course))
    client.force_login(learner)
    client.post(reverse("courses:quiz_start", args=[spanish_quiz.id]))
    attempt = QuizAttempt.objects.get(user=learner)
    assert attempt.quiz_id == quiz.id
    right = attempt.questions[0]["options"]
    assert next(o["label"] for o in right if o["correct"]) == "The participant"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("courses:attempt_submit", args=[attempt.pk]), data=json.dumps({"answers": answer_key(attempt)}),
            content_type="application/json",
        )
    attempt.refresh_from_db()
    assert attempt.passed


def test_a_translation_whose_source_is_gone_is_not_served(client):
    translate_site()
    course = build_course(index=english_catalogue(), modules=1, lessons_per_module=1)
    lesson = lessons_of(course)[0]
    translated_course = translate_tree(course)
    spanish_lesson = lesson.get_translation(spanish())
    assert client.get(translated_course.url).status_code == 200
    url, course_url = spanish_lesson.url, translated_course.url
    course.delete()
    assert client.get(url).status_code == 404
    assert client.get(course_url).status_code == 404


def test_a_translated_lesson_whose_module_is_not_published_in_spanish_leads_to_the_source(client):
    translate_site()
    course = build_course(index=english_catalogue(), modules=1, lessons_per_module=1)
    lesson = lessons_of(course)[0]
    translate_tree(course)
    course.get_children().first().get_translation(spanish()).unpublish()
    spanish_lesson = lesson.get_translation(spanish())
    learner = enrolled_learner(course)
    client.force_login(learner)
    response = client.get(spanish_lesson.url)
    assert response.status_code == 302
    assert response["Location"] == "/es" + lesson.url


def test_a_course_not_translated_is_read_under_es_in_english(client):
    translate_site()
    course = build_course(index=english_catalogue(), modules=1, lessons_per_module=2)
    lessons = lessons_of(course)
    learner = enrolled_learner(course)
    client.force_login(learner)
    response = client.get("/es" + lessons[0].url)
    assert response.status_code == 200
    body = response.content.decode()
    assert lessons[0].title in body
    assert f'href="/es{lessons[1].url}"' in body
    assert client.get("/es" + course.url).status_code == 200


def test_the_spanish_catalogue_lists_each_course_once_and_no_unpublished_translation(client):
    _, spanish_catalogue = translate_site()
    translated = build_course(index=english_catalogue(), title="Facilitator Training")
    untranslated = build_course(index=english_catalogue(), title="Family and Friends")
    draft = build_course(index=english_catalogue(), title="Online Meetings")
    translate_tree(translated)
    translate(draft, publish=False)
    body = client.get(spanish_catalogue.url).content.decode()
    assert in_spanish("Facilitator Training") in body
    assert "Family and Friends" in body
    assert "Online Meetings" in body and in_spanish("Online Meetings") not in body
    assert f'href="{translated.url}"' not in body  # listed once: in Spanish
    assert f'href="{translated.get_translation(spanish()).url}"' in body
    english = client.get(untranslated.get_parent().url).content.decode()
    assert in_spanish("Facilitator Training") not in english


def test_a_spanish_lesson_costs_at_most_one_query_more_than_the_english(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    translate_site()
    course = build_course(index=english_catalogue(), modules=1, lessons_per_module=2)
    lesson = lessons_of(course)[0]
    translate_tree(course)
    learner = enrolled_learner(course)
    client.force_login(learner)
    spanish_lesson = lesson.get_translation(spanish())
    counts = {}
    for key, url in (("en", lesson.url), ("es", spanish_lesson.url)):
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[key] = len(queries)
    assert counts["es"] <= counts["en"] + 1


def test_the_bench_spanish_lesson_is_served_to_the_enrolled_learner(client):
    from bench import fixtures, report

    course = fixtures.build_course(slug="benchmark-course", title="Benchmark course", lessons=12, per_module=5)
    lesson = fixtures.live_lessons(course)[6]
    learner = fixtures.make_learner(1)
    fixtures.enrol_with_progress(learner, course, before=lesson)
    lesson_es = fixtures.translate_lesson(lesson)
    assert lesson_es.locale.language_code == "es" and lesson_es.url.startswith("/es/")
    client.force_login(learner)
    body = client.get(lesson_es.url).content.decode()
    assert f"/lessons/{lesson_es.id}/heartbeat/" in body and lesson_es.title in body
    # Its progress is the English lesson's: opening it made the English lesson the last one.
    assert Enrollment.objects.get(user=learner).last_lesson_id == lesson.id
    figures = {"rps": 100.0, "p50_ms": 1.0, "p95_ms": 2.0, "queries": 5, "bytes": 1, "concurrency": 8}
    results = {"lesson": figures, "bare_wagtail": figures, "hello": figures, "lesson_es": {**figures, "queries": 6}}
    assert "lesson_es rps >= 1.0 x bare_wagtail rps: 1.00 x -> met (queries: 6 in Spanish, 5 in English)" in (
        report.targets(results, {"lessons_12": 5})
    )
    assert "lesson_es" in report.table(results)


def test_a_question_bank_is_translated_and_a_spanish_attempt_shows_its_words(client):
    from courses.models import QuestionBank
    from tests.factories import single, true_false

    bank = QuestionBank.objects.create(title="Meeting situations", questions=[single(), true_false()])
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        reverse("wagtail_localize:submit_snippet_translation", args=["courses", "questionbank", bank.pk]),
        {"locales": [spanish().id]},
    )
    assert response.status_code == 302
    translated_bank = translate(bank)
    assert translated_bank.locale == spanish() and translated_bank.title == in_spanish("Meeting situations")
    assert [q.id for q in translated_bank.questions] == [q.id for q in bank.questions]
    translate_site()
    course = build_course(index=english_catalogue(), modules=1, lessons_per_module=1)
    quiz = build_quiz(course.get_children().first().specific, questions=[], bank=bank, draw_count=1)
    translate_tree(course)
    spanish_quiz = quiz.get_translation(spanish())
    assert spanish_quiz.bank_id == bank.id  # quizzes draw from the source bank in every language
    learner = enrolled_learner(course, done=lessons_of(course))
    client.force_login(learner)
    client.post(reverse("courses:quiz_start", args=[spanish_quiz.id]))
    attempt = QuizAttempt.objects.get(user=learner)
    with translation.override("es"):
        shown = open_attempt_questions(attempt, translation=translation_of(attempt.quiz))
    assert shown[0]["prompt"].startswith("ES ")


def test_my_learning_in_spanish_leads_to_the_spanish_course_and_lesson():
    from courses.selectors import dashboard_rows

    translate_site()
    course = build_course(index=english_catalogue(), modules=1, lessons_per_module=2)
    untranslated = build_course(index=english_catalogue(), title="Family and Friends", modules=1, lessons_per_module=2)
    lessons = lessons_of(course)
    translate_tree(course)
    learner = enrolled_learner(course, done=lessons[:1])
    Enrollment.objects.create(user=learner, course=untranslated)
    with translation.override("es"):
        rows = {row.enrollment.course_id: row for row in dashboard_rows(user=learner)}
    spanish_course = course.get_translation(spanish())
    assert rows[course.id].course_title == spanish_course.title
    assert rows[course.id].course_url == spanish_course.url
    assert rows[course.id].next_item.url == lessons[1].get_translation(spanish()).url
    assert rows[untranslated.id].course_title == "Family and Friends"
    assert rows[untranslated.id].course_url == "/es" + untranslated.url
    with translation.override("en"):
        rows = {row.enrollment.course_id: row for row in dashboard_rows(user=learner)}
    assert rows[course.id].course_url == course.url and rows[course.id].next_item.url == lessons[1].url
