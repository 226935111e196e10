from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "organisations"
    label = "organisations"
    verbose_name = "Organisations"

    def ready(self):
        from courses import restrictions

        from . import signals  # noqa: F401
        from .selectors import is_partner_member

        # courses cannot import organisations: it asks through this registered lookup
        # whether someone may take partners-only courses and modules.
        restrictions.register_partner_lookup(is_partner_member)
