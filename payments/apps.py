from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401
