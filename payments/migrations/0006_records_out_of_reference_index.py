"""Orders and scholarship applications leave Wagtail's reference index (see
``kernel/migration_references.py``)."""
from django.db import migrations

from kernel.migration_references import forget_references_from


def forget(apps, schema_editor):
    forget_references_from(apps, "payments", ["order", "scholarshipapplication"])


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0005_seat_orders"),
        ("wagtailcore", "0096_referenceindex_referenceindex_source_object_and_more"),
    ]

    operations = [migrations.RunPython(forget, migrations.RunPython.noop)]
