"""Keep learners' progress right when authors publish or withdraw course content."""
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import content_cache, jobs
from .models import CoursePage, LessonPage, ModulePage, QuizPage


def _course_changed(instance: Page) -> None:
    course = CoursePage.objects.ancestor_of(instance).first()
    if course is not None:
        jobs.refresh_course_enrollments.enqueue_on_commit(course.id)


@receiver(page_published, sender=LessonPage)
@receiver(page_published, sender=ModulePage)
@receiver(page_unpublished, sender=LessonPage)
@receiver(page_unpublished, sender=ModulePage)
@receiver(page_published, sender=QuizPage)
@receiver(page_unpublished, sender=QuizPage)
def content_changed(sender: type[Page], instance: Page, **kwargs) -> None:
    _course_changed(instance)


@receiver(post_save)
@receiver(post_delete)
def page_changed(sender: type, instance: object, **kwargs) -> None:
    # Any page change may change some course's outline (titles, slugs, liveness); a view
    # restriction change, who may see the cached lessons; a site change, the URLs kept
    # with routed lessons and outlines.
    if isinstance(instance, (Page, PageViewRestriction, Site, Locale)):
        content_cache.invalidate()
        # Again once committed, so that a request that read the old tree in between
        # does not leave a stale outline in the cache.
        transaction.on_commit(content_cache.invalidate)


@receiver(post_page_move)
def page_moved_changed(sender: type[Page], **kwargs) -> None:
    content_cache.invalidate()
    transaction.on_commit(content_cache.invalidate)
