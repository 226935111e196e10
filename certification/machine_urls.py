"""Certificates as machines read them, at addresses without a language prefix: the
verification JSON, the signed revocation lists (W3C Bitstring Status List), programmes'
badge images and the digital credential. The lists' and badges' addresses are signed into
credentials, so they never change. Mounted at certificates/ beside urls.py."""
from django.urls import path

from . import views

app_name = "credentials"
urlpatterns = [
    path("verify/<str:code>.json", views.verify_json, name="verify_json"),
    path("status/<int:number>", views.status_list_credential, name="status_list"),
    path("programmes/<int:programme_id>/badge.svg", views.badge, name="badge"),
    path("<str:code>/credential.json", views.credential, name="credential"),
]
