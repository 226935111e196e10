"""Continuing education's staff pages in the Wagtail admin (registered by
``wagtail_hooks.py``): accrediting bodies and approvals with their validation
(``approvals``, ``approval_form``), the CE certificate listing and inspect page
(``certificates``, ``filters``), revoking, reinstating and reissuing (``actions``), granting
partial credit (``partial``), the report per body and period (``report``), the dashboard's
panel of approvals lapsing soon (``dashboard``), their forms and URLs, and how they word
things (``display``).

Kept free of imports: Django's admin autodiscovery imports this package at start-up."""
