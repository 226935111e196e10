"""Helpers for tests of translated course content: pages translated into Spanish through
wagtail-localize, as staff would (submit, translate every string, publish)."""
from wagtail.models import Locale, Page
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from courses.models import CourseIndexPage
from lms.models import HomePage


def spanish() -> Locale:
    return Locale.objects.get(language_code="es")


def in_spanish(text: str) -> str:
    return f"ES {text}"


def translate(page: Page, *, publish: bool = True, words=in_spanish) -> Page:
    """``page``'s Spanish translation, every string given by ``words`` (slugs kept), saved
    (and published) through wagtail-localize; synced again when it already exists."""
    page = page.specific if isinstance(page, Page) else page  # a page, or a snippet (question bank)
    source, created = TranslationSource.get_or_create_from_instance(page)
    if not created:
        source.update_from_db()
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=spanish())
    for segment in source.stringsegment_set.select_related("string", "context"):
        data = segment.string.data if segment.context.path == "slug" else words(segment.string.data)
        StringTranslation.objects.update_or_create(
            translation_of=segment.string, locale=spanish(), context=segment.context,
            defaults={"data": data, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
        )
    # Pages are saved as drafts and published below; a snippet has no drafts.
    translation.save_target(publish=not isinstance(page, Page))
    translated = page.get_translation(spanish())
    if not isinstance(translated, Page):
        return translated
    translated = translated.specific
    if publish:  # wagtail-localize publishes once the transaction commits: tests never do
        translated.get_latest_revision().publish()
        translated.refresh_from_db()
    return translated


def translate_site() -> tuple[Page, Page]:
    """The home page and the catalogue in Spanish, published."""
    return translate(HomePage.objects.get()), translate(CourseIndexPage.objects.get())


def translate_tree(root: Page, *, publish: bool = True) -> Page:
    """``root`` and every page below it in Spanish (parents first)."""
    translated = translate(root, publish=publish)
    for page in root.get_descendants().order_by("path"):
        translate(page, publish=publish)
    return translated
