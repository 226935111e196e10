"""The Enrolments screens of the Wagtail admin (``courses/wagtail_hooks.py``), which staff
reach from a paid order's learner: an enrolment is named by its course's title, the
headings spell "Enrolments" as the menu does, and nothing yet recorded reads "None".

(Kept with the payments tests, where the audit that found these was fixed.)"""
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from courses import services
from tests.factories import UserFactory, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment():
    course = build_course(title="Listening Skills for Facilitators")
    learner = UserFactory(certificate_name="Ivy Invitee")
    enrollment, _ = services.enrollment_create(user=learner, course=course)
    return enrollment


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style", "template")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style", "template")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page as read (URLs and data attributes say "enrollments", which nobody reads)."""
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def test_an_enrolment_is_named_by_its_course_title(enrolment):
    assert str(enrolment) == "Ivy Invitee in Listening Skills for Facilitators"


def test_inspect_page_names_the_course_and_shows_a_dash_for_what_has_not_happened(admin_client, enrolment):
    response = admin_client.get(reverse("enrollments:inspect", args=[enrolment.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ivy Invitee in Listening Skills for Facilitators" in html
    assert f"Ivy Invitee in {enrolment.course_id}" not in html
    values = [re.sub(r"\s+", " ", v).strip() for v in re.findall(r"<dd>(.*?)</dd>", html, re.S)]
    assert values and "None" not in values
    assert "—" in values  # no completion date, no last lesson yet


@pytest.mark.parametrize("page", ["index", "inspect"])
def test_headings_spell_enrolments_as_the_menu_does(admin_client, enrolment, page):
    url = reverse("enrollments:index") if page == "index" else reverse("enrollments:inspect", args=[enrolment.pk])
    text = visible_text(admin_client.get(url).content.decode())
    assert "Enrolments" in text
    assert not re.search(r"enrollment", text, re.I), re.findall(r".{0,40}enrollment.{0,40}", text, re.I)
