from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    """Meeting attendance slips that keep no record of who attended.

    Certified facilitators register the meetings they run and hand participants slips (PDF)
    that a court or probation officer can check. The server never stores a participant's
    name: only a keyed hash of it with the slip code, until the slip expires. Sits above
    certification (a facilitator's current certificate is what lets them issue)."""

    name = "attendance"
    label = "attendance"
    verbose_name = _("Attendance slips")
