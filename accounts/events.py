"""Signals other apps listen to, kept free of imports so anything can send them."""
from django.dispatch import Signal

# The name to print on certificates changed (kwargs: user_id). Sent after the save.
certificate_name_changed = Signal()
