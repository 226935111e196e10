"""Turn the content descriptions of ``markup`` into published Wagtail pages, idempotently.

Every page is looked up by its slug under its parent. A missing page is added with
``parent.add_child`` and published through a revision, as the admin would; a page that is
already there is left alone, or, with ``update=True``, rewritten from the description and
published as a new revision. Two exceptions keep older demo databases working: a quiz page
that an earlier version of the demo left empty (no questions, no bank) is filled in, and an
empty placeholder quiz the demo no longer has is removed if nobody has attempted it.

Question banks are snippets, looked up by their unique title. Question and option ids are
derived from each question's key (``markup.Question``), so they stay the same from run to
run: attempts snapshot them, and regrading relies on them.
"""
import uuid
from collections import Counter

from django.conf import settings
from django.utils import timezone

from wagtail.models import Page

from courses.models import CoursePage, LessonPage, ModulePage, QuestionBank, QuizAttempt, QuizPage

from . import markup, media

# Namespace for the demo's question and option ids (uuid5 of "<scope>/<key>").
QUESTION_IDS = uuid.UUID("5b0c4f7e-2d1a-4c8e-9a57-3f6d2b8e1c40")


def _uid(scope: str, key: str) -> str:
    return str(uuid.uuid5(QUESTION_IDS, f"{scope}/{key}"))


def _items(scope: str, name: str, values: list) -> list[dict]:
    """ListBlock items in Wagtail's block format, with stable ids."""
    return [{"type": "item", "id": _uid(scope, f"{name}/{i}"), "value": v} for i, v in enumerate(values)]


def stream_questions(scope: str, questions) -> list[dict]:
    """Question descriptions as raw StreamField data, every id derived from ``scope`` and
    the question's key."""
    keys = [q.key for q in questions]
    if len(set(keys)) != len(keys):
        raise ValueError(f"Question keys repeat in {scope}: {keys}")
    data = []
    for q in questions:
        here = f"{scope}/{q.key}"
        value = dict(q.value)
        if "options" in value:
            options = [{"label": c.label, "correct": c.correct, "feedback": c.feedback} for c in value["options"]]
            value["options"] = _items(here, "option", options)
        for name in ("accepted", "rubric"):
            if name in value:
                value[name] = _items(here, name, value[name])
        data.append({"type": q.kind, "id": _uid(scope, q.key), "value": value})
    return data


class Builder:
    def __init__(self, *, user=None, update: bool = False):
        self.user = user
        self.update = update
        self.counts = Counter()  # "created", "updated", "unchanged" pages; "media" files
        self._children: dict[int, dict[str, Page]] = {}
        self._documents: dict[str, object] = {}

    # --- pages ----------------------------------------------------------------------------

    def children(self, parent: Page) -> dict[str, Page]:
        """The parent's children by slug, read once per parent (one query, not one a page)."""
        if parent.pk not in self._children:
            self._children[parent.pk] = {page.slug: page for page in parent.get_children()}
        return self._children[parent.pk]

    def ensure_page(
        self, parent: Page, model: type[Page], *, slug: str, revisions: bool = True,
        refresh: bool = False, **fields
    ) -> Page:
        """The ``model`` page ``slug`` under ``parent``, created and published if missing.

        ``revisions=False`` publishes a new page by saving it live, without a revision: a
        third of the writes, for the generated benchmark course. ``refresh`` rewrites an
        existing page even without ``update``.
        """
        existing = self.children(parent).get(slug)
        if existing is not None:
            if not issubclass(existing.specific_class, model):
                raise ValueError(f"{existing.url_path} is not a {model.__name__}.")
            if not (self.update or refresh):
                self.counts["unchanged"] += 1
                return existing.specific_deferred  # no query: only tree fields are needed
            page = existing.specific
            for name, value in fields.items():
                setattr(page, name, value)
            self._publish(page, log_edit=True)
            self.counts["updated"] += 1
            # Publishing saved a copy of the page: read it back for later add_child calls.
            page = model.objects.get(pk=page.pk)
            self.children(parent)[slug] = page
            return page
        # Saving a new page logs "create" for its owner, as the admin's create view does.
        if revisions:
            page = model(slug=slug, live=False, owner=self.user, **fields)
            parent.add_child(instance=page)
            self._publish(page, log_edit=False)
            page = model.objects.get(pk=page.pk)
        else:
            now = timezone.now()
            page = model(
                slug=slug, live=True, owner=self.user, first_published_at=now,
                last_published_at=now, **fields,
            )
            parent.add_child(instance=page)
        self.counts["created"] += 1
        self.children(parent)[slug] = page
        return page

    def _publish(self, page: Page, *, log_edit: bool):
        # As the admin does: a new page logs "create", an edited one "edit"; both "publish".
        page.save_revision(user=self.user, log_action=log_edit).publish(user=self.user)

    def remove(self, parent: Page, slug: str):
        page = self.children(parent).pop(slug, None)
        if page is not None:
            page.delete()
            self.counts["removed"] += 1

    # --- media ----------------------------------------------------------------------------

    def document(self, key: str):
        if key not in self._documents:
            self._documents[key], created = media.ensure_document(key)
            self.counts["media"] += created
        return self._documents[key]

    def cover(self, key: str | None):
        if key is None:
            return None
        image, created = media.ensure_cover(key)
        self.counts["media"] += created
        return image

    def resolve(self, body: list) -> list:
        """Lesson blocks with document references replaced by the demo documents."""
        resolved = []
        for kind, value in body:
            if isinstance(value, dict) and isinstance(value.get("document"), markup.DocumentRef):
                value = {**value, "document": self.document(value["document"].key)}
            resolved.append((kind, value))
        return resolved

    # --- courses --------------------------------------------------------------------------

    def course_fields(self, spec: markup.Course) -> dict:
        return dict(
            title=spec.title,
            summary=spec.summary,
            audience=spec.audience,
            learning_outcomes=[("outcome", outcome) for outcome in spec.outcomes],
            description=spec.description,
            estimated_hours=spec.estimated_hours,
            sequential=spec.sequential,
            cover_image=self.cover(spec.cover),
            price_amount=spec.fee,
            price_currency=spec.currency,
        )

    def module_fields(self, spec: markup.Module) -> dict:
        return dict(title=spec.title, intro=markup.paragraph(spec.intro))

    def lesson_fields(self, spec: markup.Lesson) -> dict:
        return dict(
            title=spec.title, body=self.resolve(spec.body), estimated_minutes=spec.minutes, required=spec.required
        )

    def quiz_fields(self, parent: Page, spec: markup.Quiz) -> dict:
        return dict(
            title=spec.title,
            intro=spec.intro,
            questions=stream_questions(f"quiz:{parent.slug}/{spec.slug}", spec.questions),
            bank=self.ensure_bank(spec.bank) if spec.bank else None,
            draw_count=spec.draw_count,
            pass_mark=spec.pass_mark,
            attempts_allowed=spec.attempts_allowed,
            wait_minutes=spec.wait_minutes,
            time_limit_minutes=spec.time_limit_minutes,
            feedback=spec.feedback,
            required=spec.required,
            shuffle_questions=spec.shuffle_questions,
            shuffle_options=spec.shuffle_options,
        )

    def ensure_course(self, catalogue: Page, spec: markup.Course) -> CoursePage:
        course = self.ensure_page(catalogue, CoursePage, slug=spec.slug, **self.course_fields(spec))
        for slug in spec.retired_quizzes:
            self.retire_quiz(course, slug)
        for module_spec in spec.modules:
            self.ensure_module(course, module_spec)
        if spec.final_quiz:
            self.ensure_quiz(course, spec.final_quiz)
        return course

    def ensure_module(self, course: CoursePage, spec: markup.Module) -> ModulePage:
        module = self.ensure_page(course, ModulePage, slug=spec.slug, **self.module_fields(spec))
        for item in spec.items:
            if isinstance(item, markup.Quiz):
                self.ensure_quiz(module, item)
            else:
                self.ensure_lesson(module, item)
        return module

    def ensure_lesson(self, module: ModulePage, spec: markup.Lesson) -> LessonPage:
        return self.ensure_page(module, LessonPage, slug=spec.slug, **self.lesson_fields(spec))

    # --- quizzes --------------------------------------------------------------------------

    def ensure_bank(self, spec: markup.QuestionBank) -> QuestionBank:
        """The question bank titled ``spec.title``: created if missing, rewritten on update."""
        bank = QuestionBank.objects.filter(title=spec.title, locale__language_code=settings.LANGUAGE_CODE).first()
        if bank is not None and not self.update:
            return bank
        created = bank is None
        bank = bank or QuestionBank(title=spec.title)
        bank.description = spec.description
        bank.questions = stream_questions(f"bank:{spec.title}", spec.questions)
        bank.full_clean()  # the blocks' own checks: one right option, a rubric, ...
        bank.save()
        self.counts["banks_created" if created else "banks_updated"] += 1
        return bank

    def ensure_quiz(self, parent: Page, spec: markup.Quiz) -> QuizPage:
        existing = self.children(parent).get(spec.slug)
        return self.ensure_page(
            parent,
            QuizPage,
            slug=spec.slug,
            refresh=existing is not None and _is_empty_quiz(existing),
            **self.quiz_fields(parent, spec),
        )

    def retire_quiz(self, parent: Page, slug: str):
        """Remove an empty placeholder quiz an earlier demo made, unless someone attempted it."""
        page = self.children(parent).get(slug)
        if (
            page is not None
            and issubclass(page.specific_class, QuizPage)
            and _is_empty_quiz(page)
            and not QuizAttempt.objects.filter(quiz_id=page.pk).exists()
        ):
            self.remove(parent, slug)


def _is_empty_quiz(page: Page) -> bool:
    """A quiz page with no questions and no bank (what the demo made before quizzes had them)."""
    if not issubclass(page.specific_class, QuizPage):
        return False
    quiz = page.specific
    return not len(quiz.questions) and quiz.bank_id is None
