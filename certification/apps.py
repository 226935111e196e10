from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    label = "certification"

    def ready(self):
        from . import signals  # noqa: F401
