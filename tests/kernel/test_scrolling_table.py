"""``{% scrolling_table %}`` (kernel/templatetags/kernel_tags.py): the one place that says
how a wide table scrolls on a phone. The box is a focusable region named by the table's
caption; the caption, header and rows are templates, escaped like any other."""
import pytest
from django.template import Context, Template, TemplateSyntaxError
from bs4 import BeautifulSoup

TABLE = """{% load kernel_tags %}
{% scrolling_table caption_id class=css %}People called {{ name }}
{% columns %}<tr><th scope="col">Name</th></tr>
{% rows %}{% for person in people %}<tr><td>{{ person }}</td></tr>{% endfor %}
{% endscrolling_table %}"""


def render(source: str = TABLE, **context) -> str:
    return Template(source).render(Context(context))


def test_the_box_is_a_focusable_region_named_by_the_caption():
    page = BeautifulSoup(render(caption_id="people-caption", css="data-table", name="Ana", people=["Ana", "Ana B"]), "html.parser")
    box = page.find("div")
    assert (box["class"], box["role"], box["tabindex"]) == (["table-scroll"], "region", "0")
    caption = box.select_one("div > table > caption")
    assert box["aria-labelledby"] == caption["id"] == "people-caption"
    assert caption.string == "People called Ana"
    assert [th.string for th in box.select("table > thead > tr > th")] == ["Name"]
    assert [td.string for td in box.select("table > tbody > tr > td")] == ["Ana", "Ana B"]


def test_the_table_has_the_sites_style_unless_told_otherwise():
    default = render(TABLE.replace(" class=css", ""), caption_id="c", people=[])
    assert '<table class="data-table">' in default
    assert '<table class="staff-table">' in render(caption_id="c", css="staff-table", people=[])


def test_what_people_typed_is_escaped_in_every_part():
    out = render(caption_id='c" onfocus="x', css="data-table", name="<b>Ana</b>", people=["<script>x</script>"])
    assert "<b>" not in out and "<script>" not in out and 'onfocus="x"' not in out
    assert "People called &lt;b&gt;Ana&lt;/b&gt;" in out and "&lt;script&gt;x&lt;/script&gt;" in out


@pytest.mark.parametrize("tag", ["{% scrolling_table %}", '{% scrolling_table "a" "b" %}'])
def test_the_caption_id_is_required_and_alone(tag):
    with pytest.raises(TemplateSyntaxError, match="caption's id"):
        Template("{% load kernel_tags %}" + tag + "{% columns %}{% rows %}{% endscrolling_table %}")
