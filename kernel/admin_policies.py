"""A Wagtail permission policy for records staff list and inspect but change only through
purpose-built actions (refund, revoke, decide, grant seats): never added, edited or deleted
through the admin's generic forms."""
from wagtail.permission_policies import ModelPermissionPolicy


class ActionsOnlyPermissionPolicy(ModelPermissionPolicy):
    """``view_<model>`` lists and inspects; so does any permission in ``also_view`` (the
    right to act on a record implies seeing it)."""

    also_view: tuple[str, ...] = ()

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        if action == "view" and user.is_active and any(user.has_perm(p) for p in self.also_view):
            return True
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)
