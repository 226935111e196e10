from .pages import CourseIndexPage, CoursePage, LessonPage, ModulePage, QuizPage
from .progress import Enrollment, LessonProgress, ReflectionAnswer

__all__ = [
    "CourseIndexPage",
    "CoursePage",
    "Enrollment",
    "LessonPage",
    "LessonProgress",
    "ModulePage",
    "QuizPage",
    "ReflectionAnswer",
]
