"""Writes for continuing education, one module per process; callers use this package's
names (``services.licence_save(...)``)."""
from .licences import licence_save

__all__ = ["licence_save"]
