"""Shared by the payments models: how amounts are stored.

Amounts are ``Decimal`` in the currency's major unit (see ``payments.money``), two decimal
places, up to 99,999,999.99.
"""
from ..money import ZERO

AMOUNT = {"max_digits": 10, "decimal_places": 2}

__all__ = ["AMOUNT", "ZERO"]
