"""Payments staff also see the scholarship queue and decide applications
(``view_scholarshipapplication``, ``decide_scholarshipapplication``)."""
from django.db import migrations

STAFF = "Payments staff"
PERMISSIONS = (
    ("payments", "scholarshipapplication", "view_scholarshipapplication", "Can view scholarship application"),
    ("payments", "scholarshipapplication", "decide_scholarshipapplication",
     "Can approve or decline scholarship applications"),
)


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    group, _ = Group.objects.get_or_create(name=STAFF)
    for app_label, model, codename, name in PERMISSIONS:
        ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(content_type=ct, codename=codename, defaults={"name": name})
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth.Permission")
    group = apps.get_model("auth.Group").objects.filter(name=STAFF).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(
            content_type__app_label="payments", codename__in=[p[2] for p in PERMISSIONS]
        ))


class Migration(migrations.Migration):
    dependencies = [("payments", "0003_scholarship_application")]

    operations = [migrations.RunPython(grant, revoke)]
