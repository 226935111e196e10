"""Payments staff also see the scholarship queue and decide applications
(``view_scholarshipapplication``, ``decide_scholarshipapplication``)."""
from django.db import migrations

from kernel.migration_permissions import grant_permissions, revoke_permissions

STAFF = "Payments staff"
PERMISSIONS = (
    ("payments", "scholarshipapplication", "view_scholarshipapplication", "Can view scholarship application"),
    ("payments", "scholarshipapplication", "decide_scholarshipapplication",
     "Can approve or decline scholarship applications"),
)


def grant(apps, schema_editor):
    grant_permissions(apps, STAFF, PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, STAFF, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("payments", "0003_scholarship_application")]

    operations = [migrations.RunPython(grant, revoke)]
