"""The "Payments staff" group: reach the Wagtail admin, list and inspect orders
(``view_order``), refund them (``refund_order``), and manage discount and scholarship
codes (``add/change/delete/view_discountcode``)."""
from django.db import migrations

from kernel.migration_permissions import grant_permissions

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
    grant_permissions(apps, STAFF, PERMISSIONS)


def revoke(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name=STAFF).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
