"""Authors can only build trees the learning views understand."""
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from continuing_education.models import EvaluationPage
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage, QuizPage
from lms.models import ContentPage, HomePage


class PageTreeRulesTest(WagtailPageTestCase):
    def test_allowed_parents(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})
        self.assertAllowedParentPageTypes(QuizPage, {ModulePage, CoursePage})

    def test_allowed_children(self):
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        # A course's evaluation (continuing education) sits beside its modules.
        self.assertAllowedSubpageTypes(CoursePage, {ModulePage, QuizPage, EvaluationPage})
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage, QuizPage})
        self.assertAllowedSubpageTypes(LessonPage, set())
        self.assertAllowedSubpageTypes(QuizPage, set())
        self.assertAllowedSubpageTypes(HomePage, {CourseIndexPage, ContentPage})

    def test_lessons_cannot_sit_directly_in_a_course_or_catalogue(self):
        self.assertCanNotCreateAt(CoursePage, LessonPage)
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)
        self.assertCanNotCreateAt(Page, CoursePage)

    def test_migrations_create_home_and_single_catalogue(self):
        home = HomePage.objects.get()
        catalogue = CourseIndexPage.objects.get()
        assert catalogue.get_parent().specific == home
        assert home.get_site().is_default_site
        assert catalogue.url == "/courses/"
        # max_count = 1: a second catalogue cannot be added.
        self.assertFalse(CourseIndexPage.can_create_at(home))
