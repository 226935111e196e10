from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from accounts import landing
        from courses import restrictions
        from payments import extensions as payment_extensions

        from . import signals  # noqa: F401
        from .landing import manager_landing
        from .order_seats import seat_order_detail, seat_order_page
        from .selectors import is_partner_member

        # courses cannot import organisations: it asks through this registered lookup
        # whether someone may take partners-only courses and modules.
        restrictions.register_partner_lookup(is_partner_member)
        # Nor can accounts: a manager signing in lands on their organisation's page.
        landing.register_landing(manager_landing)
        # Nor can payments: its pages learn about seat orders from these answers.
        payment_extensions.register_seat_orders(page=seat_order_page, detail=seat_order_detail)
