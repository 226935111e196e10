"""The course outline: ordered modules, lessons and quizzes, read in constant queries.

Used by every learning view, so it is built from two queries whatever the course size:
the live pages under the course (without ``.specific()``, which would cost a query per
page type and load every lesson body) and the ids of its required lessons.
"""
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from .models import CoursePage, LessonPage, ModulePage, QuizPage


@dataclass
class OutlineItem:
    id: int
    title: str
    kind: str  # "lesson" or "quiz"
    required: bool
    module_id: int | None
    position: int = 0  # 0-based place in the course's reading order
    url: str = ""


@dataclass
class OutlineModule:
    id: int
    title: str
    items: list[OutlineItem] = field(default_factory=list)


@dataclass
class Outline:
    course_id: int
    modules: list[OutlineModule]
    items: list[OutlineItem]  # every lesson and quiz, in reading order
    by_id: dict[int, OutlineItem]

    @property
    def required_lesson_ids(self) -> set[int]:
        return {i.id for i in self.items if i.kind == "lesson" and i.required}

    @property
    def lesson_ids(self) -> set[int]:
        return {i.id for i in self.items if i.kind == "lesson"}

    def neighbours(self, item_id: int) -> tuple[OutlineItem | None, OutlineItem | None]:
        item = self.by_id[item_id]
        prev_item = self.items[item.position - 1] if item.position > 0 else None
        next_item = self.items[item.position + 1] if item.position + 1 < len(self.items) else None
        return prev_item, next_item

    def locked_ids(self, *, sequential: bool, completed_ids: set[int]) -> set[int]:
        """Items a learner may not open yet: everything after the first required lesson
        they have not completed, when the course asks for lessons in order."""
        if not sequential:
            return set()
        for item in self.items:
            if item.kind == "lesson" and item.required and item.id not in completed_ids:
                return {later.id for later in self.items[item.position + 1 :]}
        return set()

    def first_open_item(self, *, completed_ids: set[int]) -> OutlineItem | None:
        """Where to continue: the first lesson not yet completed (or the first item)."""
        for item in self.items:
            if item.kind == "lesson" and item.id not in completed_ids:
                return item
        return self.items[0] if self.items else None


def _content_type_ids():
    get = ContentType.objects.get_for_model  # cached by Django after the first call
    return get(ModulePage).id, get(LessonPage).id, get(QuizPage).id


def build_outline(course: CoursePage, *, course_url: str) -> Outline:
    """``course_url`` is the course's own URL; items' URLs are built under it so that
    no per-page URL lookups are needed."""
    module_ct, lesson_ct, quiz_ct = _content_type_ids()
    pages = list(
        Page.objects.live()
        .descendant_of(course)
        .filter(content_type_id__in=(module_ct, lesson_ct, quiz_ct), depth__lte=course.depth + 2)
        .order_by("path")
        .only("id", "title", "url_path", "path", "depth", "content_type_id")
    )
    required = set(
        LessonPage.objects.live()
        .descendant_of(course)
        .filter(required=True)
        .values_list("id", flat=True)
    )
    modules: list[OutlineModule] = []
    items: list[OutlineItem] = []
    live_module_paths: dict[str, OutlineModule] = {}
    for page in pages:
        if page.content_type_id == module_ct and page.depth == course.depth + 1:
            module = OutlineModule(id=page.id, title=page.title)
            modules.append(module)
            live_module_paths[page.path] = module
            continue
        if page.content_type_id not in (lesson_ct, quiz_ct):
            continue
        module = None
        if page.depth == course.depth + 2:
            module = live_module_paths.get(page.path[: -Page.steplen])
            if module is None:
                continue  # its module is a draft or unpublished: hidden from learners
        kind = "lesson" if page.content_type_id == lesson_ct else "quiz"
        item = OutlineItem(
            id=page.id,
            title=page.title,
            url=course_url + page.url_path[len(course.url_path):],
            kind=kind,
            required=(page.id in required) if kind == "lesson" else False,
            module_id=module.id if module else None,
            position=len(items),
        )
        items.append(item)
        if module:
            module.items.append(item)
    return Outline(course_id=course.id, modules=modules, items=items, by_id={i.id: i for i in items})
