from django.urls import path

from . import pages

app_name = "attendance_admin"
urlpatterns = [
    path("", pages.SlipCountsView.as_view(), name="counts"),
    path("settings/", pages.PolicyView.as_view(), name="policy"),
]
