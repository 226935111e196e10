"""No learner-facing page shows text that is not translated.

A pseudo language ("xx") is made for the test: its catalogue translates every string the
project's Spanish catalogue collects (and those of Django, allauth and Wagtail, which the
pages show too) as the string itself between markers, "⟦Save⟧". Each page is rendered in it,
and every visible text left outside markers, that is neither content from the database
(titles, names, lesson text) nor numbers or punctuation, is a string nobody wrapped for
translation (or wrapped since the catalogue was last brought up to date: `make messages`).

Pages still being wrapped are marked xfail(strict=True): the mark must go once the page is
clean, or the test fails.
"""
import datetime
import re
from decimal import Decimal
from pathlib import Path

import django
import polib
import pytest
from bs4 import BeautifulSoup, NavigableString
from django.apps import apps
from django.conf import settings as django_settings
from django.utils import timezone

from lms import catalogues

PSEUDO = "xx"
OPEN, CLOSE = "⟦", "⟧"
CATALOGUE = Path(django_settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES" / "django.po"


# --------------------------------------------------------------------------- the pseudo catalogue


def _library_catalogues() -> list[Path]:
    """The Spanish catalogues of Django and of the installed apps that have one."""
    found = [Path(django.__file__).parent / "conf" / "locale" / "es" / "LC_MESSAGES" / "django.po"]
    for app in apps.get_app_configs():
        # An app's own locale folder, or its package's (allauth.account: allauth/locale).
        for folder in (Path(app.path), Path(app.path).parent):
            po = folder / "locale" / "es" / "LC_MESSAGES" / "django.po"
            # (Not by where it lies: the virtualenv may sit inside the project folder.)
            if po.exists() and po.resolve() != CATALOGUE.resolve() and po not in found:
                found.append(po)
    return found


def pseudo_catalogue(sources: list[Path]) -> polib.POFile:
    pseudo = polib.POFile(wrapwidth=0)
    pseudo.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": PSEUDO,
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    seen = set()
    for source in sources:
        for entry in polib.pofile(str(source)):
            key = (entry.msgctxt, entry.msgid)
            if entry.obsolete or not entry.msgid or key in seen:
                continue
            seen.add(key)
            pseudo.append(polib.POEntry(
                msgctxt=entry.msgctxt, msgid=entry.msgid, msgid_plural=entry.msgid_plural,
                msgstr="" if entry.msgid_plural else OPEN + entry.msgid + CLOSE,
                msgstr_plural={0: OPEN + entry.msgid + CLOSE, 1: OPEN + entry.msgid_plural + CLOSE} if entry.msgid_plural else {},
                flags=[flag for flag in entry.flags if flag.endswith("-format")],
            ))
    return pseudo


@pytest.fixture(scope="session")
def pseudo_locale(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("pseudo-locale")
    folder = base / PSEUDO / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = folder / "django.po"
    pseudo_catalogue([CATALOGUE, *_library_catalogues()]).save(str(po))
    catalogues.compile_catalogue(po)
    return base


@pytest.fixture
def in_pseudo(settings, pseudo_locale):
    settings.LANGUAGES = [*settings.LANGUAGES, (PSEUDO, "Pseudo")]
    settings.LOCALE_PATHS = [pseudo_locale, *settings.LOCALE_PATHS]
    return f"/{PSEUDO}"


# --------------------------------------------------------------------------- finding plain text

_MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
# Addresses, numbers, punctuation and format placeholders ("XXXX-XXXX") are not words.
_NOT_WORDS = re.compile(r"(\S+@\S+|https?://\S+|\bX{2,}\b|[\W\d_]+)", re.UNICODE)
_PLACEHOLDER = re.compile(r"\bX{2,}\b")
_SKIPPED = {"script", "style", "template", "svg"}
# Attributes people read (or hear) as they do text.
_READ_ATTRIBUTES = ("aria-label", "placeholder", "alt", "title")
_NODE = "\n"  # between text nodes: a translation with a link inside spans several


def _without_markers(text: str) -> str:
    while True:
        stripped = _MARKED.sub(" ", text)
        if stripped == text:
            return text
        text = stripped


def untranslated(html: str, content: set[str]) -> list[str]:
    """Visible texts outside markers once database content, numbers, punctuation,
    addresses and text marked as in another language (lang="...") are taken out."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(list(_SKIPPED)):
        tag.decompose()
    for tag in soup.body.select("[lang]") if soup.body else []:
        tag.decompose()  # each language's name in itself, on purpose
    for select in soup.select("select[name=time_zone]"):
        select.decompose()  # zone names are IANA's
    for option in soup.select("select[name=currency] option"):
        if option.get("value"):
            option.decompose()  # currency names are CLDR's (Babel), already in each language
    nodes = [" ".join(str(node).split()) for node in soup.find_all(string=True)
             if type(node) is NavigableString and node.parent.name not in _SKIPPED]
    # The page's text in order, markers taken out where they open in one text node and
    # close in another ("⟦Write to <a>us</a> today⟧"); then each attribute people read.
    texts = _without_markers(_NODE.join(node for node in nodes if node)).split(_NODE)
    texts += [_without_markers(" ".join(tag[name].split())) for name in _READ_ATTRIBUTES for tag in soup.select(f"body [{name}]")]
    found = []
    ordered = sorted(content, key=len, reverse=True)
    for text in texts:
        rest = _PLACEHOLDER.sub(" ", text)
        for value in ordered:
            rest = rest.replace(value, " ")
        if _NOT_WORDS.sub("", rest).strip():
            found.append(" ".join(text.split()))
    return sorted(set(found))


def test_the_check_finds_plain_text_and_lets_marked_and_database_text_pass():
    page = (
        "<html><head><title>⟦Home⟧ · Facilitator Training</title></head><body>"
        "<h1>⟦Welcome, %s⟧</h1><p>⟦Hello ⟦nested⟧⟧ 12:30, 5.</p><p>Meeting Basics</p>"
        "<p>⟦Write to <a href='/x/'>⟦us⟧</a> today.⟧</p><input placeholder='XXXX-XXXX'>"
        "<button aria-label='Close'>×</button><p>Not wrapped</p><span lang='es'>Español</span>"
        "<script>var plain = 'text';</script><p>a@b.org https://x.example/</p></body></html>"
    )
    assert untranslated(page, {"Meeting Basics", "Facilitator Training"}) == ["Close", "Not wrapped"]


# --------------------------------------------------------------------------- the pages


@pytest.fixture
def world(db, catalogue, settings):
    """A course with a quiz, a learner who passed it and holds a certificate, a paid
    course, and an organisation with its manager."""
    from certification import services as certification
    from certification.models import CodeOfConduct, Programme
    from courses.assessment import services as assessment
    from courses.models import QuizPage
    from organisations import services as organisations
    from tests.factories import answer_key, build_course, enrolled_learner, lessons_of

    settings.STRIPE_SECRET_KEY = ""
    course = build_course(title="Meeting Basics", modules=1, lessons_per_module=1, quiz=True)
    paid = build_course(title="Paid Course", modules=1, lessons_per_module=1, price=Decimal("40.00"))
    learner = enrolled_learner(course, certificate_name="Zoë Ñúñez")
    quiz = QuizPage.objects.descendant_of(course).get()
    attempt = assessment.attempt_start(user=learner, quiz=quiz)
    assessment.attempt_submit(attempt_id=attempt.pk, user=learner, answers=answer_key(attempt))
    CodeOfConduct.objects.create(version="2026.1", text="<p>Listen.</p>", published_at=timezone.now() - datetime.timedelta(days=3))
    programme = Programme.objects.create(title="Meeting Facilitator", slug="meeting-facilitator", validity_months=24,
                                         signatory_name="Amara Osei", signatory_title="Training lead")
    programme.courses.add(course)
    certificate, _ = certification.certificate_issue(user=learner, programme=programme, period=1, now=timezone.now())
    from tests.factories import UserFactory

    manager = UserFactory(certificate_name="Morgan Ellis")
    org = organisations.organisation_create(user=manager, name="Riverside Recovery Centre", kind="treatment",
                                            country="GB", billing_email="accounts@riverside.example")
    lesson = lessons_of(course)[0]
    # Continuing education: the course carries CE hours, the learner holds a CE certificate,
    # and a second approval has every rule still to meet (the CE page words each of them).
    from tests.continuing_education.learner_data import approve, ce_certificate

    approval = approve(course, hours="6")
    ce = ce_certificate(learner, course, approval, hours="6")
    pending = approve(course, hours="1.5", body="NBCC", provider="DEMO-2")
    content = {
        approval.body.name, approval.body.short_name, approval.provider_number, ce.display_code,
        pending.body.name, pending.body.short_name, pending.provider_number,
        settings.WAGTAIL_SITE_NAME, settings.CONTACT_EMAIL, learner.email, manager.email, learner.certificate_name,
        manager.certificate_name, org.name, programme.title, programme.signatory_name, programme.signatory_title,
        certificate.code, "-".join(certificate.code[i:i + 4] for i in range(0, len(certificate.code), 4)),
    }
    from wagtail.models import Page

    for page in Page.objects.live().specific():
        content |= _page_texts(page)
    return {
        "learner": learner, "manager": manager, "content": content,
        "course": course.url, "lesson": lesson.url, "quiz": quiz.url,
        "result": f"/learn/attempts/{attempt.pk}/result/", "verify": f"/certificates/verify/{certificate.code}/",
        "checkout": f"/pay/courses/{paid.pk}/checkout/", "org": f"/organisations/{org.pk}/",
        "ce_verify": f"/certificates/verify/{ce.code}/",
    }


def _page_texts(page: object) -> set[str]:
    """What editors wrote on a page: every text, rich text and StreamField of it."""
    from django.db.models import CharField, TextField
    from wagtail.fields import RichTextField, StreamField

    found: set[str] = set()
    for field in page._meta.concrete_fields:
        if isinstance(field, (CharField, TextField, RichTextField)):
            found |= _block_texts(getattr(page, field.attname) or "")
        elif isinstance(field, StreamField):
            for block in getattr(page, field.name) or []:
                found |= _block_texts(block.value)
    return found


def _block_texts(value: object) -> set[str]:
    """Every string inside a StreamField block's value, and its HTML's text."""
    found: set[str] = set()
    if hasattr(value, "source"):  # RichText
        value = value.source
    if isinstance(value, str):
        text = BeautifulSoup(value, "html.parser").get_text(" ")
        found.update(part.strip() for part in re.split(r"\s{2,}|\n", text) if part.strip())
        found.add(" ".join(text.split()))
    elif isinstance(value, dict) or hasattr(value, "items"):
        for item in value.values():
            found |= _block_texts(item)
    elif isinstance(value, (list, tuple)) or hasattr(value, "__iter__"):
        for item in value:
            found |= _block_texts(getattr(item, "value", item))
    return found


# (id, who is signed in, address in the world, expected status)
PAGES = [
    pytest.param("home", None, "/", 200, id="home"),
    pytest.param("catalogue", None, "/courses/", 200, id="catalogue"),
    pytest.param("course", "learner", "course", 200, id="course"),
    pytest.param("lesson", "learner", "lesson", 200, id="lesson"),
    pytest.param("quiz", "learner", "quiz", 200, id="quiz"),
    pytest.param("result", "learner", "result", 200, id="quiz-result"),
    pytest.param("my-learning", "learner", "/learn/", 200, id="my-learning"),
    pytest.param("profile", "learner", "/accounts/profile/", 200, id="profile"),
    pytest.param("ce-licence", "learner", "/continuing-education/licence/", 200, id="ce-licence"),
    pytest.param("ce-transcript", "learner", "/continuing-education/transcript/", 200, id="ce-transcript"),
    pytest.param("sign-in", None, "/accounts/login/", 200, id="sign-in"),
    pytest.param("sign-up", None, "/accounts/signup/", 200, id="sign-up"),
    pytest.param("password-reset", None, "/accounts/password/reset/", 200, id="password-reset"),
    pytest.param("sign-in-code", None, "/accounts/login/code/", 200, id="sign-in-code"),
    pytest.param("verify", None, "verify", 200, id="certificate-verification"),
    pytest.param("checkout", "learner", "checkout", 200, id="payment"),
    pytest.param("org", "manager", "org", 200, id="organisation-dashboard"),
    pytest.param("orgs", "manager", "/organisations/", 200, id="organisations"),
    pytest.param("ce-status", "learner", "/continuing-education/", 200, id="continuing-education"),
    pytest.param("ce-verify", None, "ce_verify", 200, id="ce-certificate-verification"),
    pytest.param("404", None, "/no-such-page/", 404, id="not-found"),
]


@pytest.mark.parametrize(("name", "who", "where", "status"), PAGES)
def test_no_page_shows_untranslated_text(client, world, in_pseudo, name, who, where, status):
    if who:
        client.force_login(world[who])
    path = where if where.startswith("/") else world[where]
    response = client.get(in_pseudo + path)
    assert response.status_code == status, f"{name}: {in_pseudo + path} answered {response.status_code}"
    assert response["Content-Language"] == PSEUDO
    found = untranslated(response.content.decode(), world["content"])
    assert not found, f"{len(found)} text(s) not wrapped for translation on {name} ({in_pseudo + path}):\n" + "\n".join(found)
