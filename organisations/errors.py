"""What organisations refuses, in words safe to show the person.

Raised by services (a write refused) and by the selectors that read an invitation link (a
link that cannot be used), so both find them here; ``services`` re-exports them.
"""
from __future__ import annotations

from kernel.errors import Refusal


class OrganisationError(Refusal):
    """A request we refuse; ``message`` is safe to show, ``field`` names the form field."""

    field: str | None = None

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        if field:
            self.field = field


class SeatsGone(OrganisationError):
    """Every seat of the pool is taken."""


class InvitationInvalid(OrganisationError):
    """The link cannot be used: tampered, retired, expired, used or withdrawn."""


class InvitationTampered(InvitationInvalid):
    """The link itself was altered or cut short (rather than genuine but no longer usable)."""
