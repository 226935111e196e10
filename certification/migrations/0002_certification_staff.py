"""The "Certification staff" group, and programme editing for course publishers.

Certification staff reach the Wagtail admin, edit programmes and codes of conduct
(snippets), list and inspect certificates (``view_certificate``), revoke them
(``revoke_certificate``) and sign off practical work (``signoff_practical``). Course
publishers may add, change and view programmes and codes of conduct too.
"""
from django.db import migrations

STAFF = "Certification staff"
PUBLISHERS = "Course publishers"
SNIPPETS = (("programme", "programme"), ("codeofconduct", "code of conduct"))


def _permission(apps, app_label, model, codename, name):
    # Permissions are normally created after migrations (post_migrate); make sure the
    # ones we grant exist now. post_migrate later finds them and keeps them.
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(content_type=ct, codename=codename, defaults={"name": name})
    return permission


def _snippet_permissions(apps, actions):
    return [
        _permission(apps, "certification", model, f"{action}_{model}", f"Can {action} {label}")
        for model, label in SNIPPETS
        for action in actions
    ]


def _staff_permissions(apps):
    return [
        _permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
        _permission(apps, "certification", "certificate", "view_certificate", "Can view certificate"),
        _permission(apps, "certification", "certificate", "revoke_certificate", "Can revoke certificates"),
        _permission(apps, "certification", "certificate", "signoff_practical", "Can sign off practical requirements"),
        *_snippet_permissions(apps, ("add", "change", "delete", "view")),
    ]


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    staff, _ = Group.objects.get_or_create(name=STAFF)
    staff.permissions.add(*_staff_permissions(apps))
    for group in Group.objects.filter(name=PUBLISHERS):
        group.permissions.add(*_snippet_permissions(apps, ("add", "change", "view")))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Group.objects.filter(name=STAFF).delete()
    for group in Group.objects.filter(name=PUBLISHERS):
        group.permissions.remove(*_snippet_permissions(apps, ("add", "change", "view")))


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0001_initial"),
        ("lms", "0003_staff_groups_and_workflow"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
