"""The "Payments staff" group (payments 0002) also looks after organisations: list and
inspect them (``view_organisation``), mark or unmark partners (``change_organisation``)
and grant seats by hand (``grant_seats``). Refunding seats needs ``payments.refund_order``,
which the group already has."""
from django.db import migrations

STAFF = "Payments staff"
PERMISSIONS = (
    ("organisations", "organisation", "view_organisation", "Can view organisation"),
    ("organisations", "organisation", "change_organisation", "Can change organisation"),
    ("organisations", "organisation", "grant_seats", "Can grant seats to organisations"),
)


def grant(apps, schema_editor):
    # Permissions are normally created after migrations (post_migrate): on a fresh
    # database they do not exist yet, so make them now (post_migrate later finds them).
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
            content_type__app_label="organisations", codename__in=[p[2] for p in PERMISSIONS]
        ))


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("payments", "0002_payments_staff"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
