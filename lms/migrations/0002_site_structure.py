"""Replace Wagtail's placeholder welcome page with our home page and course catalogue."""
from django.db import migrations

HOME_INTRO = (
    "<p>Free, self-paced training for people who want to run recovery meetings: "
    "volunteers, people in recovery and treatment professionals. Learn the 4-Point "
    "Program, practise the tools, and earn a facilitator certificate that anyone can verify.</p>"
)


def create_site(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("lms.HomePage")
    CourseIndexPage = apps.get_model("courses.CourseIndexPage")

    if HomePage.objects.exists():
        return
    # The welcome page that wagtailcore's own migration created, if still there.
    Page.objects.filter(
        content_type__app_label="wagtailcore", content_type__model="page", depth=2, slug="home"
    ).delete()
    root = Page.objects.get(depth=1)
    locale = Locale.objects.order_by("pk").first()

    home_ct, _ = ContentType.objects.get_or_create(app_label="lms", model="homepage")
    index_ct, _ = ContentType.objects.get_or_create(app_label="courses", model="courseindexpage")
    # Path steps of 4 characters, as treebeard numbers them; the next free one under root.
    siblings = Page.objects.filter(depth=2).order_by("-path").values_list("path", flat=True)
    step = int(siblings[0][4:8], 36) + 1 if siblings else 1
    home_path = root.path + f"{step:04d}"
    home = HomePage.objects.create(
        title="Facilitator Training",
        draft_title="Facilitator Training",
        slug="home",
        content_type=home_ct,
        path=home_path,
        depth=2,
        numchild=1,
        url_path="/home/",
        locale=locale,
        intro=HOME_INTRO,
    )
    CourseIndexPage.objects.create(
        title="Courses",
        draft_title="Courses",
        slug="courses",
        content_type=index_ct,
        path=home_path + "0001",
        depth=3,
        numchild=0,
        url_path="/home/courses/",
        locale=locale,
        intro="<p>Choose a course and work through it at your own pace.</p>",
    )
    Page.objects.filter(pk=root.pk).update(numchild=Page.objects.filter(depth=2).count())
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True, site_name="Facilitator Training")


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0001_initial"),
        ("courses", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_site, migrations.RunPython.noop)]
