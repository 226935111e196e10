"""Writes for certification: issuing, rendering, notifying, reissuing, revoking,
reinstating, reminding, the learner's own steps (code of conduct, attestations), practical
sign-offs, places in the revocation lists, and finishing work a lost message left undone.

One module per part (``issuing``, ``rendering``, ``revocation``, ``reminders``,
``conduct``, ``practical``, ``status_entries``, ``credentials``, ``pending``, ``sweep``);
callers use this package's names (``services.certificate_issue(...)``).

Every function is safe to run twice or concurrently: issuing is backed by the
one-certificate-per-period constraint, rendering checks which revision the stored PDF
shows, emails are marked sent in the same transaction as the send under a row lock.
What each step leaves to do is recorded with it (``pending``), so a lost message is
found by the sweep.
"""
from .base import CertificationError, holder_name
from .conduct import attestation_answer, conduct_accept
from .credentials import credential_issue
from .issuing import certificate_issue, certificates_reissue_for_name, programmes_evaluate
from .practical import practical_signoff
from .reminders import expiry_reminders_send
from .rendering import certificate_notify_issued, certificate_render
from .revocation import certificate_reinstate, certificate_revoke
from .status_entries import status_entries_retire, status_entries_retire_for, status_entry_ensure, status_entry_ensure_for
from .sweep import certification_sweep

__all__ = [
    "CertificationError",
    "attestation_answer",
    "certificate_issue",
    "certificate_notify_issued",
    "certificate_reinstate",
    "certificate_render",
    "certificate_revoke",
    "certificates_reissue_for_name",
    "certification_sweep",
    "conduct_accept",
    "credential_issue",
    "expiry_reminders_send",
    "holder_name",
    "practical_signoff",
    "programmes_evaluate",
    "status_entries_retire",
    "status_entries_retire_for",
    "status_entry_ensure",
    "status_entry_ensure_for",
]
