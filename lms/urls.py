"""Every address. First those without a language prefix: what machines read (webhooks, the
did:web document, the health check, credentials' JSON and status lists), the Wagtail admin
(it follows each staff member's own language), downloads and the language switcher's
form. Then, under i18n_patterns, the pages people read: in English at their usual
addresses, in each other language under its prefix (/es/learn/...). lms/i18n.py never
sends a request for one of the first to a language's address."""
import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from certification import views as certification_views
from payments import views as payments_views

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    # did:web document: the public key that signs certificates' digital credentials.
    path(".well-known/did.json", certification_views.did_document, name="did_document"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("certificates/", include("certification.machine_urls")),
    path("attendance/", include("attendance.machine_urls")),
    path("stripe/webhook/", payments_views.stripe_webhook, name="stripe_webhook"),
    # The language switcher's form posts here (the choice is saved; lms/views.py).
    path("i18n/setlang/", views.set_language, name="set_language"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif settings.DEMO_SERVE_MEDIA:
    # The demo runs with DEBUG off (its 404 and 500 pages are the site's own), where
    # ``static()`` adds nothing: serve uploads (cover images, renditions) directly.
    # Never in production: its settings turn this off.
    from django.views.static import serve

    urlpatterns += [
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("accounts/profile/", include("accounts.urls")),
    path("learn/", include("courses.urls")),
    path("certificates/", include("certification.urls")),
    path("continuing-education/", include("continuing_education.urls")),
    path("attendance/check/", include("attendance.check_urls")),
    path("pay/", include("payments.urls")),
    path("organisations/", include("organisations.urls")),
    path("attendance/", include("attendance.urls")),
    # Wagtail's page tree serves everything else (home, catalogue, courses, lessons): English
    # unprefixed, every other language under its prefix (/es/...).
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
