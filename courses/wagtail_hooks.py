"""The courses app's place in the Wagtail admin: enrolments (read-only) and question banks,
the review queue with its count, a quiz's statistics and regrading, and the links to
them from quiz pages. The pages themselves are in ``courses.admin``."""
from collections.abc import Iterator

from django.urls import URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from accounts.models import User
from kernel.admin_policies import ActionsOnlyPermissionPolicy

from .admin.quizzes import quiz_buttons
from .admin.reviews import ReviewQueueMenuItem
from .admin.viewsets import EnrollmentViewSet, QuestionBankViewSet
from .models import Enrollment

# Staff list and inspect enrolments; nobody adds, edits or deletes them through the admin.
register_permission_policy(Enrollment, ActionsOnlyPermissionPolicy(Enrollment))
register_snippet(QuestionBankViewSet)


@hooks.register("register_admin_viewset")
def register_enrollment_viewset() -> EnrollmentViewSet:
    return EnrollmentViewSet("enrollments")


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[URLResolver]:
    return [path("quiz-reviews/", include("courses.admin.urls"))]


@hooks.register("register_admin_menu_item")
def register_review_queue_menu_item() -> ReviewQueueMenuItem:
    return ReviewQueueMenuItem(
        _("Review queue"), reverse("quiz_reviews:index"), name="review-queue", icon_name="tasks", order=260
    )


@hooks.register("register_page_listing_more_buttons")
def quiz_listing_buttons(page: Page, user: User, next_url: str | None = None) -> Iterator[Button]:
    yield from quiz_buttons(page, user, priority=70)


@hooks.register("register_page_header_buttons")
def quiz_header_buttons(page: Page, user: User, view_name: str, next_url: str | None = None) -> Iterator[Button]:
    yield from quiz_buttons(page, user, priority=80)


@hooks.register("before_serve_page")
def page_in_each_language(page: Page, request: object, serve_args: tuple, serve_kwargs: dict) -> None:
    """Every page served from the tree (home, catalogue, course, lesson, quiz, content
    pages) tells the language switcher and the hreflang links its translations' addresses,
    which may differ from its own under another prefix (``kernel.i18n.alternate_urls``)."""
    from .languages import page_alternate_urls

    request.alternate_urls = page_alternate_urls(page, request)
    return None
