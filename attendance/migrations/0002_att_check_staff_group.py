"""The "Attendance staff" group: reach the Wagtail admin, see the counts of slips (per
month, meeting kind and region: never a slip) and edit the slip settings (how long slips
stay checkable, the request window)."""
from django.db import migrations

from kernel.migration_permissions import grant_permissions, revoke_permissions

STAFF = "Attendance staff"
PERMISSIONS = (
    ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
    ("attendance", "slipcount", "view_slipcount", "Can view slip count"),
    ("attendance", "attendancepolicy", "change_attendancepolicy", "Can change attendance slip settings"),
)


def grant(apps, schema_editor):
    grant_permissions(apps, STAFF, PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, STAFF, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
