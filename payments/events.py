"""Signals other apps listen to (organisations turns seat orders into seats), kept free
of imports so that payments never imports the apps that build on it."""
from django.dispatch import Signal

# A seat order was paid (kwargs: order). Sent inside the settling transaction, with the
# order row locked; receivers lock only rows that come after the order.
seats_paid = Signal()
# What was refunded on a seat order changed, up or down (kwargs: order, with
# ``amount_refunded`` already recomputed). Same transaction and lock as above; a receiver
# may add flags to the order, which is saved after it returns.
seats_refunded = Signal()
