"""Continuing education's pages for people, served in each language (mounted at
continuing-education/ under i18n_patterns)."""
from django.urls import path

from . import views
from .learner import views as learner_views

app_name = "continuing_education"
urlpatterns = [
    path("", views.status, name="status"),
    path("certificates/<str:code>/pdf/", views.pdf, name="pdf"),
    path("certificates/<str:code>/credential.json", views.credential, name="credential"),
    path("licence/", learner_views.licence, name="licence"),
    path("transcript/", learner_views.transcript, name="transcript"),
    path("transcript/ce-transcript.pdf", learner_views.transcript_pdf, name="transcript_pdf"),
    path("transcript/ce-transcript.csv", learner_views.transcript_csv, name="transcript_csv"),
]
