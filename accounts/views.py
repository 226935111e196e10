"""The account page: the name printed on certificates, the language and time zone."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from kernel import i18n

from . import selectors, services
from .forms import LanguageAndZoneForm, ProfileForm

# The hidden field telling which of the page's forms was sent.
_PREFERENCES = "language-and-zone"


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    sent = request.POST if request.method == "POST" else None
    preferences_sent = sent is not None and sent.get("form") == _PREFERENCES
    form = ProfileForm(None if preferences_sent else sent, initial={"certificate_name": request.user.certificate_name})
    language, time_zone = selectors.user_language_and_zone(request.user)
    preferences = LanguageAndZoneForm(
        sent if preferences_sent else None,
        initial={
            "language": language or translation.get_language(),
            "time_zone": time_zone or getattr(request, "TIME_ZONE", ""),
        },
    )
    if preferences_sent and preferences.is_valid():
        language, time_zone = preferences.cleaned_data["language"], preferences.cleaned_data["time_zone"]
        services.user_set_language_and_zone(user=request.user, language=language, time_zone=time_zone)
        i18n.remember(request.session, language=language, time_zone=time_zone)
        with translation.override(language):
            messages.success(request, _("Your language and time zone are saved."))
            response = redirect(i18n.path_in(language, i18n.path_in_default_language(request.path)))
        i18n.set_language_cookie(response, language)
        return response
    if sent is not None and not preferences_sent and form.is_valid():
        services.user_set_certificate_name(user=request.user, name=form.cleaned_data["certificate_name"])
        messages.success(request, _("Your certificate name is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "preferences": preferences, "preferences_form": _PREFERENCES})
