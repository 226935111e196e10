from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    label = "courses"

    def ready(self):
        from . import signals  # noqa: F401
