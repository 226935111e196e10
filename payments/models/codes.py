"""Discount codes: what learners type at checkout, and the rules a code must follow as
staff type it. A use is reserved when a checkout starts and released if it expires unpaid;
the database refuses a code used more often than it allows."""
import string
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from .. import money
from .base import AMOUNT


def normalise_code(text: str) -> str:
    """What learners type, the way codes are stored: no spaces, upper case."""
    return "".join((text or "").split()).upper()


CODE_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-")


def code_problem(text: str) -> str | None:
    """What is wrong with a code as staff typed it, in words; None if it is fine.

    Staff are told rather than having the code quietly changed: a code saved as something
    other than what they typed (spaces dropped, an accented letter kept) is not the code
    they hand out. Only ASCII letters and digits, because learners type codes on any
    keyboard and ``iexact`` lookups do not fold accents; at least one of them, because
    ``---`` is not a code anybody could read out.
    """
    bad = []
    for character in text:
        shown = gettext("spaces") if character.isspace() else f"“{character}”"
        if character not in CODE_CHARACTERS and shown not in bad:
            bad.append(shown)
    if bad:
        return gettext("Use only the letters A to Z, digits and dashes. Not allowed: %(characters)s.") % {
            "characters": ", ".join(bad),
        }
    if not any(character.isalnum() for character in text):
        return gettext("A code needs at least one letter or digit.")
    return None


class DiscountCode(models.Model):
    """A code that takes a percentage or a fixed amount off a course fee.

    Limited, if staff wish, to some courses, a number of uses and a date. Scholarship
    codes are generated in batches, each single-use (``discount_codes_generate``).
    A use is reserved when a checkout starts and released if that checkout expires
    unpaid, so a single-use code can never pay for two places.
    """

    class Kind(models.TextChoices):
        PERCENT = "percent", _("Percentage off the fee")
        FIXED = "fixed", _("Fixed amount off the fee")

    code = models.CharField(
        max_length=40,
        help_text=_("What learners type: letters, digits and dashes. Not case-sensitive."),
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERCENT)
    value = models.DecimalField(
        **AMOUNT,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("A percentage (100 waives the whole fee) or an amount in the currency below."),
    )
    currency = models.CharField(
        max_length=3, blank=True,
        help_text=_("For a fixed amount only: the currency of the amount (for example USD). "
                    "The code then applies to fees in that currency."),
    )
    courses = models.ManyToManyField(
        "courses.CoursePage", blank=True, related_name="+",
        help_text=_("Leave empty for every paid course."),
    )
    max_uses = models.PositiveIntegerField(
        _("maximum uses"), null=True, blank=True,
        help_text=_("Leave empty for no limit. Scholarship codes are single-use."),
    )
    uses = models.PositiveIntegerField(
        default=0, editable=False,
        help_text=_("Paid places and checkouts in progress that use this code."),
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    active = models.BooleanField(default=True, help_text=_("Untick to stop the code working at once."))
    batch_label = models.CharField(
        _("batch"), max_length=100, blank=True,
        help_text=_("Codes generated together share a label, for example “Scholarships spring 2026”."),
    )
    is_scholarship = models.BooleanField(_("scholarship code"), default=False, editable=False)
    note = models.TextField(blank=True, help_text=_("For staff only: what the code is for, who it was given to."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("discount code")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Upper("code"), name="payments_discount_code_ci_unique"),
            models.CheckConstraint(condition=Q(value__gt=0), name="payments_discount_value_positive"),
            models.CheckConstraint(
                condition=~Q(kind="percent") | Q(value__lte=100), name="payments_discount_percent_max_100"
            ),
            models.CheckConstraint(
                condition=~Q(kind="fixed") | ~Q(currency=""), name="payments_discount_fixed_has_currency"
            ),
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(uses__lte=F("max_uses")),
                name="payments_discount_uses_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def uses_left(self) -> int | None:
        return None if self.max_uses is None else max(self.max_uses - self.uses, 0)

    def describe(self) -> str:
        if self.kind == self.Kind.PERCENT:
            return gettext("%(percent)s%% off") % {"percent": f"{self.value.normalize():f}"}
        return gettext("%(amount)s off") % {"amount": money.display(self.value, self.currency)}

    def clean(self) -> None:
        super().clean()
        self.currency = (self.currency or "").upper()
        errors = {}
        stored = self._stored()
        # An empty code is the field's own error ("required"); the form strips the ends.
        # A code saved before these rules (an underscore, an accented letter, 0 uses) is
        # kept as it is while other fields are edited: learners may hold it, and staff must
        # still be able to switch it off.
        code_changed = stored is None or stored["code"].upper() != (self.code or "").upper()
        if self.code and code_changed and (problem := code_problem(self.code)):
            errors["code"] = problem
        elif self.code:
            self.code = self.code.upper()  # codes are not case-sensitive: stored in capitals
            if DiscountCode.objects.filter(code__iexact=self.code).exclude(pk=self.pk).exists():
                errors["code"] = gettext("Another discount code is already called that.")
        if self.kind == self.Kind.PERCENT and self.value is not None and self.value > 100:
            errors["value"] = gettext("A percentage cannot be more than 100.")
        if self.kind == self.Kind.FIXED and (len(self.currency) != 3 or not self.currency.isalpha()):
            errors["currency"] = gettext("A fixed amount needs its three-letter currency, for example USD.")
        if self.kind == self.Kind.PERCENT:
            self.currency = ""
        if self.max_uses is not None and self.max_uses < 1 and (stored is None or stored["max_uses"] != self.max_uses):
            # 0 would make a code that never works. Checked here, not by a database
            # constraint: rows saved before this rule may hold 0.
            errors["max_uses"] = gettext("Allow at least 1 use, or leave it empty for no limit.")
        elif self.max_uses is not None and self.max_uses < self.uses:  # so at least 2 uses: "times"
            errors["max_uses"] = gettext("It has already been used %(uses)s times.") % {"uses": self.uses}
        if self.expires_at is not None and self.expires_at <= timezone.now() and self._expiry_changed(stored):
            # A code that has already expired is refused at checkout: staff would hand
            # out a dead code. An expiry left as it was (a code that has run its course,
            # its note edited) is no mistake and is kept.
            errors["expires_at"] = gettext(
                "That date and time has already passed. Choose a later one, or untick “Active” to stop the code now."
            )
        if errors:
            raise ValidationError(errors)

    def _stored(self) -> dict | None:
        """The code as saved (None for a new one), to tell what an edit changes."""
        if self.pk is None:
            return None
        return DiscountCode.objects.filter(pk=self.pk).values("code", "max_uses", "expires_at").first()

    def _expiry_changed(self, stored: dict | None) -> bool:
        if stored is None or stored["expires_at"] is None:
            return True
        # The admin shows and sends back whole minutes: the seconds it drops are no change.
        return abs(stored["expires_at"] - self.expires_at) >= timedelta(minutes=1)

