"""The CE transcript: the learner's own CE certificates (revoked ones marked, never
counted), hours per body and per calendar year and for a chosen period, as HTML, PDF
and CSV; another learner's certificates never appear."""
import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from pypdf import PdfReader

from wagtail.users.models import UserProfile
from tests.factories import UserFactory, build_course

from .learner_data import approve, ce_certificate

pytestmark = pytest.mark.django_db
URL = "/continuing-education/transcript/"


@pytest.fixture
def records():
    """Alex's three certificates (one revoked) under two bodies over two years, and
    another learner's, which must never show."""
    alex = UserFactory(certificate_name="Alex Learner")
    other = UserFactory(certificate_name="Sam Other")
    one, two = build_course(title="Meeting Facilitator Training"), build_course(title="Family & Friends")
    naadac, nbcc = approve(one, hours="6"), approve(two, hours="3", body="NBCC", provider="NB-77")
    CourseApproval = type(naadac.courses.first())
    CourseApproval.objects.create(approval=naadac, course=two, hours=3)
    first = ce_certificate(alex, one, naadac, hours="6", completed_at=datetime(2025, 11, 3, 15, tzinfo=UTC))
    second = ce_certificate(alex, two, nbcc, hours="3", completed_at=datetime(2026, 2, 10, 15, tzinfo=UTC))
    revoked = ce_certificate(alex, two, naadac, hours="3", completed_at=datetime(2026, 3, 1, 15, tzinfo=UTC), revoked=True)
    theirs = ce_certificate(other, one, naadac, hours="6", title="THEIR COURSE", licence_number="THEIRS-999",
                            holder_name="Sam Other", completed_at=datetime(2026, 1, 5, 15, tzinfo=UTC))
    return alex, other, (first, second, revoked, theirs)


def text_of(html: str) -> str:
    import re

    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for url in (URL, URL + "ce-transcript.pdf", URL + "ce-transcript.csv"):
        response = client.get(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_transcript_page_lists_own_certificates_and_hours_per_body_and_year(client, records):
    alex, _other, (first, second, revoked, theirs) = records
    client.force_login(alex)
    html = client.get(URL).content.decode()
    text = text_of(html)
    assert "CE hours: 9" in text  # 6 + 3; the revoked 3 are not counted
    assert "NAADAC (accrediting body) 6 1" in text and "NBCC (accrediting body) 3 1" in text
    assert "2026 NBCC (accrediting body) 3" in text and "2025 NAADAC (accrediting body) 6" in text
    assert first.display_code in html and second.display_code in html
    assert "Revoked CE certificates (not counted)" in text and revoked.display_code in html
    assert theirs.display_code not in html and "THEIR COURSE" not in html and "Sam Other" not in html


def test_a_chosen_period_totals_only_certificates_completed_in_it(client, records):
    alex, _other, (first, second, _revoked, _theirs) = records
    client.force_login(alex)
    html = client.get(URL, {"since": "2026-01-01", "until": "2026-12-31"}).content.decode()
    assert "CE hours: 3" in text_of(html) and second.display_code in html and first.display_code not in html
    assert "since=2026-01-01" in html  # the downloads keep the period
    nothing = client.get(URL, {"since": "2027-01-01"}).content.decode()
    assert "no CE certificate completed in this period" in nothing


def test_a_backwards_or_unreadable_period_gets_a_clear_error(client, records):
    alex = records[0]
    client.force_login(alex)
    response = client.get(URL, {"since": "2026-05-01", "until": "2026-01-01"})
    assert response.status_code == 400 and "“Until” must be the same day as “From” or later." in response.content.decode()
    assert client.get(URL, {"since": "yesterday"}).status_code == 400
    bad_csv = client.get(URL + "ce-transcript.csv", {"since": "2026-13-45"})
    assert bad_csv.status_code == 400 and "could not be read" in bad_csv.content.decode()
    assert client.get(URL + "ce-transcript.pdf", {"since": "2026-05-01", "until": "2026-01-01"}).status_code == 400


def test_completion_days_are_the_learners_own(client, records):
    """A certificate completed at 02:00 UTC on 1 January counts in the previous year for
    a learner in New York."""
    alex, _other, (first, *_rest) = records
    first.completed_at = datetime(2026, 1, 1, 2, tzinfo=UTC)
    first.save()
    client.force_login(alex)
    session = client.session
    from kernel import i18n

    i18n.remember(session, language="en", time_zone="America/New_York")
    session.save()
    text = text_of(client.get(URL).content.decode())
    assert "2025 NAADAC (accrediting body) 6" in text


def test_the_csv_is_the_learners_own_and_safe_in_a_spreadsheet(client, records):
    alex, _other, (first, second, revoked, theirs) = records
    first.course_title = "=HYPERLINK(\"http://evil.example\")"
    first.save()
    client.force_login(alex)
    response = client.get(URL + "ce-transcript.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:5] == ["Code", "Course", "Accrediting body", "Provider number", "CE hours"]
    codes = [r[0] for r in rows[1:-1]]
    assert codes == [first.display_code, second.display_code, revoked.display_code]
    assert rows[1][1].startswith("'=")  # a formula is shown, never run
    assert rows[3][-1] == "Revoked: not counted"
    assert rows[-1][1] == "Total CE hours" and rows[-1][4] == "9.00"
    assert theirs.display_code not in str(rows) and "THEIRS-999" not in str(rows)


def test_the_pdf_is_in_the_holders_language_with_their_certificates_only(client, records):
    alex, _other, (first, second, revoked, theirs) = records
    alex.certificate_name = "Ålex Łearner 李"
    alex.save()
    UserProfile.objects.update_or_create(user=alex, defaults={"preferred_language": "es"})
    client.force_login(alex)
    response = client.get(URL + "ce-transcript.pdf", follow=True)  # to /es/: their language
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert "Ålex Łearner 李" in flat
    assert first.display_code in flat and second.display_code in flat and revoked.display_code in flat
    assert theirs.display_code not in flat and "THEIR COURSE" not in flat and "Sam Other" not in flat
    assert "Horas de EC: 9" in flat  # the holder's language
