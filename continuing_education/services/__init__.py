"""Writes for continuing education: issuing CE certificates (``issuing``), their PDF and
"issued" email (``rendering``), the email about rules still unmet (``notices``), their
signed digital credential (``credentials``) and the sweep that finishes work a lost
message left undone and issues what the daily cap held back (``sweep``). Callers use this
package's names."""
from .credentials import ce_credential_issue
from .issuing import ce_certificate_issue, ce_evaluate, ce_request, ce_request_for_user
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
]
