from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    label = "lms"
    verbose_name = _("Site")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401
        from .site_address import on_post_migrate

        # After every migrate, the Wagtail site's address follows BASE_URL (site_address.py).
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="lms.site_follows_base_url")

        # The site's own links (home, catalogue, about) are looked up again when those pages change.
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import post_page_move

        from . import site_links

        post_save.connect(site_links.on_change, dispatch_uid="lms.site_links_saved")
        post_delete.connect(site_links.on_change, dispatch_uid="lms.site_links_deleted")
        post_page_move.connect(site_links.on_move, dispatch_uid="lms.site_links_moved")
