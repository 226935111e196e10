"""What an app selling through payments tells it about its orders; payments imports none
of those apps.

Seat orders (``Order.Purpose.SEATS``) are bought for an organisation, which is the
``organisations`` app's business. That app registers two answers when it is ready
(``register_seat_orders``):

- ``page(order)``: the address of the order's own page, where the buyer returns from
  Stripe (the seats pages check the payment and report it);
- ``detail(order)``: what staff see about the order on its admin pages (whose seats, how
  many refunded, links to the organisation and to "Refund unused seats"), or None.

Until something is registered a seat order has no page (404) and no detail: the order's
admin pages then show it like any other order.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .models import Order


@dataclass(frozen=True)
class SeatOrderDetail:
    organisation: str
    organisation_url: str
    refund_url: str  # "Refund unused seats"
    quantity: int
    refunded: int


_page: Callable[[Order], str] | None = None
_detail: Callable[[Order], SeatOrderDetail | None] | None = None


def register_seat_orders(
    *, page: Callable[[Order], str] | None, detail: Callable[[Order], SeatOrderDetail | None] | None
) -> None:
    """Register (or with None, forget) the answers about seat orders; see the module's text."""
    global _page, _detail
    _page, _detail = page, detail


def seat_order_page(order: Order) -> str | None:
    """The address of a seat order's own page; None for any other order."""
    if not order.is_seats or _page is None:
        return None
    return _page(order)


def seat_order_detail(order: Order) -> SeatOrderDetail | None:
    """What staff see about a seat order (one query, by the registered app); None for any
    other order, and without a query."""
    if not order.is_seats or _detail is None:
        return None
    return _detail(order)
