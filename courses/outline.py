"""The course outline: ordered modules, lessons and quizzes.

Every learning view needs it, so it is read in one query (live pages under the course,
as plain values, with each lesson's and quiz's ``required`` flag joined in) and kept in the cache.
Any change to any page bumps the content version (``courses.content_cache``), which is
part of every outline's cache key, so an edited, moved, published or withdrawn page is
seen on the next request; the timeout is only a safety net. Modules kept for partner organisations are marked on the
outline (``partner_item_ids``), so that only their lessons cost the question "is this
learner a partner?" (``courses.restrictions``).
"""
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Q
from django.http import HttpRequest
from wagtail.models import Page

from . import content_cache
from .content_cache import CACHE_SECONDS, content_version
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
    partners_only: bool = False  # in a module kept for members of partner organisations
    # In another language than the source's (``courses.languages``): the published
    # translation ``url`` leads to (None: the source page itself).
    translation_id: int | None = None


@dataclass
class OutlineModule:
    id: int
    title: str
    items: list[OutlineItem] = field(default_factory=list)
    partners_only: bool = False


@dataclass
class Outline:
    course_id: int
    modules: list[OutlineModule]
    items: list[OutlineItem]  # every lesson and quiz, in reading order
    by_id: dict[int, OutlineItem]
    loose_items: list[OutlineItem] = field(default_factory=list)  # quizzes directly in the course
    # Items of partners-only modules (see ``courses.restrictions``).
    partner_item_ids: frozenset[int] = frozenset()
    course_url: str = ""  # the course's URL its items' URLs start with (in the language read)
    course_title: str = ""  # the course's title in the language read, where it differs from the source's

    @property
    def required_ids(self) -> set[int]:
        """Lessons to complete and quizzes to pass for the course to be complete (for a
        learner who is not a partner, less ``partner_item_ids``)."""
        return {i.id for i in self.items if i.required}

    def neighbours(self, item_id: int) -> tuple[OutlineItem | None, OutlineItem | None]:
        item = self.by_id[item_id]
        prev_item = self.items[item.position - 1] if item.position > 0 else None
        next_item = self.items[item.position + 1] if item.position + 1 < len(self.items) else None
        return prev_item, next_item

    def blocker(self, *, completed_ids: set[int], skip: frozenset[int] = frozenset()) -> OutlineItem | None:
        """The first required lesson not completed (or required quiz not passed), leaving
        out ``skip`` (items the learner cannot open)."""
        for item in self.items:
            if item.required and item.id not in completed_ids and item.id not in skip:
                return item
        return None

    def locked_ids(
        self, *, sequential: bool, completed_ids: set[int], skip: frozenset[int] = frozenset()
    ) -> set[int]:
        """Items a learner may not open yet: everything after the first required lesson
        they have not completed (or required quiz not passed), when the course asks for
        lessons in order. Items in ``skip`` (closed to the learner) never hold them up."""
        if not sequential:
            return set()
        item = self.blocker(completed_ids=completed_ids, skip=skip)
        return {later.id for later in self.items[item.position + 1 :]} if item else set()

    def first_open_item(self, *, completed_ids: set[int], skip: frozenset[int] = frozenset()) -> OutlineItem | None:
        """Where to continue: the first lesson not completed or quiz not passed (or the
        first item), leaving out ``skip`` (items the learner cannot open)."""
        for item in self.items:
            if item.id not in completed_ids and item.id not in skip:
                return item
        return next((item for item in self.items if item.id not in skip), None)


def build_outline(course: CoursePage, *, course_url: str, request: HttpRequest | None = None) -> Outline:
    """``course_url`` is the course's own URL; items' URLs are built under it so that
    no per-page URL lookups are needed."""
    key = _key(course.id, content_version(request), course_url)
    # This process's copy when it has one (shared by its requests: read only).
    return content_cache.get_or_build(key, lambda: _read_outline(course, course_url=course_url), CACHE_SECONDS)


def build_outlines(courses: Iterable[CoursePage], *, request: HttpRequest | None = None) -> dict[int, Outline]:
    """Several courses' outlines by course id, as ``build_outline(course, course_url="")``
    reads them (no URLs; the same cache entries): one cache round trip, and one query for
    all those not in the cache. For a page that counts over many courses (an organisation
    manager's dashboard) at a cost that does not grow with them."""
    courses = list(courses)
    if not courses:
        return {}
    version = content_version(request)
    keys = {course.id: _key(course.id, version, "") for course in courses}
    cached = cache.get_many(list(keys.values()))
    outlines = {course_id: cached[key] for course_id, key in keys.items() if key in cached}
    missing = [course for course in courses if course.id not in outlines]
    if missing:
        read = _read_outlines(missing)
        cache.set_many({keys[course_id]: outline for course_id, outline in read.items()}, CACHE_SECONDS)
        outlines.update(read)
    return outlines


def _key(course_id: int, version: int, course_url: str) -> str:
    return f"courses:outline:{course_id}:{version}:{course_url}"


def _content_type_ids() -> tuple[int, int, int]:
    get = ContentType.objects.get_for_model  # cached by Django after the first call
    return get(ModulePage).id, get(LessonPage).id, get(QuizPage).id


OUTLINE_COLUMNS = (
    "id", "title", "url_path", "path", "depth", "content_type_id", "lessonpage__required", "quizpage__required",
    "modulepage__partners_only",
)


def _read_outline(course: CoursePage, *, course_url: str) -> Outline:
    rows = (
        Page.objects.live()
        .descendant_of(course)
        .filter(content_type_id__in=_content_type_ids(), depth__lte=course.depth + 2)
        .order_by("path")
        .values_list(*OUTLINE_COLUMNS)
    )
    return _outline_of(course, rows, course_url=course_url)


def _read_outlines(courses: list[CoursePage]) -> dict[int, Outline]:
    """The outlines of several courses (no URLs) from one query: the rows of
    ``_read_outline`` for all of them, shared out by path."""
    under = Q()
    for course in courses:
        under |= Q(path__startswith=course.path, depth__in=(course.depth + 1, course.depth + 2))
    rows = (
        Page.objects.live()
        .filter(under, content_type_id__in=_content_type_ids())
        .order_by("path")
        .values_list(*OUTLINE_COLUMNS)
    )
    rows_of: dict[str, list[tuple]] = {course.path: [] for course in courses}
    for row in rows:
        path, depth = row[3], row[4]
        for levels in (1, 2):  # a module or a quiz in the course, or an item in one of its modules
            course_rows = rows_of.get(path[: (depth - levels) * Page.steplen])
            if course_rows is not None:
                course_rows.append(row)
    return {course.id: _outline_of(course, rows_of[course.path], course_url="") for course in courses}


def _outline_of(course: CoursePage, rows: Iterable[tuple], *, course_url: str) -> Outline:
    """A course's outline from its live modules, lessons and quizzes (``OUTLINE_COLUMNS``,
    in path order, at most two levels below the course)."""
    module_ct, lesson_ct, _ = _content_type_ids()
    modules: list[OutlineModule] = []
    items: list[OutlineItem] = []
    loose: list[OutlineItem] = []
    live_modules: dict[str, OutlineModule] = {}
    prefix_len = len(course.url_path)
    for page_id, title, url_path, path, depth, content_type_id, lesson_required, quiz_required, partners in rows:
        if content_type_id == module_ct:
            if depth == course.depth + 1:
                module = OutlineModule(id=page_id, title=title, partners_only=bool(partners))
                modules.append(module)
                live_modules[path] = module
            continue
        module = None
        if depth == course.depth + 2:
            module = live_modules.get(path[: -Page.steplen])
            if module is None:
                continue  # its module is a draft or withdrawn: hidden from learners
        kind = "lesson" if content_type_id == lesson_ct else "quiz"
        item = OutlineItem(
            id=page_id,
            title=title,
            kind=kind,
            required=bool(lesson_required if kind == "lesson" else quiz_required),
            module_id=module.id if module else None,
            position=len(items),
            url=course_url + url_path[prefix_len:],
            partners_only=bool(module and module.partners_only),
        )
        items.append(item)
        (module.items if module else loose).append(item)
    return Outline(
        course_id=course.id, modules=modules, items=items, by_id={i.id: i for i in items}, loose_items=loose,
        partner_item_ids=frozenset(i.id for i in items if i.partners_only), course_url=course_url,
    )
