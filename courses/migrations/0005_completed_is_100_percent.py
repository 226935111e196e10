"""Completion once reached stands: an enrolment once completed is at 100%.

Until now a completed enrolment's percentage followed lessons published after it was
completed ("completed" beside "77%"). Such rows (and withdrawn ones that had been
completed, which come back as completed) are set to 100 first, then the database holds
every enrolment with a completion date to it.
"""
from django.db import migrations, models


def completed_at_100(apps, schema_editor):
    Enrollment = apps.get_model("courses", "Enrollment")
    Enrollment.objects.filter(completed_at__isnull=False).exclude(progress_percent=100).update(progress_percent=100)


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0004_review_digest"),
    ]

    operations = [
        migrations.RunPython(completed_at_100, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="enrollment",
            constraint=models.CheckConstraint(
                condition=models.Q(("completed_at__isnull", True), ("progress_percent", 100), _connector="OR"),
                name="enrollment_completed_is_100",
            ),
        ),
    ]
