"""Question banks become translatable (wagtail-localize): every existing bank joins the
default locale, and a title is unique within its locale (a translation may keep it)."""
import uuid

import django.db.models.deletion
from django.db import migrations, models
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_accepted_answers_one_set"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="questionbank",
            name="locale",
            field=models.ForeignKey(
                editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="wagtailcore.locale", verbose_name="locale",
            ),
        ),
        migrations.AddField(
            model_name="questionbank",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        BootstrapTranslatableModel("courses.QuestionBank"),
        migrations.AlterField(
            model_name="questionbank",
            name="locale",
            field=models.ForeignKey(
                editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="wagtailcore.locale", verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="questionbank",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterField(
            model_name="questionbank",
            name="title",
            field=models.CharField(max_length=200),
        ),
        migrations.AlterUniqueTogether(
            name="questionbank",
            unique_together={("translation_key", "locale")},
        ),
        migrations.AddConstraint(
            model_name="questionbank",
            constraint=models.UniqueConstraint(fields=("title", "locale"), name="question_bank_title_unique_per_locale"),
        ),
    ]
