"""Certification's staff pages in the Wagtail admin (registered by ``wagtail_hooks.py``):
the certificate listing and inspect page (``certificates``), revoking and reinstating
(``revocation``), signing off practical work (``practical``), their forms and URLs.

Kept free of imports: Django's admin autodiscovery imports this package at start-up."""
