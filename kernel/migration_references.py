"""For data migrations that take records out of Wagtail's reference index.

A model registered through a ``ModelViewSet`` is indexed on every save; orders,
scholarship applications and certificates no longer are (``add_to_reference_index =
False``: records, not content). Rows indexed before stay until removed, and would still
list those records as "usage" of a course page or programme.
"""


def forget_references_from(apps, app_label: str, models) -> None:
    ContentType = apps.get_model("contenttypes.ContentType")
    ReferenceIndex = apps.get_model("wagtailcore.ReferenceIndex")
    types = ContentType.objects.filter(app_label=app_label, model__in=list(models))
    ReferenceIndex.objects.filter(content_type__in=types).delete()
