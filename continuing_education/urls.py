"""Continuing education's pages for people, served in each language (mounted at
continuing-education/ under i18n_patterns)."""
from django.urls import path

from . import views

app_name = "continuing_education"
urlpatterns = [
    path("", views.status, name="status"),
    path("certificates/<str:code>/pdf/", views.pdf, name="pdf"),
    path("certificates/<str:code>/credential.json", views.credential, name="credential"),
]
