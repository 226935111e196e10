"""Site-wide views: the health check, the favicon, the CSRF failure answer, the
language switcher's choice."""
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import csrf
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.services import user_set_language_and_zone
from kernel import i18n
from kernel.decorators import wants_json


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as error:  # any failure means "not healthy"; say which
        return f"error: {error.__class__.__name__}"


def _broker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "not configured: tasks run in-process"
    from lms.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as error:
        return f"error: {error.__class__.__name__}"


@never_cache
def healthz(request):
    """Database and broker status for load balancers and people: 200 when usable, else 503."""
    database = _database_status()
    broker = _broker_status()
    healthy = database == "ok" and not broker.startswith("error")
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database, "broker": broker},
        status=200 if healthy else 503,
    )


def favicon(request):
    """Browsers and bots that ask for /favicon.ico (the pages name the icon themselves) get
    the icon, not a page-tree lookup ending in the 404 page."""
    # Temporary: the static URL carries the file's hash, which changes with the icon.
    return HttpResponseRedirect(static("img/favicon.svg"))


SESSION_CHANGED = _(
    "Not saved: you were signed out, or signed in again in another tab, since this page "
    "opened. Copy what you wrote somewhere safe, then reload the page and try again."
)


def csrf_failure(request, reason=""):
    """A page's script saving in the background (reflections, quiz answers) gets a
    reason it can show; a browser gets the site's own page in the person's language,
    saying what to do (Django's page, which names the reason, while DEBUG is on)."""
    if wants_json(request):
        return JsonResponse({"error": str(SESSION_CHANGED)}, status=403)
    if settings.DEBUG:
        return csrf.csrf_failure(request, reason=reason)
    return render(request, "csrf_failure.html", {"no_cookie": reason == REASON_NO_CSRF_COOKIE}, status=403)


@csrf_exempt
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher's form (Django's set_language, with the same fields:
    ``language`` and ``next``, the page's address in that language). The choice goes in
    the language cookie and, for a signed-in person, on their profile and in their
    session. An unknown language changes nothing and says so.

    No form token: the switcher is on every page, and pages served from the cache (the
    certificate verification page) carry none. Another site could at most set the
    language cookie: the session cookie is SameSite=Lax, so no cross-site post reaches a
    signed-in person's profile."""
    language = request.POST.get("language", "")
    if not i18n.is_language(language):
        return HttpResponseBadRequest(gettext("That language is not offered here."), content_type="text/plain; charset=utf-8")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = i18n.path_in(language, "/")
    response = HttpResponseRedirect(next_url)
    i18n.set_language_cookie(response, language)
    if request.user.is_authenticated:
        user_set_language_and_zone(user=request.user, language=language)
        request.session[i18n.SESSION_LANGUAGE] = language
    return response
