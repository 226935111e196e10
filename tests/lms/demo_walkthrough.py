"""Run by tests/lms/test_demo_sqlite.py in a child process with the demo's own settings
(``lms.settings.demo``: SQLite, tasks in-process, DEBUG off) and the ``BASE_URL`` that
``make demo PORT=...`` gives, after the demo was first seeded on another port.

It walks the demo as people would, so that a query only PostgreSQL accepts cannot break
``make demo`` unnoticed, and it collects every absolute link the demo hands out (emails,
allauth's included, an invitation, the certificate PDF, the digital credential, the
LinkedIn link, did.json, Wagtail's page addresses): each must name the address the demo
serves on now.
"""
import io
import json
import os
import re
import sys
from urllib.parse import parse_qs, urlsplit

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.demo")
django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from certification.demo import CERTIFICATE_CODE  # noqa: E402
from certification.models import Certificate  # noqa: E402
from continuing_education.demo import CE_CODE  # noqa: E402
from continuing_education.models import CECertificate  # noqa: E402
from courses.models import CoursePage, LessonPage, QuizAttempt, QuizPage  # noqa: E402
from organisations.demo import WAITING_FOR_REVIEW  # noqa: E402

URL = re.compile(r"https?://[^\s\"'<>\\]+")
# Addresses of this site (any port) as opposed to outside ones (w3.org contexts, LinkedIn).
OURS = re.compile(r"^(127\.0\.0\.1|localhost|testserver)(:\d+)?$")
SEEN: list[tuple[str, str]] = []  # (where, text) of everything handed out with links


def check(response, status=200):
    if response.status_code != status:
        sys.exit(f"{response.request['PATH_INFO']}: {response.status_code}, expected {status}")
    return response


def expect(condition, message):
    if not condition:
        sys.exit(message)


def links_in(text: str) -> list[str]:
    return URL.findall(text)


def the_site_pages_are_its_own(client):
    """DEBUG is off: an unknown address gets the site's 404 page, and static files and
    uploads are still served."""
    expect(not settings.DEBUG, "the demo runs with DEBUG on")
    missing = check(client.get("/no-such-page/"), 404).content.decode()
    expect("We could not find that page" in missing and "URLconf" not in missing, "not the site's own 404 page")
    from django.views.defaults import server_error
    from django.test import RequestFactory

    failed = server_error(RequestFactory().get("/"))
    expect(failed.status_code == 500 and b"Something went wrong on our side" in failed.content, "not the site's 500 page")
    stylesheet = check(client.get("/static/css/site.css"))
    expect(b"".join(stylesheet.streaming_content).strip(), "the stylesheet is empty")
    check(client.get("/static/wagtailadmin/css/core.css"))
    course = CoursePage.objects.live().filter(locale__language_code="en").get(slug="meeting-facilitator-training")
    page = check(client.get(course.url)).content.decode()
    media = re.findall(r'src="(/media/[^"]+)"', page)
    expect(media, "the course page shows no uploaded image")
    served = check(client.get(media[0]))
    expect(served["Content-Type"].startswith("image/"), "an upload was not served as an image")


def a_newcomer_signs_up_and_takes_the_free_course(base):
    """Sign up, confirm the address from allauth's email (its link follows BASE_URL),
    then the free course's lessons and check."""
    client = Client()
    check(client.post(reverse("account_signup"), {
        "certificate_name": "Noor Newcomer", "email": "noor@example.org",
        "password1": "a-long-demo-passphrase", "password2": "a-long-demo-passphrase",
    }), 302)
    confirm = [m for m in mail.outbox if "noor@example.org" in m.to]
    expect(confirm, "no confirmation email")
    link = next((u for u in links_in(confirm[-1].body) if "/confirm-email/" in u), None)
    expect(link and link.startswith(base + "/"), f"confirmation link {link!r} is not on {base}")
    check(client.get(urlsplit(link).path))
    check(client.post(urlsplit(link).path), 302)  # confirming signs the newcomer in
    course = CoursePage.objects.live().filter(locale__language_code="en").get(slug="family-and-friends-facilitator-training")
    check(client.get(course.url))
    check(client.post(f"/learn/courses/{course.id}/enrol/"), 302)
    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
    for lesson in lessons:
        check(client.get(lesson.url))
        check(client.post(f"/learn/courses/{course.id}/lessons/{lesson.id}/complete/"), 302)
    quiz = QuizPage.objects.live().descendant_of(course).first()
    check(client.get(quiz.url))
    started = check(client.post(f"/learn/quizzes/{quiz.id}/start/"), 302)
    check(client.get(started["Location"]))
    # The paid course, the way the seed's output says: the fee-waiver code, no card.
    paid = CoursePage.objects.live().filter(locale__language_code="en").get(slug="meeting-facilitator-training")
    check(client.get(f"/pay/courses/{paid.id}/checkout/"))
    waived = check(client.post(f"/pay/courses/{paid.id}/checkout/", {"donation": "0", "discount_code": "FEE-WAIVER"}), 302)
    check(client.get(waived["Location"]))
    check(client.get("/learn/"))
    # A forgotten password: allauth's reset link follows BASE_URL too.
    check(Client().post(reverse("account_reset_password"), {"email": "noor@example.org"}), 302)
    reset = [m for m in mail.outbox if "noor@example.org" in m.to][-1]
    expect(any("/password/reset/key/" in u for u in links_in(reset.body)), "no password reset link")


def the_learner_holds_a_certificate(base):
    """The demo learner's certificate, with the code the README names: verification page,
    PDF, credential and the LinkedIn link, all on the current address."""
    certificate = Certificate.objects.get(code=CERTIFICATE_CODE)
    expect(certificate.holder.email == "learner@example.org", "the demo certificate is someone else's")
    # Made while the demo served on its first port: downloading it now makes it again.
    expect(certificate.pdf and certificate.pdf_base_url != base, "the stored PDF was not made for the first port")
    anyone = Client()
    page = check(anyone.get(f"/certificates/verify/{CERTIFICATE_CODE}/")).content.decode()
    expect("Valid." in page and "Alex Learner" in page, "the verification page does not say valid")
    check(anyone.get("/certificates/verify/", {"code": "dem0-cert-2026-fam1-0001"}), 302)

    client = Client()
    expect(client.login(username="learner@example.org", password="demo-learner-pass"), "the learner cannot sign in")
    mine = check(client.get("/certificates/")).content.decode()
    expect("DEM0-CERT-2026-FAM1-0001" in mine, "My certificates does not list the demo certificate")
    linkedin = next((u for u in links_in(mine.replace("&amp;", "&")) if "linkedin.com" in u), None)
    expect(linkedin, "no Add to LinkedIn link")
    cert_url = parse_qs(urlsplit(linkedin).query)["certUrl"][0]
    SEEN.append(("LinkedIn certUrl", cert_url))

    from pypdf import PdfReader

    pdf = check(client.get(f"/certificates/{CERTIFICATE_CODE}/pdf/"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages)
    SEEN.append(("certificate PDF", "".join(text.split())))  # the address may wrap across lines
    expect(Certificate.objects.get(pk=certificate.pk).pdf_base_url == base, "the PDF was not made again")
    credential = check(client.get(f"/certificates/{CERTIFICATE_CODE}/credential.json"))
    SEEN.append(("credential", credential.content.decode()))
    issuer = json.loads(credential.content)["issuer"]["id"]
    did = check(Client().get("/.well-known/did.json"))
    SEEN.append(("did.json", did.content.decode()))
    expect(issuer == json.loads(did.content)["id"], f"the credential's issuer {issuer!r} is not did.json's")

    check(client.get("/certificates/verify/?code=0000-0000-0000-0000-0000"), 404)
    paid = CoursePage.objects.live().filter(locale__language_code="en").get(slug="meeting-facilitator-training")
    SEEN.append(("Wagtail page address", paid.full_url))


def the_learner_holds_a_ce_certificate(base):
    """The demo learner's CE certificate for the facilitator course, with the code the
    README names: verification page and JSON, CE status, the PDF (made again for this
    address), the transcript and its PDF and CSV."""
    from pypdf import PdfReader

    certificate = CECertificate.objects.get(code=CE_CODE)
    expect(certificate.holder.email == "learner@example.org", "the demo CE certificate is someone else's")
    expect(certificate.pdf and certificate.pdf_base_url != base, "the stored CE PDF was not made for the first port")
    anyone = Client()
    page = check(anyone.get(f"/certificates/verify/{CE_CODE}/")).content.decode()
    expect("DEMO-0000" in page and "Alex Learner" in page, "the verification page does not show the CE certificate")
    ce = check(anyone.get(f"/certificates/verify/{CE_CODE}.json")).json()["continuing_education"]
    expect(ce["provider_number"] == "DEMO-0000", f"the JSON's CE object is {ce}")

    client = Client()
    expect(client.login(username="learner@example.org", password="demo-learner-pass"), "the learner cannot sign in")
    status = check(client.get("/continuing-education/")).content.decode()
    expect(certificate.display_code in status, "the CE status page does not list the CE certificate")
    transcript = check(client.get("/continuing-education/transcript/")).content.decode()
    expect(certificate.display_code in transcript, "the CE transcript does not list the CE certificate")
    pdf = check(client.get(f"/continuing-education/certificates/{CE_CODE}/pdf/"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages)
    SEEN.append(("CE certificate PDF", "".join(text.split())))
    expect(CECertificate.objects.get(pk=certificate.pk).pdf_base_url == base, "the CE PDF was not made again")
    check(client.get("/continuing-education/transcript/ce-transcript.pdf"))
    exported = b"".join(check(client.get("/continuing-education/transcript/ce-transcript.csv")).streaming_content)
    expect(certificate.display_code.encode() in exported or CE_CODE.encode() in exported, "the CE CSV lacks the code")
    credential = check(client.get(f"/continuing-education/certificates/{CE_CODE}/credential.json"))
    SEEN.append(("CE credential", credential.content.decode()))


def the_manager_and_the_review_queue():
    """The manager's staff page and CSV (whose UNION and JSON queries differ between SQLite
    and PostgreSQL), a re-sent invitation; the answer waiting for review, from both sides."""
    from organisations.models import Invitation, Organisation

    manager = Client()
    expect(manager.login(username="manager@example.org", password="demo-manager-pass"), "the manager cannot sign in")
    organisation = Organisation.objects.get(memberships__user__email="manager@example.org")
    page = check(manager.get(f"/organisations/{organisation.pk}/")).content.decode()
    expect("In progress" in page and "Invited" in page, "the demo staff are not on the dashboard")
    check(manager.get(f"/organisations/{organisation.pk}/", {"status": "in_progress", "certificate": "none"}))
    exported = b"".join(check(manager.get(f"/organisations/{organisation.pk}/staff.csv")).streaming_content)
    expect(exported.count(b"\n") > 1, "the demo staff are not in the CSV")
    pending = Invitation.objects.get(organisation=organisation, status=Invitation.Status.PENDING)
    check(manager.post(f"/organisations/{organisation.pk}/invitations/{pending.pk}/resend/"), 303)
    expect(any(pending.email in m.to for m in mail.outbox), "the invitation was not sent again")

    staff = Client()
    expect(staff.login(username=WAITING_FOR_REVIEW.email, password=WAITING_FOR_REVIEW.password),
           "the staff member whose answer waits cannot sign in")
    attempt = QuizAttempt.objects.get(user__email=WAITING_FOR_REVIEW.email, status=QuizAttempt.Status.NEEDS_REVIEW)
    check(staff.get("/learn/"))
    expect("See result" in check(staff.get(attempt.quiz.url)).content.decode(), "her attempt is not listed")
    result = check(staff.get(reverse("courses:attempt_result", args=[attempt.pk]))).content.decode()
    expect("Waiting for a reviewer" in result, "her result does not say it waits for a reviewer")
    reviewer = Client()
    expect(reviewer.login(username="reviewer@example.org", password="demo-reviewer-pass"), "the reviewer cannot sign in")
    expect("Review queue (1)" in check(reviewer.get("/admin/")).content.decode(), "the review queue is empty")


def every_link_names_the_current_address(base):
    for message in mail.outbox:
        SEEN.append((f"email “{message.subject}”", message.body))
        SEEN.extend((f"email “{message.subject}” (HTML)", html) for html, _ in getattr(message, "alternatives", []))
    expect(len(mail.outbox) >= 3, f"only {len(mail.outbox)} emails were sent")
    here = urlsplit(base).netloc
    did = "did:web:" + here.replace(":", "%3A")  # did:web encodes the port's colon
    for where, text in SEEN:
        ours = [u for u in links_in(text) if OURS.match(urlsplit(u).netloc)]
        dids = re.findall(r"did:web:[^\s\"#]+", text)
        expect(ours or dids, f"{where}: no link to the site")
        expect(all(d == did for d in dids), f"{where}: issuer {dids} is not {did}")
        wrong = [u for u in ours if urlsplit(u).netloc != here]
        expect(not wrong, f"{where}: links not on {base}: {wrong}")
        expect(":8000" not in text and "%3A8000" not in text, f"{where} still names port 8000")


def main():
    setup_test_environment()  # email to mail.outbox
    assert settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), "run with the demo's SQLite"
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    client = Client()
    the_site_pages_are_its_own(client)
    a_newcomer_signs_up_and_takes_the_free_course(base)
    the_learner_holds_a_certificate(base)
    the_learner_holds_a_ce_certificate(base)
    the_manager_and_the_review_queue()
    every_link_names_the_current_address(base)
    print("demo walkthrough ok")


if __name__ == "__main__":
    main()
