"""Certificates' pages for people, served in each language (under /es/ for Spanish).
What machines read (JSON, signed status lists, badge images, credentials) is in
machine_urls.py: those addresses are signed into credentials and never change."""
from django.urls import path

from . import views

app_name = "certification"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("verify/", views.lookup, name="lookup"),
    # Before verify/<code>/, which would otherwise take "credential" for a code.
    path("verify/credential/", views.credential_check, name="credential_check"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("<str:code>/pdf/", views.pdf, name="pdf"),
    path("code-of-conduct/accept/", views.accept_conduct, name="accept_conduct"),
    path("attestations/<int:attestation_id>/", views.attest, name="attest"),
]
