"""Reads for organisations: who may manage what, memberships, seats and invitations.

One module per part (``organisations``: organisations and their people; ``seats``;
``invitations``: their links, the lists a manager sends and the manager's pages); callers
use this package's names (``selectors.managed_membership(...)``). The manager's staff
progress dashboard has its own package, ``organisations.dashboard``.
"""
from .invitations import (
    SALT, Preview, Row, invitable_courses, invitation_from_token, invitation_preview, invitation_problem,
    invitation_token, invitation_url, pending_counts_by_course, pending_invitations, place_is_paid,
    recently_accepted, rows_from_csv, split_line,
)
from .organisations import (
    countries_in_use, is_partner_member, managed_membership, managers_of, members_of, memberships_of,
    organisations_with_counts,
)
from .seats import (
    SEAT_CHECKOUT_REUSE, all_seat_pools, buyable_courses, has_made_progress, has_started, held_seats,
    recent_seat_checkout, refundable_seats, refunds_reserved, seat_changes, seat_order, seat_order_organisation_id,
    seat_pool_free, seat_pools, seat_purchases, seats_added_by_order,
)

__all__ = [
    "SALT", "SEAT_CHECKOUT_REUSE", "Preview", "Row", "all_seat_pools", "buyable_courses", "countries_in_use",
    "has_made_progress", "has_started", "held_seats", "invitable_courses", "invitation_from_token",
    "invitation_preview", "invitation_problem", "invitation_token", "invitation_url", "is_partner_member",
    "managed_membership", "managers_of", "members_of", "memberships_of", "organisations_with_counts",
    "pending_counts_by_course", "pending_invitations", "place_is_paid", "recent_seat_checkout", "recently_accepted",
    "refundable_seats", "refunds_reserved", "rows_from_csv", "seat_changes", "seat_order",
    "seat_order_organisation_id", "seat_pool_free", "seat_pools", "seat_purchases", "seats_added_by_order",
    "split_line",
]
