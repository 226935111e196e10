from django.apps import AppConfig


class LmsConfig(AppConfig):
    name = "lms"
    label = "lms"
    verbose_name = "Site"

    def ready(self):
        from . import checks  # noqa: F401
