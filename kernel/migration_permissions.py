"""For data migrations that give a staff group permissions.

Permissions are normally created after migrations (``post_migrate``): on a fresh
database the ones a group needs do not exist yet, so they are made here (``post_migrate``
later finds them and keeps them). Each permission is (app_label, model, codename, name).
"""


def grant_permissions(apps, group_name: str, permissions) -> None:
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    group, _ = apps.get_model("auth.Group").objects.get_or_create(name=group_name)
    for app_label, model, codename, name in permissions:
        ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(content_type=ct, codename=codename, defaults={"name": name})
        group.permissions.add(permission)


def revoke_permissions(apps, group_name: str, permissions) -> None:
    """Take back only these permissions (the group and its others stay)."""
    Permission = apps.get_model("auth.Permission")
    group = apps.get_model("auth.Group").objects.filter(name=group_name).first()
    if group is None:
        return
    for app_label, _model, codename, _name in permissions:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))
