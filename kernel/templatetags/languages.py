"""The page in each language, for the language switcher and the hreflang links:
``{% language_options as options %}`` gives, per language offered, its code, its name in
itself ("Español"), this page's address in it (kernel.i18n.alternate_urls), that address
in full (from BASE_URL), and whether it is the page's language."""
from django import template
from django.conf import settings
from django.utils import translation

from kernel import i18n

register = template.Library()


@register.simple_tag(takes_context=True)
def language_options(context: template.Context) -> list[dict]:
    request = context.get("request")
    current = translation.get_language()
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    urls = i18n.alternate_urls(request) if request is not None else {}
    return [
        {
            "code": code,
            "name": name,
            "url": urls.get(code, i18n.path_in(code, "/")),
            "absolute_url": base + urls.get(code, i18n.path_in(code, "/")),
            "current": code == current,
            "default": code == settings.LANGUAGE_CODE,
        }
        for code, name in settings.LANGUAGES
    ]
