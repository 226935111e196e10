"""Assessment reviewers, and question banks for course staff.

"Assessment reviewers" mark written answers in the review queue, send failed attempts
back for grading, regrade quizzes and read question statistics (all behind
``courses.review_quizattempt``). Course authors and publishers may add, change and delete
question banks, which are Wagtail snippets governed by the model's own permissions.
"""
from django.db import migrations

REVIEWERS = "Assessment reviewers"
BANK_STAFF = ("Course authors", "Course publishers")
BANK_ACTIONS = ("add", "change", "delete", "view")


def _permission(apps, app_label, model, codename, name):
    # Permissions are normally created after migrations (post_migrate); make sure the
    # ones we grant exist now. post_migrate later finds them and keeps them.
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(content_type=ct, codename=codename, defaults={"name": name})
    return permission


def _bank_permissions(apps):
    return [
        _permission(apps, "courses", "questionbank", f"{action}_questionbank", f"Can {action} question bank")
        for action in BANK_ACTIONS
    ]


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    reviewers.permissions.add(
        _permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
        _permission(
            apps, "courses", "quizattempt", "review_quizattempt",
            "Can review written answers and regrade quiz attempts",
        ),
    )
    bank_permissions = _bank_permissions(apps)
    for group in Group.objects.filter(name__in=BANK_STAFF):
        group.permissions.add(*bank_permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Group.objects.filter(name=REVIEWERS).delete()
    bank_permissions = _bank_permissions(apps)
    for group in Group.objects.filter(name__in=BANK_STAFF):
        group.permissions.remove(*bank_permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0004_content_page"),
        ("courses", "0002_quizzes"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
