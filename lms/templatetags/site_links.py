"""``{% site_url "courses" %}``: the address of the site's home page ("home"), course
catalogue ("courses") or about page ("about") in the active language (``lms.site_links``);
``{% site_url "courses" as courses_url %}`` keeps it in a variable."""
from django import template

from lms.site_links import FALLBACKS, site_links

register = template.Library()


@register.simple_tag(takes_context=True)
def site_url(context: template.Context, name: str) -> str:
    if name not in FALLBACKS:
        raise template.TemplateSyntaxError(f"site_url: no site link named {name!r} (one of {', '.join(FALLBACKS)})")
    return site_links(context.get("request"))[name]
