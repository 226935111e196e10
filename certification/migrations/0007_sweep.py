"""The sweep of certification work a lost message left undone (certification/sweep.py):
pending work per person, and on each certificate when to look again. Certificates issued
before, whose PDF or "issued" email is still missing, are due at once."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F, Q
from django.utils import timezone


def due_now(apps, schema_editor):
    Certificate = apps.get_model("certification", "Certificate")
    Certificate.objects.filter(revoked_at__isnull=True).filter(
        Q(pdf_revision__lt=F("revision")) | Q(issued_notified_at__isnull=True)
    ).update(sweep_after=timezone.now())


class Migration(migrations.Migration):

    dependencies = [
        ('certification', '0006_printable_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PendingWork',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('evaluate', "Evaluate the person's programmes"), ('reissue', 'Reissue certificates with the new name')], max_length=16)),
                ('sweep_after', models.DateTimeField()),
                ('sweep_tries', models.PositiveSmallIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name='certificate',
            name='sweep_after',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='certificate',
            name='sweep_tries',
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddIndex(
            model_name='certificate',
            index=models.Index(condition=models.Q(('sweep_after__isnull', False)), fields=['sweep_after'], name='certificate_sweep_after'),
        ),
        migrations.AddField(
            model_name='pendingwork',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='pendingwork',
            index=models.Index(fields=['sweep_after'], name='pending_work_sweep_after'),
        ),
        migrations.AddConstraint(
            model_name='pendingwork',
            constraint=models.UniqueConstraint(fields=('user', 'kind'), name='pending_work_once_per_kind'),
        ),
        migrations.RunPython(due_now, migrations.RunPython.noop),
    ]
