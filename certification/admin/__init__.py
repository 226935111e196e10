"""Certification's staff pages in the Wagtail admin (registered by ``wagtail_hooks.py``):
the certificate listing and inspect page (``certificates``, ``filters``), revoking and
reinstating (``revocation``), signing off practical work (``practical``), their forms and
URLs, and how they word things (``display``).

Kept free of imports: Django's admin autodiscovery imports this package at start-up."""
