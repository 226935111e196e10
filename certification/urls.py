from django.urls import path

from . import views

app_name = "certification"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("verify/", views.lookup, name="lookup"),
    # Before verify/<code>/, which would otherwise take "credential" for a code.
    path("verify/credential/", views.credential_check, name="credential_check"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("verify/<str:code>.json", views.verify_json, name="verify_json"),
    # A signed revocation list (W3C Bitstring Status List), and programmes' badge images:
    # both addresses are signed into credentials, so they never change.
    path("status/<int:number>", views.status_list_credential, name="status_list"),
    path("programmes/<int:programme_id>/badge.svg", views.badge, name="badge"),
    path("<str:code>/pdf/", views.pdf, name="pdf"),
    path("<str:code>/credential.json", views.credential, name="credential"),
    path("code-of-conduct/accept/", views.accept_conduct, name="accept_conduct"),
    path("attestations/<int:attestation_id>/", views.attest, name="attest"),
]
