"""Writes for continuing education, one module per part; callers import the module they
need (``from continuing_education.services import staff``).

- ``staff``: what staff do to CE certificates in the admin (revoke, reinstate, reissue
  after a name or licence change, grant partial credit) and the figures a CE certificate
  copies when it is made (``certificate_figures``).
- ``lapse_warnings``: warning staff before an approval lapses (periodic, from Celery beat).
"""
