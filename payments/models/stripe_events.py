"""Stripe's webhook events, stored once by Stripe's id."""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .orders import Order


class StripeEvent(models.Model):
    """A webhook event, stored once (by Stripe's id) after its signature was verified,
    then processed by ``stripe_event_process_task``."""

    stripe_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    livemode = models.BooleanField(default=False)
    api_version = models.CharField(max_length=64, blank=True)
    payload = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    processing_error = models.TextField(blank=True)
    outcome = models.CharField(max_length=255, blank=True, help_text=_("What processing did."))
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="stripe_events")

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["processed_at", "received_at"])]

    def __str__(self) -> str:
        return f"{self.type} {self.stripe_id}"

    @property
    def data_object(self) -> dict:
        return (self.payload.get("data") or {}).get("object") or {}

