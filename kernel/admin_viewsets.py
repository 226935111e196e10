"""Wagtail admin viewsets shared by the apps."""
from __future__ import annotations

from collections.abc import Sequence

from django.urls import URLPattern
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from .admin_policies import ActionsOnlyPermissionPolicy


class RecordViewSet(ModelViewSet):
    """Records (certificates, orders, applications, organisations) that staff list and
    inspect, and change only through purpose-built actions (revoke, refund, decide, grant
    seats): never added, edited, copied or deleted through the admin's generic forms.

    A subclass sets what any ``ModelViewSet`` needs (``model``, ``name``,
    ``url_namespace``, ``icon``, ``menu_label``, the index and inspect view classes,
    filters, ordering) and:

    - ``also_view``: permissions ("app.codename") that also let staff list and inspect,
      since the right to act on a record implies seeing it. Defining the subclass
      registers an ``ActionsOnlyPermissionPolicy`` with them for ``model``: Wagtail wants
      a model's policy registered before anything asks for it, which is when
      ``wagtail_hooks`` is imported.
    - ``action_urlpatterns``: the actions' URL patterns (from the app's ``admin/urls.py``),
      served under the viewset's prefix and named in its namespace
      (``<url_namespace>:<name>``), beside the inspect page they act on.
    """

    # A record of what happened, not content: kept out of Wagtail's reference index, which
    # would otherwise re-index every save and list records as "usage" of the pages they name.
    add_to_reference_index = False
    inspect_view_enabled = True
    copy_view_enabled = False
    # The add and edit forms are never shown (the policy refuses them), but ModelViewSet
    # needs to know which fields they would have.
    form_fields: Sequence[str] = ()

    also_view: tuple[str, ...] = ()
    action_urlpatterns: Sequence[URLPattern] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        model = getattr(cls, "model", None)
        if model is not None:
            policy = type(f"{model.__name__}PermissionPolicy", (ActionsOnlyPermissionPolicy,), {"also_view": tuple(cls.also_view)})
            register_permission_policy(model, policy(model))

    def get_urlpatterns(self) -> list[URLPattern]:
        return super().get_urlpatterns() + list(self.action_urlpatterns)
