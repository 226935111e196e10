"""A course's fee in other currencies than its main one.

The course page keeps its main fee (``CoursePage.price_amount`` in ``price_currency``):
whether a course is free, and the fee anyone sees when they have no fee in their own
currency. Staff add the same course's fee in other currencies here, on the course's page
in the admin (an inline under "How the course runs"). One fee per course and currency,
each above zero, each in a currency Stripe takes (``payments.currencies``); the database
refuses duplicates and amounts of zero or less.
"""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from .. import currencies, money


class CoursePrice(Orderable):
    """The fee for one place on ``course`` when paid in ``currency``."""

    course = ParentalKey("courses.CoursePage", on_delete=models.CASCADE, related_name="prices")
    currency = models.CharField(
        _("currency"), max_length=3, help_text=_("Three-letter code, for example EUR."),
    )
    amount = models.DecimalField(
        _("fee"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))],
    )

    panels = [FieldRowPanel([FieldPanel("amount"), FieldPanel("currency")])]

    class Meta(Orderable.Meta):
        verbose_name = _("fee in another currency")
        verbose_name_plural = _("fees in other currencies")
        constraints = [
            models.UniqueConstraint(fields=["course", "currency"], name="payments_courseprice_one_per_currency"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_courseprice_amount_positive"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="payments_courseprice_currency_upper_case"
            ),
        ]

    def __str__(self) -> str:
        return money.display(self.amount, self.currency)

    def clean(self) -> None:
        super().clean()
        self.currency = currencies.normalise(self.currency)
        problem = currencies.problem(self.currency)
        if problem:
            raise ValidationError({"currency": problem})
        if self.amount is not None:
            try:
                money.to_minor(self.amount, self.currency)
            except ValueError:
                raise ValidationError({"amount": gettext(
                    "%(currency)s has no smaller unit than %(step)s: enter the fee as a whole number of it."
                ) % {"currency": self.currency, "step": money.quantum(self.currency)}}) from None
