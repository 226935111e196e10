"""Forms for people's own accounts: sign-in (allauth's, told when signing in is paused),
the name to print on certificates at sign-up and on the account page."""
from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kernel.names import validate_printable_name

from . import services
from .models import User


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form; ``throttled`` tells the page to show the ways in that work
    while signing in with a password is paused (templates/account/login.html)."""

    @property
    def throttled(self) -> bool:
        return self.is_bound and self.has_error(NON_FIELD_ERRORS, "too_many_login_attempts")


class CertificateNameField(forms.CharField):
    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("max_length", 150)
        kwargs.setdefault("validators", [validate_printable_name])
        kwargs.setdefault("label", _("Your name, as it should appear on certificates"))
        kwargs.setdefault(
            "help_text",
            _("Use the name you want others to see. You can change it later."),
        )
        super().__init__(**kwargs)

    def clean(self, value: str | None) -> str:
        value = " ".join((value or "").split())
        return super().clean(value)


class SignupForm(forms.Form):
    """Extra sign-up field for allauth (``ACCOUNT_SIGNUP_FORM_CLASS``)."""

    certificate_name = CertificateNameField(
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    field_order = ["certificate_name", "email", "password1", "password2"]

    def signup(self, request: HttpRequest, user: User) -> None:
        services.user_set_certificate_name(user=user, name=self.cleaned_data["certificate_name"])


class ProfileForm(forms.Form):
    certificate_name = CertificateNameField(
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
