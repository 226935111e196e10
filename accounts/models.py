from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from kernel.names import validate_printable_name


class User(AbstractUser):
    """A person who learns, authors or manages training.

    We keep only what training needs: an email to sign in with and the name the person
    wants printed on certificates. Nothing about meetings or their participants.
    """

    email = models.EmailField(_("email address"))
    certificate_name = models.CharField(
        _("name on certificates"),
        max_length=150,
        help_text=_("Printed on your certificates exactly as you type it here."),
        validators=[validate_printable_name],
    )

    welcomed_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text=_("When the welcome email went out; it is sent once."),
    )

    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.certificate_name or self.email

    def get_full_name(self) -> str:
        return self.certificate_name or super().get_full_name()
