"""Forms for people's own accounts: sign-in (allauth's, told when signing in is paused),
the name to print on certificates at sign-up and on the account page, and the language
and time zone a person reads in (the zone suggested from the browser at sign-up)."""
from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kernel import i18n
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


def time_zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every zone, grouped by region ("Europe": "Madrid", ...), for a select's optgroups."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in i18n.time_zones():
        region, _slash, place = name.partition("/")
        groups.setdefault(region if place else "Other", []).append((name, (place or name).replace("_", " ")))
    return sorted(groups.items())


class TimeZoneField(forms.ChoiceField):
    """A zone name from zoneinfo's list; anything else is refused with a clear error."""

    default_error_messages = {"invalid_choice": _("Choose a time zone from the list.")}

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", _("Time zone"))
        kwargs.setdefault("help_text", _("Dates and times on the site and in emails are shown in it."))
        kwargs.setdefault("choices", time_zone_choices)
        kwargs.setdefault("initial", settings.TIME_ZONE)
        # static/js/time_zone.js preselects the browser's zone where no choice was made.
        kwargs.setdefault("widget", forms.Select(attrs={"data-browser-zone": "suggest"}))
        super().__init__(**kwargs)


class SignupForm(forms.Form):
    """Extra sign-up fields for allauth (``ACCOUNT_SIGNUP_FORM_CLASS``): the account is
    created in the page's language and the zone chosen (the browser's, suggested)."""

    certificate_name = CertificateNameField(
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    # Not sent (no script, an older form): the site's zone until the person picks one.
    time_zone = TimeZoneField(required=False)

    field_order = ["certificate_name", "email", "password1", "password2", "time_zone"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:  # shown again with an error: keep the zone the person sent
            self.fields["time_zone"].widget.attrs.pop("data-browser-zone", None)

    def signup(self, request: HttpRequest, user: User) -> None:
        services.user_set_certificate_name(user=user, name=self.cleaned_data["certificate_name"])
        language = get_language()
        services.user_set_language_and_zone(
            user=user,
            language=language if i18n.is_language(language) else None,
            time_zone=self.cleaned_data.get("time_zone") or None,
        )


class ProfileForm(forms.Form):
    certificate_name = CertificateNameField(
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class LanguageSelect(forms.Select):
    """Each language named in itself, marked as written in it (lang="es") for screen
    readers to say it right."""

    def create_option(self, name: str, value: object, *args: object, **kwargs: object) -> dict:
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option


class LanguageAndZoneForm(forms.Form):
    """The account page's choice of language and time zone."""

    language = forms.ChoiceField(
        label=_("Language"),
        widget=LanguageSelect,
        choices=lambda: list(settings.LANGUAGES),
        error_messages={"invalid_choice": _("Choose one of the languages offered.")},
    )
    time_zone = TimeZoneField(widget=forms.Select)
