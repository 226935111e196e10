"""Certification's staff pages in the Wagtail admin (registered by ``wagtail_hooks.py``):
the certificate listing and inspect page (``certificates``, ``filters``), revoking and
reinstating (``revocation``), signing off practical work (``practical``), their forms and
URLs, how they word things (``display``), and the programme and code of conduct edit form
that keeps one translation per language (``translations``).

Kept free of imports: Django's admin autodiscovery imports this package at start-up."""
