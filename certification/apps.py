from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    label = "certification"

    def ready(self) -> None:
        from courses import next_steps

        from . import signals  # noqa: F401
        from .next_steps import programme_steps

        # courses cannot import certification: the course page, the message after the last
        # lesson and the completion email ask through this registered lookup what is left
        # for the certificates of the course's programmes.
        next_steps.register_programme_lookup(programme_steps)
