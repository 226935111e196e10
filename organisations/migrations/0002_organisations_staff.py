"""The "Payments staff" group (payments 0002) also looks after organisations: list and
inspect them (``view_organisation``), mark or unmark partners (``change_organisation``)
and grant seats by hand (``grant_seats``). Refunding seats needs ``payments.refund_order``,
which the group already has."""
from django.db import migrations

from kernel.migration_permissions import grant_permissions, revoke_permissions

STAFF = "Payments staff"
PERMISSIONS = (
    ("organisations", "organisation", "view_organisation", "Can view organisation"),
    ("organisations", "organisation", "change_organisation", "Can change organisation"),
    ("organisations", "organisation", "grant_seats", "Can grant seats to organisations"),
)


def grant(apps, schema_editor):
    grant_permissions(apps, STAFF, PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, STAFF, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("payments", "0002_payments_staff"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
