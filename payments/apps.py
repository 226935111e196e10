from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        from courses.models import register_currency_check

        from . import checks, currencies, signals  # noqa: F401

        # A course's main currency must be one Stripe takes, as its other fees must.
        register_currency_check(currencies.problem)
