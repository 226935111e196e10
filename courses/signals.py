"""Keep learners' progress right when authors publish or withdraw course content."""
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .models import CoursePage, LessonPage, ModulePage


def _course_changed(instance):
    from .tasks import course_refresh_enrollments_task

    course = CoursePage.objects.ancestor_of(instance).first()
    if course is not None:
        course_refresh_enrollments_task.delay_on_commit(course.id)


@receiver(page_published, sender=LessonPage)
@receiver(page_published, sender=ModulePage)
@receiver(page_unpublished, sender=LessonPage)
@receiver(page_unpublished, sender=ModulePage)
def content_changed(sender, instance, **kwargs):
    _course_changed(instance)
