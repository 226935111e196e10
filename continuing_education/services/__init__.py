"""Writes for continuing education, one module per part.

- ``staff``: what staff do to CE certificates in the admin (revoke, reinstate, reissue
  after a name or licence change, grant partial credit) and the figures a CE certificate
  copies when it is made (``certificate_figures``).
- ``lapse_warnings``: warning staff before an approval lapses (periodic, from Celery beat).
- ``licences``: a learner's professional licence (``licence_save``).
"""
from .licences import licence_save

__all__ = ["licence_save"]
