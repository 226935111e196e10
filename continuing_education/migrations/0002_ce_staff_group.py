"""The "CE staff" group: reach the Wagtail admin, edit accrediting bodies and approvals
(snippets, with their courses' CE hours), list and inspect CE certificates, and revoke,
reinstate, reissue and grant partial credit (``manage_ce_certificates``), which also
brings the warnings before an approval lapses."""
from django.db import migrations

from kernel.migration_permissions import grant_permissions, revoke_permissions

STAFF = "CE staff"
SNIPPETS = (("accreditingbody", "accrediting body"), ("approval", "CE approval"))
PERMISSIONS = (
    ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
    ("continuing_education", "cecertificate", "view_cecertificate", "Can view CE certificate"),
    ("continuing_education", "approval", "manage_ce_certificates", "Can revoke, reissue and grant partial CE credit"),
    *(
        ("continuing_education", model, f"{action}_{model}", f"Can {action} {label}")
        for model, label in SNIPPETS
        for action in ("add", "change", "delete", "view")
    ),
)


def grant(apps, schema_editor):
    grant_permissions(apps, STAFF, PERMISSIONS)


def revoke(apps, schema_editor):
    # The group's permissions are taken back and the (empty) group left: deleting it here
    # would have Django collect its relations through models of other apps whose
    # historical state this migration does not depend on, and fail.
    revoke_permissions(apps, STAFF, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("continuing_education", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
