from .attempts import QuizAttempt, ReviewDigest
from .pages import CourseIndexPage, CoursePage, LessonPage, ModulePage, register_currency_check
from .progress import Enrollment, LessonProgress, ReflectionAnswer, StudyHour
from .quiz import QuestionBank, QuizPage

__all__ = [
    "CourseIndexPage",
    "CoursePage",
    "Enrollment",
    "LessonPage",
    "LessonProgress",
    "ModulePage",
    "QuestionBank",
    "QuizAttempt",
    "QuizPage",
    "register_currency_check",
    "ReflectionAnswer",
    "ReviewDigest",
    "StudyHour",
]
