"""Organisations that train their staff: members and roles, seats on courses, invitations.

What the database guarantees, however many requests race:

- one membership per person and organisation;
- a seat pool per organisation and course whose ``used`` never exceeds ``total``
  (a check constraint, so N seats can never become N+1 places);
- one seat per person and pool while it is held;
- one pending invitation per address, organisation and course;
- one purchase of seats per payment order.

Managers see progress through these rows and the learner's enrolment; nothing here holds
what a learner keeps private (reflections, written answers).

One module per aggregate (``organisations``: organisations and memberships; ``seats``:
pools, their ledger, purchases and seats; ``invitations``); callers use this package's names.
"""
from .invitations import Invitation, new_nonce
from .organisations import Membership, Organisation
from .seats import Seat, SeatChange, SeatPool, SeatPurchase

__all__ = ["Invitation", "Membership", "Organisation", "Seat", "SeatChange", "SeatPool", "SeatPurchase", "new_nonce"]
