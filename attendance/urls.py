"""The attendance pages, under /attendance/ (each language under its prefix)."""
from django.urls import path

from .views import facilitator, participant

app_name = "attendance"

urlpatterns = [
    # The participant's request: the short address a facilitator can say aloud.
    path("", participant.request_slip, name="request"),
    path("meetings/", facilitator.meetings, name="meetings"),
    path("meetings/new/", facilitator.meeting_edit, name="meeting_new"),
    path("meetings/<int:meeting_id>/", facilitator.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/remove/", facilitator.meeting_deactivate, name="meeting_deactivate"),
    path("meetings/<int:meeting_id>/issue/", facilitator.issue, name="issue"),
    path("meetings/<int:meeting_id>/code/", facilitator.meeting_code, name="code"),
    path("meetings/<int:meeting_id>/code/requests/", facilitator.meeting_requests, name="requests"),
    path("slips/void/", facilitator.slip_void, name="void"),
]
