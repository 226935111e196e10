from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    label = "courses"

    def ready(self) -> None:
        from . import page_views, signals, views  # noqa: F401
        from .models import CourseIndexPage, CoursePage, LessonPage, QuizPage

        # The page types ask the learning views what to show (``courses.page_views``).
        page_views.register(CourseIndexPage, context=views.course_index_context)
        page_views.register(CoursePage, context=views.course_page_context)
        page_views.register(LessonPage, serve=views.serve_course_item)
        page_views.register(QuizPage, serve=views.serve_course_item)
