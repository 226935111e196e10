from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "organisations"
    label = "organisations"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from accounts import landing
        from courses import restrictions

        from . import signals  # noqa: F401
        from .landing import manager_landing
        from .selectors import is_partner_member

        # courses cannot import organisations: it asks through this registered lookup
        # whether someone may take partners-only courses and modules.
        restrictions.register_partner_lookup(is_partner_member)
        # Nor can accounts: a manager signing in lands on their organisation's page.
        landing.register_landing(manager_landing)
