"""From the last passed assessment to the public verification page, in a real browser.

A learner has done every lesson of the course that the "Meeting Facilitator" programme
asks for; the programme also asks for the current code of conduct, which they accept on
"My certificates". They then take the course's final quiz and pass it: grading, the
course's completion, the certificate, its PDF and the email all follow in the same
request (Celery eager, on commit). "My certificates" shows the certificate; the PDF
downloads; its "Verification page" link, and the address printed on the PDF, open the
public page, which says "Valid" with the learner's name.

Runs against ``live_server`` (transactional database; see test_learner_journey.py).
The programme has a logo and a signature image, so the PDF goes through WeasyPrint's
image fetching too.
"""
import io
import re

import pytest
from django.core.files.images import ImageFile
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from certification.models import Certificate, CodeOfConduct, Programme
from courses.models import ModulePage
from tests.factories import UserFactory, build_course, build_quiz, enrolled_learner, lessons_of, single, true_false
from tests.marks import BROWSER

from .helpers import assert_page_healthy, check_axe, check_on_phone, pass_the_check, screenshot, sign_in

pytestmark = BROWSER

NAME = "Zoë Ñúñez-O'Brien"
VERIFY_PATH = re.compile(r"/certificates/verify/([0-9A-Z]{20})/$")


def png(width: int, height: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (11, 92, 86)).save(buffer, format="PNG")
    return buffer.getvalue()


def wagtail_image(title: str, content: bytes):
    from wagtail.images import get_image_model

    image = get_image_model()(title=title, file=ImageFile(io.BytesIO(content), name=f"{title.lower()}.png"))
    image.save()
    return image


@pytest.fixture
def journey():
    """The course (two lessons, then a required final quiz), the programme, the code of
    conduct, and a learner who has completed both lessons but not the quiz."""
    course = build_course(title="Meeting Basics", modules=1, lessons_per_module=2)
    module = ModulePage.objects.child_of(course).get()
    quiz = build_quiz(module, title="Final check", questions=[single(), true_false(answer=True)], pass_mark=70)
    code = CodeOfConduct.objects.create(
        version="2026.1", text="<p>Listen without judging. Keep what is shared private.</p>",
        published_at=timezone.now() - timezone.timedelta(days=30),
    )
    programme = Programme.objects.create(
        title="Meeting Facilitator", slug="meeting-facilitator", validity_months=24,
        signatory_name="Amara Osei", signatory_title="Training lead",
        logo=wagtail_image("Logo", png(240, 60)), signature_image=wagtail_image("Signature", png(180, 45)),
    )
    programme.courses.add(course)
    programme.save()  # a ParentalManyToManyField is written on save
    learner = enrolled_learner(course, done=lessons_of(course), email="zoe@example.org", certificate_name=NAME)
    return {"course": course, "quiz": quiz, "code": code, "programme": programme, "learner": learner}


def test_pass_the_final_quiz_get_the_certificate_and_verify_it(page, another_browser, live_server, journey, mailoutbox):
    course, quiz, learner = journey["course"], journey["quiz"], journey["learner"]
    sign_in(page, learner.email, next_url="/certificates/")
    expect(page).to_have_url(live_server.url + "/certificates/")

    # No certificate yet: the programme lists what is done and what is left.
    expect(page.get_by_role("heading", level=1, name="My certificates")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("You have no certificates yet")
    programme = page.get_by_role("region", name="Meeting Facilitator")
    expect(programme).to_contain_text("0 of 2 requirements done")
    course_requirement = programme.get_by_role("listitem").filter(has_text="Meeting Basics")
    expect(course_requirement).to_contain_text("to do")
    expect(course_requirement.get_by_role("link", name="Complete “Meeting Basics”")).to_be_visible()

    # Accept the code of conduct: read it (a disclosure), tick, accept.
    programme.get_by_text("Read Facilitator code of conduct (version 2026.1)").click()
    expect(programme.get_by_text("Listen without judging")).to_be_visible()
    check_axe(page, "My certificates (requirements, code of conduct open)")
    programme.get_by_label("I have read the code of conduct and I will follow it.").check()
    programme.get_by_role("button", name="Accept").click()
    expect(page).to_have_url(live_server.url + "/certificates/")
    expect(page.locator(".messages")).to_contain_text("you have accepted the code of conduct")
    programme = page.get_by_role("region", name="Meeting Facilitator")
    expect(programme).to_contain_text("1 of 2 requirements done")
    assert not Certificate.objects.exists()  # the course still waits for its final quiz

    # The course requirement leads to the course; the final quiz is in its outline.
    programme.get_by_role("link", name="Complete “Meeting Basics”").click()
    expect(page).to_have_url(live_server.url + course.url)
    page.get_by_role("main").get_by_role("link", name="Final check").first.click()
    expect(page).to_have_url(live_server.url + quiz.url)
    page.get_by_role("button", name="Start the quiz").click()

    # The last assessment: both answers right.
    pass_the_check(page)

    # Passing completed the course; the certificate was issued, rendered and emailed.
    certificate = Certificate.objects.get(holder=learner)
    assert certificate.pdf and certificate.pdf_revision == certificate.revision
    assert [m.subject for m in mailoutbox if learner.email in m.to and "certificate" in m.subject] == [
        "Your Meeting Facilitator certificate"
    ]

    # My certificates shows it.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My certificates").click()
    expect(page).to_have_url(live_server.url + "/certificates/")
    card = page.locator(".certificates > li").filter(has=page.get_by_role("heading", name="Meeting Facilitator"))
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Valid")
    expect(card).to_contain_text(certificate.display_code)
    expect(page.get_by_role("region", name="Meeting Facilitator")).to_contain_text("You hold this certificate")
    check_axe(page, "My certificates (with a certificate)")
    screenshot(page, "certificates-mine-desktop")

    # The PDF downloads, and is the certificate.
    with page.expect_download() as download_info:
        card.get_by_role("link", name=re.compile("^Download PDF")).click()
    download = download_info.value
    assert download.suggested_filename == f"meeting-facilitator-certificate-{certificate.display_code}.pdf"
    content = open(download.path(), "rb").read()
    assert content.startswith(b"%PDF-")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert NAME in text and "Meeting Facilitator" in text and certificate.display_code in text
    printed = re.search(r"https?://\S+/certificates/verify/\S+/", text.replace("\n", ""))
    assert printed, f"no verification address on the PDF:\n{text}"

    # On a phone: no sideways scrolling, still accessible.
    check_on_phone(page, "My certificates on a phone", "certificates-mine-phone")

    # The certificate's link opens the public verification page.
    card.get_by_role("link", name=re.compile("^Verification page")).click()
    expect(page).to_have_url(VERIFY_PATH)
    assert VERIFY_PATH.search(page.url).group(1) == certificate.code
    expect(page.get_by_role("heading", level=1, name="Certificate check")).to_be_visible()
    result = page.get_by_role("status")
    expect(result).to_contain_text("Valid")
    expect(result).to_contain_text(NAME)
    expect(result).to_contain_text("Meeting Facilitator")
    expect(result).to_contain_text(certificate.display_code)
    check_axe(page, "verification page")
    screenshot(page, "certificate-verify-desktop")
    check_on_phone(page, "The verification page on a phone", "certificate-verify-phone")

    # The address printed on the PDF (under the QR code) is the same page, for anyone:
    # a visitor who is not signed in sees it too.
    path = "/" + printed.group(0).split("/", 3)[3]
    assert path == f"/certificates/verify/{certificate.code}/"
    anonymous = another_browser()
    anonymous.goto(path)
    expect(anonymous.get_by_role("status")).to_contain_text("Valid")
    expect(anonymous.get_by_role("status")).to_contain_text(NAME)
    expect(anonymous.get_by_role("link", name="Sign in")).to_be_visible()
    assert_page_healthy(anonymous)
    assert_page_healthy(page)


def test_visitor_checks_a_code_typed_from_paper(page, live_server):
    """An employer types the code from a paper certificate: a mistyped code is an error
    tied to the field; the right one, typed loosely, opens the certificate's page."""
    from certification import codes

    programme = Programme.objects.create(title="Meeting Facilitator", slug="meeting-facilitator", validity_months=24)
    holder = UserFactory(certificate_name=NAME)
    now = timezone.now()
    certificate = Certificate.objects.create(
        code=codes.new_code(), holder=holder, programme=programme, holder_name=NAME, issued_at=now,
        expires_at=now + timezone.timedelta(days=700),
    )

    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Check a certificate").click()
    expect(page.get_by_role("heading", level=1, name="Check a certificate")).to_be_visible()
    field = page.get_by_label("Certificate code")
    expect(field).not_to_have_attribute("aria-invalid", "true")
    check_axe(page, "certificate lookup")

    field.fill("ABCD-EFGH-JKMN-PQRS-TVWX")
    field.press("Enter")
    error = page.get_by_role("alert")
    expect(error).to_contain_text("We found no certificate with that code")
    field = page.get_by_label("Certificate code")
    expect(field).to_have_value("ABCD-EFGH-JKMN-PQRS-TVWX")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile("We found no certificate with that code"))
    check_axe(page, "certificate lookup (code not found)")
    assert page.failed_requests == [f"404 GET {live_server.url}/certificates/verify/?code=ABCD-EFGH-JKMN-PQRS-TVWX"]
    page.failed_requests.clear()  # the 404 is the expected answer to an unknown code

    # Lower case, spaces for dashes, and O for 0 / I or L for 1 are all forgiven.
    loose = " ".join(certificate.display_code.split("-")).lower().replace("0", "o").replace("1", "l")
    field.fill(loose)
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page).to_have_url(live_server.url + f"/certificates/verify/{certificate.code}/")
    expect(page.get_by_role("status")).to_contain_text("Valid")
    expect(page.get_by_role("status")).to_contain_text(NAME)
    expect(page.get_by_label("Certificate code")).not_to_have_attribute("aria-invalid", "true")
    assert_page_healthy(page)
