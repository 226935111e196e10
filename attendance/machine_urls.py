"""The slip check as machines read it, without a language prefix (mounted at attendance/)."""
from django.urls import path

from . import check_views

app_name = "attendance_machine"
urlpatterns = [path("check.json", check_views.check_json, name="check_json")]
