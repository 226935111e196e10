"""The "Payments staff" group: reach the Wagtail admin, list and inspect orders
(``view_order``), refund them (``refund_order``), and manage discount and scholarship
codes (``add/change/delete/view_discountcode``)."""
from django.db import migrations

STAFF = "Payments staff"
PERMISSIONS = (
    ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
    ("payments", "order", "view_order", "Can view order"),
    ("payments", "order", "refund_order", "Can refund orders"),
    ("payments", "discountcode", "add_discountcode", "Can add discount code"),
    ("payments", "discountcode", "change_discountcode", "Can change discount code"),
    ("payments", "discountcode", "delete_discountcode", "Can delete discount code"),
    ("payments", "discountcode", "view_discountcode", "Can view discount code"),
)


def grant(apps, schema_editor):
    # Permissions are normally created after migrations (post_migrate); make sure the
    # ones we grant exist now. post_migrate later finds them and keeps them.
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    group, _ = Group.objects.get_or_create(name=STAFF)
    for app_label, model, codename, name in PERMISSIONS:
        ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(content_type=ct, codename=codename, defaults={"name": name})
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name=STAFF).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
