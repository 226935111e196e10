"""Two staff groups and the moderation workflow between them.

Course authors write and edit course content and submit it for review; course
publishers review, approve (publish) or reject it. The "Course review" workflow covers
the whole page tree, so nothing reaches learners without a publisher's approval.
"""
from django.db import migrations

AUTHORS = "Course authors"
PUBLISHERS = "Course publishers"


def create_groups(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")

    def perm(app_label, codename):
        # Permissions are normally created after migrations (post_migrate); make sure
        # the ones we grant exist now.
        model = codename.split("_", 1)[1]
        ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=ct, codename=codename, defaults={"name": codename.replace("_", " ")}
        )
        return permission

    admin_access, _ = Permission.objects.get_or_create(
        content_type=ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")[0],
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    authors, _ = Group.objects.get_or_create(name=AUTHORS)
    publishers, _ = Group.objects.get_or_create(name=PUBLISHERS)
    root = Page.objects.get(depth=1)
    collection_root = Collection.objects.get(depth=1)

    page_perms = {
        authors: ["add_page", "change_page"],
        publishers: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    }
    for group, codenames in page_perms.items():
        group.permissions.add(admin_access)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=perm("wagtailcore", codename)
            )
        for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
            for action in ("add", "change", "choose"):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection_root, permission=perm(app_label, f"{action}_{model}")
                )

    task_ct, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task, created = GroupApprovalTask.objects.get_or_create(
        name="Publisher review", defaults={"content_type": task_ct, "active": True}
    )
    task.groups.set([publishers])
    workflow, _ = Workflow.objects.get_or_create(name="Course review", defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0002_site_structure"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
