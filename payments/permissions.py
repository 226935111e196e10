"""The payments app's permission names ("app.codename"), for services, selectors, views,
admin pages and emails alike.

``view_order`` and ``add_discountcode`` are Django's own; ``refund_order`` and
``decide_scholarshipapplication`` are declared in the models' ``Meta.permissions``. The
"Payments staff" group holds them all (migrations 0002 and 0004).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accounts.models import User

VIEW_ORDERS = "payments.view_order"
REFUND = "payments.refund_order"
GENERATE_CODES = "payments.add_discountcode"
VIEW_SCHOLARSHIPS = "payments.view_scholarshipapplication"
DECIDE_SCHOLARSHIPS = "payments.decide_scholarshipapplication"


def can_view_orders(user: User) -> bool:
    """The same rule as the Orders listing's policy: ``view_order`` or the right to refund."""
    return user.is_active and (user.has_perm(VIEW_ORDERS) or user.has_perm(REFUND))
