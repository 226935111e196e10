"""Writes for organisations: creating one, roles, seats (bought, granted, refunded, taken,
released), invitations, and leaving.

One module per part (``organisations``: organisations, memberships and roles; ``seats``:
pools and the seats in them; ``seat_purchases``: seats bought and refunded through
payments; ``invitations``); callers use this package's names (``services.seat_take(...)``).

Locks are always taken in the same order, so that two requests never wait on each
other in a circle: invitation → payment order → seat pool → seat → enrolment.
The seat pool row is the one that serialises seat takers: N seats and N+5 people
accepting at once give exactly N places (and the database's ``used <= total`` check
would refuse an N+1th even if the code were wrong).
"""
from ..errors import InvitationInvalid, InvitationTampered, OrganisationError, SeatsGone
from .invitations import (
    Accepted, invitation_accept, invitation_resend, invitation_send, invitation_withdraw, invitations_create,
)
from .organisations import (
    PARTNER_OFF, PARTNER_ON, manager_set_role, membership_join, membership_leave, organisation_create,
    organisation_set_partner,
)
from .seat_purchases import (
    SEATS_NOT_SET_UP, SeatCheckout, seats_add_for_order, seats_buy_start, seats_not_set_up_message, seats_refund,
    seats_sync_refund,
)
from .seats import SeatTaken, pool_for, seat_release, seat_take, seats_grant

__all__ = [
    "PARTNER_OFF", "PARTNER_ON", "SEATS_NOT_SET_UP", "Accepted", "InvitationInvalid", "InvitationTampered",
    "OrganisationError", "SeatCheckout", "SeatTaken", "SeatsGone", "invitation_accept", "invitation_resend",
    "invitation_send", "invitation_withdraw", "invitations_create", "manager_set_role", "membership_join",
    "membership_leave", "organisation_create", "organisation_set_partner", "pool_for",
    "seat_release", "seat_take", "seats_add_for_order", "seats_buy_start", "seats_grant", "seats_not_set_up_message",
    "seats_refund", "seats_sync_refund",
]
