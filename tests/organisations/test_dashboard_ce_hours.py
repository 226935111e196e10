"""The manager's dashboard shows the CE hours each person earned per course (hours only),
with a period filter and in the CSV, at the same number of queries; and never anyone
else's hours."""
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from certification import codes
from continuing_education.models import AccreditingBody, Approval, CECertificate, ProfessionalLicence
from tests.factories import build_course
from tests.organisations.test_dashboard import (  # noqa: F401 (fixtures)
    NOW, csv_rows, enrol, member, organisation, populate, queries_for, rows_of, url, world,
)

pytestmark = pytest.mark.django_db
LICENCE = "LIC-998877"


def approval(name="NAADAC") -> Approval:
    body, _ = AccreditingBody.objects.get_or_create(name=name)
    found, _ = Approval.objects.get_or_create(
        body=body, provider_number=f"{name}-1", approved_from=date(2026, 1, 1),
        defaults={"statement": "Approved.", "approved_until": date(2027, 12, 31)},
    )
    return found


def ce_certificate(user, course, hours, *, completed_at=None, revoked=False, approval_=None):
    completed_at = completed_at or NOW - timedelta(days=10)
    return CECertificate.objects.create(
        code=codes.new_code(), holder=user, course=course, approval=approval_ or approval(), hours=Decimal(hours),
        course_title=course.title, body_name="NAADAC", provider_number="1", statement="Approved.",
        holder_name=str(user), profession="Counsellor", issuing_board="Ohio Board", licence_region="Ohio",
        licence_number=LICENCE, completed_at=completed_at, issued_at=completed_at, retain_until=date(2031, 1, 1),
        time_on_task_seconds=7 * 3600 + 1234, revoked_at=NOW if revoked else None,
        revocation_reason="error" if revoked else "",
    )


@pytest.fixture
def earned(world):
    """Ada earned 6 hours on Facilitator Training under one approval and 1.5 under
    another, plus a revoked certificate; Ben earned nothing; a former member and an
    outsider earned hours the organisation must never see."""
    w = world
    ada = member(w.org, name="Ada Lovelace", email="ada@example.org")
    enrol(ada, w.a, completed=True, active=NOW)
    enrol(ada, w.b, progress=20, active=NOW)
    ce_certificate(ada, w.a, "6", completed_at=timezone.make_aware(datetime(2026, 3, 10, 12)))
    ce_certificate(ada, w.a, "1.5", completed_at=timezone.make_aware(datetime(2026, 6, 1, 12)), approval_=approval("NBCC"))
    ce_certificate(ada, w.b, "3", revoked=True)
    ProfessionalLicence.objects.create(
        user=ada, profession="counsellor", issuing_board="Ohio Board", region="Ohio", licence_number=LICENCE
    )
    ben = member(w.org, name="Ben Okafor", email="ben@example.org")
    enrol(ben, w.a, progress=40, active=NOW)
    gone = member(w.org, name="Gone Member", email="gone@example.org", left=True)
    enrol(gone, w.a, completed=True, active=NOW)
    ce_certificate(gone, w.a, "4")
    outsider = member(organisation("Elsewhere"), name="Out Sider", email="out@example.org")
    enrol(outsider, w.a, completed=True, active=NOW)
    ce_certificate(outsider, w.a, "5")
    # Hours in a course outside the organisation's pools are Ada's own business.
    enrol(ada, w.outside, completed=True, active=NOW)
    ce_certificate(ada, w.outside, "2")
    return w


def test_hours_per_person_and_course_sum_the_certificates_not_revoked(earned):
    rows = {(r.email, r.course_title): r.ce_hours_label for r in rows_of(earned)}
    assert rows[("ada@example.org", "Facilitator Training")] == "7.5"
    assert rows[("ada@example.org", "Family and Friends")] == "0"  # its only certificate is revoked
    assert rows[("ben@example.org", "Facilitator Training")] == "0"
    assert not [key for key in rows if key[0] in ("gone@example.org", "out@example.org")]
    assert ("ada@example.org", "Other Course") not in rows


def test_the_period_counts_hours_completed_in_it_and_shows_only_who_earned_some(earned):
    march = rows_of(earned, ce_from=date(2026, 3, 1), ce_until=date(2026, 3, 31))
    assert [(r.email, r.course_title, r.ce_hours_label) for r in march] == [
        ("ada@example.org", "Facilitator Training", "6")
    ]
    summer = rows_of(earned, ce_from=date(2026, 6, 1))
    assert [r.ce_hours_label for r in summer] == ["1.5"]
    assert rows_of(earned, ce_until=date(2026, 2, 28)) == []


def test_the_page_and_csv_show_hours_only(client, earned):
    client.force_login(earned.manager)
    page = client.get(url(earned.org)).content.decode()
    assert '<th scope="col">CE hours</th>' in page and "<td>7.5</td>" in page
    assert LICENCE not in page and "Ohio" not in page and "1234" not in page and "7:" not in page
    assert "their time spent, their licence" in page  # says what the manager never sees
    header, *rows = csv_rows(client.get(url(earned.org, "staff_csv")))
    assert header[-1] == "CE hours"
    found = {(r[1], r[2]): r[-1] for r in rows}
    assert found[("ada@example.org", "Facilitator Training")] == "7.5"
    assert "out@example.org" not in {r[1] for r in rows} and "gone@example.org" not in {r[1] for r in rows}
    csv_text = ",".join(",".join(r) for r in rows)
    assert LICENCE not in csv_text and "Ohio" not in csv_text
    filtered = csv_rows(client.get(url(earned.org, "staff_csv"), {"ce_from": "2026-06-01", "ce_until": "2026-06-30"}))
    assert [(r[1], r[-1]) for r in filtered[1:]] == [("ada@example.org", "1.5")]
    page = client.get(url(earned.org), {"ce_from": "2026-06-01"}).content.decode()
    assert '<th scope="col">CE hours in the period</th>' in page and "<td>1.5</td>" in page


def test_a_bad_period_is_a_field_error_and_not_used(client, earned):
    client.force_login(earned.manager)
    page = client.get(url(earned.org), {"ce_from": "2026-06-01", "ce_until": "2026-01-01"}).content.decode()
    assert "The period cannot end before it starts." in page
    page = client.get(url(earned.org), {"ce_from": "not-a-date"}).content.decode()
    assert "Enter a date, for example 2026-01-31." in page and "ben@example.org" in page


def test_another_organisations_manager_sees_none_of_these_hours(client, earned):
    other = organisation("Elsewhere Two")
    manager = member(other, name="Other Manager", role="manager")
    client.force_login(manager)
    assert client.get(url(earned.org)).status_code == 404
    assert client.get(url(earned.org, "staff_csv")).status_code == 404


def test_queries_stay_the_same_with_ce_hours_and_with_the_period(client, world):
    from accounts.models import User

    client.force_login(world.manager)
    populate(world, 1)
    ce_certificate(User.objects.get(email="staff0@example.org"), world.a, "2")
    dashboard_path, csv_path = url(world.org), url(world.org, "staff_csv")
    queries_for(client, dashboard_path)  # warm: session, content types

    def counts():
        return [queries_for(client, dashboard_path), queries_for(client, csv_path),
                queries_for(client, dashboard_path, ce_from="2026-01-01", ce_until="2030-12-31")]

    small = counts()
    populate(world, 20, start=1)
    for user in User.objects.filter(email__startswith="staff").exclude(email="staff0@example.org"):
        ce_certificate(user, world.a, "2")
    large = counts()
    assert len(rows_of(world, ce_from=date(2026, 1, 1))) == 21
    assert small == large
    # The period costs no query of its own: a filter, like the others, adds the count's.
    assert large[2] == large[0] + 1
