"""The course evaluation: a new evaluation page starts with the usual questions
(``blocks.default_questions``), and the permission to read its results
(``view_evaluation_results``: totals and anonymous comments), given to the staff who look
after the courses' quality and their CE: the "Course publishers" (lms 0003) and the
"Certification staff" (certification 0002) groups."""
import wagtail.fields
from django.db import migrations

import continuing_education.blocks
from kernel.migration_permissions import grant_permissions, revoke_permissions

GROUPS = ("Course publishers", "Certification staff")
PERMISSIONS = (
    ("continuing_education", "evaluationresponse", "view_evaluation_results", "Can view course evaluation results"),
)


def grant(apps, schema_editor):
    for group in GROUPS:
        grant_permissions(apps, group, PERMISSIONS)


def revoke(apps, schema_editor):
    for group in GROUPS:
        revoke_permissions(apps, group, PERMISSIONS)


class Migration(migrations.Migration):

    dependencies = [
        ('continuing_education', '0002_ce_staff_group'),
        ("lms", "0003_staff_groups_and_workflow"),
        ("certification", "0002_certification_staff"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='evaluationresponse',
            options={'permissions': [('view_evaluation_results', 'Can view course evaluation results')]},
        ),
        migrations.AlterField(
            model_name='evaluationpage',
            name='questions',
            field=wagtail.fields.StreamField([('rating', 2), ('yes_no', 4), ('text', 6)], block_lookup={0: ('wagtail.blocks.CharBlock', (), {'label': 'Statement', 'max_length': 300}), 1: ('wagtail.blocks.BooleanBlock', (), {'default': True, 'label': 'Answer required', 'required': False}), 2: ('wagtail.blocks.StructBlock', [[('question', 0), ('required', 1)]], {}), 3: ('wagtail.blocks.CharBlock', (), {'label': 'Question', 'max_length': 300}), 4: ('wagtail.blocks.StructBlock', [[('question', 3), ('required', 1)]], {}), 5: ('wagtail.blocks.BooleanBlock', (), {'default': False, 'label': 'Answer required', 'required': False}), 6: ('wagtail.blocks.StructBlock', [[('question', 3), ('required', 5)]], {})}, default=continuing_education.blocks.default_questions),
        ),
        migrations.RunPython(grant, revoke),
    ]
