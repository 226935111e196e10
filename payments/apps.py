from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from courses.models import register_currency_check

        from . import checks, currencies, signals  # noqa: F401

        # A course's main currency must be one Stripe takes, as its other fees must.
        register_currency_check(currencies.problem)
