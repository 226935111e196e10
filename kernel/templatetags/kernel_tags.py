"""Template tags the apps' pages share.

``{% scrolling_table %}``: a table that, on a narrow screen, scrolls sideways in its own
box rather than widening the page. The box is a named region that takes keyboard focus,
so people who cannot use a mouse or touch can scroll it too (WCAG 2.1.1 and 1.4.10); its
name is the table's caption::

    {% load kernel_tags %}
    {% scrolling_table "pools-caption" %}Places your organisation holds on each course
    {% columns %}
      <tr><th scope="col">Course</th><th scope="col" class="num">Places</th></tr>
    {% rows %}
      {% for pool in pools %}<tr><th scope="row">{{ pool.course.title }}</th><td class="num">{{ pool.total }}</td></tr>{% endfor %}
    {% endscrolling_table %}

The first argument is the caption's id (unique on the page); ``class="..."`` gives the
table's classes (default ``data-table``, the site's table style). Between the tag and
``{% columns %}`` stands the caption, then the header rows, then (after ``{% rows %}``)
the body rows: each part is a template, escaped as any other.
"""
from __future__ import annotations

from django import template
from django.template.base import FilterExpression, Node, NodeList, Parser, Token
from django.template.context import Context
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

TABLE = """<div class="table-scroll" role="region" aria-labelledby="{id}" tabindex="0">
<table class="{css}">
<caption id="{id}">{caption}</caption>
<thead>{columns}</thead>
<tbody>{rows}</tbody>
</table>
</div>"""


class ScrollingTableNode(Node):
    def __init__(
        self, caption_id: FilterExpression, css: FilterExpression | None, caption: NodeList, columns: NodeList,
        rows: NodeList,
    ) -> None:
        self.caption_id, self.css = caption_id, css
        self.caption, self.columns, self.rows = caption, columns, rows

    def render(self, context: Context) -> str:
        return format_html(
            TABLE,
            id=self.caption_id.resolve(context),
            css=self.css.resolve(context) if self.css is not None else "data-table",
            caption=mark_safe(self.caption.render(context).strip()),  # rendered (and escaped) as a template
            columns=self.columns.render(context),
            rows=self.rows.render(context),
        )


@register.tag
def scrolling_table(parser: Parser, token: Token) -> ScrollingTableNode:
    bits = token.split_contents()
    name, args = bits[0], bits[1:]
    css = None
    if args and args[-1].startswith("class="):
        css = parser.compile_filter(args.pop()[len("class="):])
    if len(args) != 1:
        raise template.TemplateSyntaxError(f'{name} takes the caption\'s id and, optionally, class="...".')
    parts = []
    for end in ("columns", "rows", f"end{name}"):
        parts.append(parser.parse((end,)))
        parser.delete_first_token()
    return ScrollingTableNode(parser.compile_filter(args[0]), css, *parts)
