"""Turn the content descriptions of ``markup`` into published Wagtail pages, idempotently.

Every page is looked up by its slug under its parent. A missing page is added with
``parent.add_child`` and published through a revision, as the admin would; a page that is
already there is left alone, or, with ``update=True``, rewritten from the description and
published as a new revision.
"""
from collections import Counter

from django.utils import timezone

from wagtail.models import Page

from courses.models import CoursePage, LessonPage, ModulePage, QuizPage

from . import markup, media


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
        self, parent: Page, model: type[Page], *, slug: str, revisions: bool = True, **fields
    ) -> Page:
        """The ``model`` page ``slug`` under ``parent``, created and published if missing.

        ``revisions=False`` publishes a new page by saving it live, without a revision: a
        third of the writes, for the generated benchmark course.
        """
        existing = self.children(parent).get(slug)
        if existing is not None:
            if not issubclass(existing.specific_class, model):
                raise ValueError(f"{existing.url_path} is not a {model.__name__}.")
            if not self.update:
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

    def ensure_course(self, catalogue: Page, spec: markup.Course) -> CoursePage:
        course = self.ensure_page(
            catalogue,
            CoursePage,
            slug=spec.slug,
            title=spec.title,
            summary=spec.summary,
            audience=spec.audience,
            learning_outcomes=[("outcome", outcome) for outcome in spec.outcomes],
            description=spec.description,
            estimated_hours=spec.estimated_hours,
            sequential=spec.sequential,
            cover_image=self.cover(spec.cover),
            price_amount=None,
        )
        for module_spec in spec.modules:
            self.ensure_module(course, module_spec)
        if spec.final_quiz:
            self.ensure_quiz(course, spec.final_quiz)
        return course

    def ensure_module(self, course: CoursePage, spec: markup.Module) -> ModulePage:
        module = self.ensure_page(
            course, ModulePage, slug=spec.slug, title=spec.title, intro=markup.paragraph(spec.intro)
        )
        for item in spec.items:
            if isinstance(item, markup.Quiz):
                self.ensure_quiz(module, item)
            else:
                self.ensure_lesson(module, item)
        return module

    def ensure_lesson(self, module: ModulePage, spec: markup.Lesson) -> LessonPage:
        return self.ensure_page(
            module,
            LessonPage,
            slug=spec.slug,
            title=spec.title,
            body=self.resolve(spec.body),
            estimated_minutes=spec.minutes,
            required=spec.required,
        )

    def ensure_quiz(self, parent: Page, spec: markup.Quiz) -> QuizPage:
        return self.ensure_page(parent, QuizPage, slug=spec.slug, title=spec.title, intro=spec.intro)
