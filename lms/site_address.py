"""The Wagtail site's address follows ``BASE_URL``.

Wagtail builds a page's absolute address (``Page.full_url``: its moderation emails, the
admin's "view live" links) from the default site's hostname and port, a database row,
while everything else builds absolute links from ``BASE_URL``. So that one setting
decides every link, the default site is brought into line with it after each
``migrate`` (which ``make demo`` and every deployment run): the demo on another port, or
a deployment on its own host, needs nothing else.
"""
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connections, transaction

DEFAULT_PORTS = {"http": 80, "https": 443}


def base_address() -> tuple[str, int]:
    """(hostname, port) of ``BASE_URL``; the scheme's own port when none is given."""
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return (parts.hostname or "localhost"), (parts.port or DEFAULT_PORTS.get(parts.scheme, 80))


def site_sync_base_url(*, using: str = "default") -> bool:
    """Give the default Wagtail site the host and port of ``BASE_URL``. Returns True if it
    changed. Saved through the model, so Wagtail's cache of site addresses and this
    project's copies of the site lookup (``courses/site_lookup.py``) follow at once."""
    from wagtail.models import Site

    if Site._meta.db_table not in connections[using].introspection.table_names():
        return False  # migrated only part of the way: nothing to bring into line yet
    hostname, port = base_address()
    with transaction.atomic(using=using):
        site = Site.objects.using(using).select_for_update().filter(is_default_site=True).first()
        if site is None or (site.hostname, site.port) == (hostname, port):
            return False
        site.hostname, site.port = hostname, port
        site.save(using=using, update_fields=["hostname", "port"])
        return True


def on_post_migrate(sender, using="default", **kwargs):
    site_sync_base_url(using=using)
