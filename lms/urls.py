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
    path("accounts/", include("allauth.urls")),
    path("accounts/profile/", include("accounts.urls")),
    path("learn/", include("courses.urls")),
    path("certificates/", include("certification.urls")),
    path("pay/", include("payments.urls")),
    path("organisations/", include("organisations.urls")),
    path("stripe/webhook/", payments_views.stripe_webhook, name="stripe_webhook"),
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

# Wagtail's page tree serves everything else (home, catalogue, courses, lessons): English
# unprefixed, every other language under its prefix (/es/...).
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)
