"""Payments' staff pages in the Wagtail admin, registered by ``payments.wagtail_hooks``:
one module per topic (``orders`` with refunds, ``codes``, ``scholarships``, ``revenue``),
their ``forms`` and ``filters``, the ``viewsets`` that list and inspect the records, and
``urls`` for the pages outside them.

Thin views: parse, authorise in ``dispatch`` (so a refused POST does nothing), call a
service, render. Orders change only through the services, never by editing rows.
"""
