"""The public slip check for people, in each language (mounted at attendance/check/)."""
from django.urls import path

from . import check_views

app_name = "attendance_check"
urlpatterns = [path("", check_views.check, name="check")]
