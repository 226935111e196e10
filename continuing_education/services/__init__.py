"""Writes for continuing education, one module per part.

- ``staff``: what staff do to CE certificates in the admin (revoke, reinstate, reissue
  after a name or licence change, grant partial credit) and the figures a CE certificate
  copies when it is made (``certificate_figures``).
- ``lapse_warnings``: warning staff before an approval lapses (periodic, from Celery beat).
- ``licences``: a learner's professional licence (``licence_save``).
- ``issuing``: issuing CE certificates once every rule is met; ``rendering``: their PDF and
  "issued" email; ``notices``: the email about rules still unmet; ``credentials``: their
  signed digital credential; ``sweep``: issuing what the daily cap held back and finishing
  work a lost message left undone.
"""
from .credentials import ce_credential_issue
from .issuing import ce_certificate_issue, ce_evaluate, ce_request, ce_request_for_user
from .licences import licence_save
from .notices import ce_notify_unmet
from .rendering import ce_certificate_notify_issued, ce_certificate_render
from .sweep import ce_sweep

__all__ = [
    "ce_certificate_issue",
    "ce_certificate_notify_issued",
    "ce_certificate_render",
    "ce_credential_issue",
    "ce_evaluate",
    "ce_notify_unmet",
    "ce_request",
    "ce_request_for_user",
    "ce_sweep",
    "licence_save",
]
