"""The manager's view of staff progress and its CSV export: what a manager sees, the
filters, constant queries, privacy, spreadsheet-safe cells, and attacks.

Memberships, pools, enrolments, attempts and certificates are made as rows here (not
through organisations.services) so that these tests only depend on the reads.
"""
import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification import codes
from certification.models import Certificate, Programme
from courses import content_cache
from courses import services as course_services
from courses.models import Enrollment, LessonPage, ModulePage, QuizAttempt, QuizPage, ReflectionAnswer
from courses.selectors import course_state
from organisations import dashboard
from organisations.models import Invitation, Membership, Organisation, SeatPool
from tests.factories import UserFactory, build_course, build_quiz

NOW = timezone.now()
REFLECTION = "My private reflection about my own drinking"
WRITTEN = "My written answer that only reviewers read"


# --- rows, made directly ------------------------------------------------------------------


def organisation(name="Riverside Recovery"):
    return Organisation.objects.create(name=name, kind="treatment", country="GB", billing_email="billing@example.org")


def member(org, *, name="", email=None, role=Membership.Role.MEMBER, left=False):
    user = UserFactory(certificate_name=name, **({"email": email} if email else {}))
    Membership.objects.create(organisation=org, user=user, role=role, left_at=NOW if left else None)
    return user


def enrol(user, course, *, progress=0, active=None, completed=False, status=None):
    return Enrollment.objects.create(
        user=user, course=course, source=Enrollment.Source.SEAT, progress_percent=100 if completed else progress,
        last_activity_at=active, status=status or (Enrollment.Status.COMPLETED if completed else Enrollment.Status.ACTIVE),
        completed_at=active or NOW if completed else None,
    )


def passed(enrollment, quiz, *, ok=True, answers=None):
    number = QuizAttempt.objects.filter(user=enrollment.user, quiz=quiz).count() + 1
    return QuizAttempt.objects.create(
        user=enrollment.user, enrollment=enrollment, quiz=quiz, number=number, status=QuizAttempt.Status.GRADED,
        questions=[], pass_mark=70, feedback="after_each", answers=answers or {}, submitted_at=NOW, graded_at=NOW,
        passed=ok, percent=90 if ok else 20,
    )


def certificate(user, programme, *, expires_in_days=None, revoked=False, period=1, renews=None):
    made = Certificate.objects.create(
        code=codes.new_code(), holder=user, programme=programme, period=period, holder_name=str(user),
        issued_at=NOW - timedelta(days=400), expires_at=None if expires_in_days is None else NOW + timedelta(days=expires_in_days),
        revoked_at=NOW if revoked else None, revocation_reason="conduct" if revoked else "",
    )
    if renews is not None:  # as certification.services.certificate_issue links a renewal
        Certificate.objects.filter(pk=renews.pk).update(renewed_by=made)
    return made


def invite(org, course, email, *, name="", expires_in_days=14, status=Invitation.Status.PENDING):
    return Invitation.objects.create(
        organisation=org, course=course, email=email, name=name, status=status,
        expires_at=NOW + timedelta(days=expires_in_days),
    )


def programme_for(*courses, title="Meeting Facilitator"):
    programme = Programme.objects.create(title=title, slug=title.lower().replace(" ", "-"), validity_months=24)
    programme.courses.add(*courses)
    programme.save()
    return programme


@pytest.fixture
def world(catalogue):
    """Riverside has seats on Facilitator Training (two modules, each with a required
    quiz; a third quiz that is optional) and on Family & Friends; Other Course is
    outside its pools. Its manager is Morgan."""
    a = build_course(title="Facilitator Training", quiz=True)
    b = build_course(title="Family and Friends", modules=1)
    outside = build_course(title="Other Course", modules=1)
    module = ModulePage.objects.child_of(a).first()
    optional = build_quiz(module, title="Practice quiz", required=False)
    org = organisation()
    SeatPool.objects.create(organisation=org, course=a, total=100)
    SeatPool.objects.create(organisation=org, course=b, total=100)
    manager = member(org, name="Morgan Manager", email="morgan@example.org", role=Membership.Role.MANAGER)
    quizzes = list(QuizPage.objects.descendant_of(a).filter(required=True).order_by("path"))
    assert len(quizzes) == 2
    return type("World", (), dict(a=a, b=b, outside=outside, org=org, manager=manager, quizzes=quizzes,
                                  optional=optional, programme=programme_for(a)))


def url(org, name="dashboard"):
    return reverse(f"organisations:{name}", args=[org.pk])


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def rows_of(world, **filters):
    scope = dashboard.staff_scope(world.org)
    return list(dashboard.iter_staff_rows(scope, dashboard.StaffFilters(**filters)))


def by_email(rows):
    return {r.email: r for r in rows}


@pytest.fixture
def staff(world):
    """One person in each state the dashboard shows."""
    w = world
    ada = member(w.org, name="Ada Lovelace", email="ada@example.org")
    e = enrol(ada, w.a, completed=True, active=NOW - timedelta(days=3))
    for quiz in w.quizzes:
        passed(e, quiz)
    certificate(ada, w.programme, expires_in_days=400)

    ben = member(w.org, name="Ben Okafor", email="ben@example.org")
    e = enrol(ben, w.a, progress=40, active=NOW - timedelta(days=1))
    passed(e, w.quizzes[0], ok=False)
    passed(e, w.quizzes[0])
    passed(e, w.quizzes[1], ok=False)
    passed(e, w.optional)  # an optional quiz is not a required assessment
    certificate(ben, w.programme, expires_in_days=30)  # from an earlier training: expiring

    cy = member(w.org, name="Cy Young", email="cy@example.org")
    enrol(cy, w.b)

    dee = member(w.org, name="Dee Expired", email="dee@example.org")
    enrol(dee, w.a, progress=10, active=NOW - timedelta(days=90))
    certificate(dee, w.programme, expires_in_days=-5)

    eve = member(w.org, name="Eve Revoked", email="eve@example.org")
    enrol(eve, w.a, completed=True, active=NOW - timedelta(days=20))
    certificate(eve, w.programme, expires_in_days=300, revoked=True)

    invite(w.org, w.b, "fay@example.org", name="Fay Invited")
    invite(w.org, w.a, "gus@example.org", expires_in_days=-1)  # link expired, still pending
    invite(w.org, w.a, "accepted@example.org", status=Invitation.Status.ACCEPTED)
    invite(w.org, w.a, "withdrawn@example.org", status=Invitation.Status.WITHDRAWN)
    return w


# --- what a manager sees ------------------------------------------------------------------


def test_each_status_progress_assessments_certificate_and_activity(staff):
    rows = by_email(rows_of(staff))
    assert set(rows) == {"ada@example.org", "ben@example.org", "cy@example.org", "dee@example.org",
                         "eve@example.org", "fay@example.org", "gus@example.org"}

    ada = rows["ada@example.org"]
    assert (ada.status, ada.progress, ada.course_title) == ("completed", 100, "Facilitator Training")
    assert (ada.quizzes_passed, ada.quizzes_required, ada.assessments_label) == (2, 2, "2 of 2")
    assert ada.certificate_status == "valid" and ada.certificate_programme == "Meeting Facilitator"
    assert ada.certificate_expires_at.date() == (NOW + timedelta(days=400)).date()
    assert ada.last_activity_at.date() == (NOW - timedelta(days=3)).date()

    ben = rows["ben@example.org"]
    assert (ben.status, ben.status_label, ben.progress) == ("in_progress", "In progress", 40)
    assert ben.assessments_label == "1 of 2"  # a pass after a fail counts once; the optional quiz not at all
    assert ben.certificate_status == "expiring" and ben.certificate_label == "Valid, expires soon"

    cy = rows["cy@example.org"]
    assert (cy.status, cy.status_label, cy.progress, cy.last_activity_at) == ("not_started", "Not started", 0, None)
    assert cy.certificate_status is None and cy.assessments_label == "None required"

    assert rows["dee@example.org"].certificate_status == "expired"
    assert rows["eve@example.org"].certificate_status == "revoked"

    fay, gus = rows["fay@example.org"], rows["gus@example.org"]
    assert (fay.status, fay.name, fay.course_title, fay.status_label) == ("invited", "Fay Invited", "Family and Friends", "Invited")
    assert gus.status_label == "Invited (link expired)"
    assert fay.certificate_status is None and fay.progress is None

    # By name (or email when there is none), then course.
    assert [r.email for r in rows_of(staff)] == [
        "ada@example.org", "ben@example.org", "cy@example.org", "dee@example.org", "eve@example.org",
        "fay@example.org", "gus@example.org",
    ]


def test_the_page_shows_it_in_plain_words(client, staff):
    client.force_login(staff.manager)
    response = client.get(url(staff.org))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Ada Lovelace", "ada@example.org", "Completed", "100% complete", "2 of 2", "Valid",
                 "Ben Okafor", "In progress", "40% complete", "1 of 2", "Valid, expires soon", "Not started",
                 "No activity yet", "Expired", "Revoked", "Fay Invited", "Not enrolled yet", "Invited (link expired)",
                 "Meeting Facilitator", "<caption", 'scope="col"', 'scope="row"', '<label for="id_status">',
                 f"/organisations/{staff.org.pk}/seats/", f"/organisations/{staff.org.pk}/invitations/"):
        assert text in html, text
    ada_until = (NOW + timedelta(days=400))
    assert f"Until {ada_until.day} {ada_until:%B %Y}" in html  # one date format on every page (kernel.when)
    summary = response.context["summary"]
    assert (summary.invited, summary.invitations_expired, summary.enrolled, summary.completed) == (2, 1, 5, 2)
    assert (summary.valid_certificates, summary.expiring_soon) == (2, 1)


def row_html(html: str, email: str) -> str:
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    return next(row for row in body.split("<tr>") if email in row.split("</th>")[0])


def certificate_cell(html: str, email: str) -> str:
    return row_html(html, email).split("<td>")[5].split("</td>")[0]


def test_no_certificate_is_said_as_the_filter_says_it(client, staff):
    """The audit saw "None" in the Certificate column; the filter for the same rows is
    called "No certificate". The table and the CSV now use the filter's words."""
    client.force_login(staff.manager)
    response = client.get(url(staff.org))
    html = response.content.decode()
    assert ("none", "No certificate") in response.context["form"].fields["certificate"].choices
    for email in ("cy@example.org", "fay@example.org"):  # enrolled, and invited
        assert certificate_cell(html, email) == '<span class="meta">No certificate</span>'
    assert ">None<" not in html
    assert "Valid, expires soon" in certificate_cell(html, "ben@example.org")
    # The rows the "No certificate" filter finds are those the table says have none.
    filtered = client.get(url(staff.org), {"certificate": "none"}).content.decode()
    assert "cy@example.org" in filtered and "ada@example.org" not in filtered
    assert certificate_cell(filtered, "cy@example.org") == '<span class="meta">No certificate</span>'

    header, *rows = csv_rows(client.get(url(staff.org, "staff_csv")))
    exported = {row[1]: dict(zip(header, row)) for row in rows}
    assert exported["cy@example.org"]["Certificate"] == "No certificate"
    assert exported["fay@example.org"]["Certificate"] == ""  # invited: nothing shared yet, as the other columns
    assert exported["ben@example.org"]["Certificate"] == "Valid, expires soon"
    assert not any(cell == "None" for row in rows for cell in row)


def test_the_table_scrolls_in_a_named_region_a_keyboard_can_reach(client, staff):
    """Wider than a phone, the table scrolls inside its own box: focusable, a region named
    by the table's caption (the browser test checks the name column stays in view)."""
    client.force_login(staff.manager)
    html = client.get(url(staff.org)).content.decode()
    region = html.split('<div class="table-scroll"')[1].split(">")[0]
    assert 'role="region"' in region and 'tabindex="0"' in region and 'aria-labelledby="staff-caption"' in region
    assert '<caption id="staff-caption">Staff progress by course' in html


def test_the_current_certificate_of_a_programme_that_includes_the_course(world):
    w = world
    renewed = member(w.org, name="Renewed", email="renewed@example.org")
    enrol(renewed, w.a, progress=50, active=NOW)
    first = certificate(renewed, w.programme, expires_in_days=-30, period=1)
    certificate(renewed, w.programme, expires_in_days=700, period=2, renews=first)  # the current one

    lapsed = member(w.org, name="Lapsed", email="lapsed@example.org")
    enrol(lapsed, w.a, progress=50, active=NOW)
    first = certificate(lapsed, w.programme, expires_in_days=200, period=1)
    certificate(lapsed, w.programme, expires_in_days=100, period=2, revoked=True, renews=first)  # current: revoked

    elsewhere = member(w.org, name="Elsewhere", email="elsewhere@example.org")
    enrol(elsewhere, w.b, progress=50, active=NOW)
    certificate(elsewhere, w.programme, expires_in_days=700)  # a programme without course B

    both = programme_for(w.a, w.b, title="Family Facilitator")
    twice = member(w.org, name="Twice", email="twice@example.org")
    enrol(twice, w.a, progress=50, active=NOW)
    enrol(twice, w.b, progress=50, active=NOW)
    certificate(twice, both, expires_in_days=45)
    certificate(twice, w.programme, expires_in_days=500)  # for course A the better one is shown

    rows = rows_of(w)
    found = {(r.email, r.course_title): r for r in rows}
    assert found[("renewed@example.org", "Facilitator Training")].certificate_status == "valid"
    assert found[("lapsed@example.org", "Facilitator Training")].certificate_status == "revoked"
    assert found[("elsewhere@example.org", "Family and Friends")].certificate_status is None
    assert found[("twice@example.org", "Facilitator Training")].certificate_programme == "Meeting Facilitator"
    assert found[("twice@example.org", "Family and Friends")].certificate_status == "expiring"
    summary = dashboard.staff_summary(dashboard.staff_scope(w.org))
    # renewed (period 2), twice's two certificates: each certificate counted once.
    assert (summary.valid_certificates, summary.expiring_soon) == (3, 1)


def test_required_assessments_are_those_learners_see(world):
    """A required quiz in a module that is not published does not count (as the learner's
    own outline does not show it); an optional quiz never counts."""
    ModulePage.objects.child_of(world.a).last().unpublish()
    user = member(world.org, email="counted@example.org")
    passed(enrol(user, world.a, progress=50, active=NOW), world.quizzes[0])
    assert rows_of(world)[0].assessments_label == "1 of 1"


def partners_only(module):
    module = module.specific
    module.partners_only = True
    module.save_revision().publish()
    return module


def required_in_course_state(user, course) -> int:
    """How many quizzes completing the course asks of this learner, as the course page
    counts them (``courses.selectors.CourseState``)."""
    state = course_state(course=course, user=user)
    return sum(1 for item_id in state.required_ids if state.outline.by_id[item_id].kind == "quiz")


def assert_page_and_csv_show(client, w, *, passed: int, required: int):
    """The manager's page and the CSV both show ``passed`` of ``required`` assessments."""
    client.force_login(w.manager)
    assert f"{passed} of {required}" in client.get(url(w.org)).content.decode()
    header, exported = csv_rows(client.get(url(w.org, "staff_csv")))
    cells = dict(zip(header, exported))
    assert (cells["Required assessments passed"], cells["Required assessments"]) == (str(passed), str(required))


def test_a_non_partner_organisation_does_not_count_quizzes_of_partners_only_modules(client, world):
    """Its staff cannot open a partners-only module, and completing the course does not ask
    for its quiz: the dashboard counts it neither as required nor as passed."""
    w = world
    partners_only(ModulePage.objects.child_of(w.a).last())
    user = member(w.org, name="Nia Outside", email="nia@example.org")
    e = enrol(user, w.a, progress=50, active=NOW)
    passed(e, w.quizzes[0])
    passed(e, w.quizzes[1])  # taken while the module was open to everyone: still not required
    row = by_email(rows_of(w))["nia@example.org"]
    assert (row.quizzes_passed, row.quizzes_required, row.assessments_label) == (1, 1, "1 of 1")
    assert row.quizzes_required == required_in_course_state(user, w.a) == 1

    assert_page_and_csv_show(client, w, passed=1, required=1)


def test_a_partner_organisation_counts_quizzes_of_partners_only_modules(client, world):
    w = world
    Organisation.objects.filter(pk=w.org.pk).update(is_partner=True)
    w.org.refresh_from_db()
    partners_only(ModulePage.objects.child_of(w.a).last())
    user = member(w.org, name="Pat Partner", email="pat@example.org")
    passed(enrol(user, w.a, progress=50, active=NOW), w.quizzes[1])
    row = by_email(rows_of(w))["pat@example.org"]
    assert (row.quizzes_passed, row.quizzes_required, row.assessments_label) == (1, 2, "1 of 2")
    assert row.quizzes_required == required_in_course_state(user, w.a) == 2

    assert_page_and_csv_show(client, w, passed=1, required=2)


def test_the_count_follows_the_organisation_becoming_a_partner_and_the_module_changing(world):
    """Nothing about partners is kept between requests: the next read follows a change of
    the organisation's status or of the module."""
    w = world
    module = partners_only(ModulePage.objects.child_of(w.a).last())
    passed(enrol(member(w.org, email="kim@example.org"), w.a, progress=50, active=NOW), w.quizzes[1])
    assert rows_of(w)[0].assessments_label == "0 of 1"
    Organisation.objects.filter(pk=w.org.pk).update(is_partner=True)
    w.org.refresh_from_db()
    assert rows_of(w)[0].assessments_label == "1 of 2"
    Organisation.objects.filter(pk=w.org.pk).update(is_partner=False)
    w.org.refresh_from_db()
    module.partners_only = False
    module.save_revision().publish()
    assert rows_of(w)[0].assessments_label == "1 of 2"


def test_a_course_completed_without_the_partner_module_shows_every_required_assessment_passed(world):
    """Completion (``courses.services``) and the count agree for a non-partner organisation's
    learner who did all they could open."""
    w = world
    open_module, closed_module = ModulePage.objects.child_of(w.a).order_by("path")
    partners_only(closed_module)
    user = member(w.org, name="Lou Done", email="lou@example.org")
    e, _ = course_services.enrollment_create(user=user, course=w.a)
    for lesson in LessonPage.objects.child_of(open_module).filter(required=True):
        course_services.lesson_complete(enrollment=e, lesson=lesson)
    passed(e, w.quizzes[0])
    course_services.enrollment_refresh_progress(enrollment_id=e.pk)
    row = by_email(rows_of(w))["lou@example.org"]
    assert (row.status, row.progress, row.assessments_label) == ("completed", 100, "1 of 1")


def test_expiry_soon_follows_the_setting(settings, staff):
    settings.ORGANISATIONS_EXPIRY_SOON_DAYS = 10
    assert by_email(rows_of(staff))["ben@example.org"].certificate_status == "valid"  # 30 days away
    settings.ORGANISATIONS_EXPIRY_SOON_DAYS = 500
    assert by_email(rows_of(staff))["ada@example.org"].certificate_status == "expiring"


# --- filters and pages ------------------------------------------------------------------------


@pytest.mark.parametrize("filters, emails", [
    ({"status": "invited"}, {"fay", "gus"}),
    ({"status": "not_started"}, {"cy"}),
    ({"status": "in_progress"}, {"ben", "dee"}),
    ({"status": "completed"}, {"ada", "eve"}),
    ({"certificate": "valid"}, {"ada", "ben"}),
    ({"certificate": "expiring"}, {"ben"}),
    ({"certificate": "ended"}, {"dee", "eve"}),
    ({"certificate": "none"}, {"cy", "fay", "gus"}),
    ({"q": "OKAFOR"}, {"ben"}),
    ({"q": "fay@"}, {"fay"}),
    ({"q": "fay invited"}, {"fay"}),
    ({"status": "completed", "certificate": "ended"}, {"eve"}),
])
def test_filters(client, staff, filters, emails):
    client.force_login(staff.manager)
    response = client.get(url(staff.org), filters)
    assert {r.email.split("@")[0] for r in response.context["rows"]} == emails
    exported = csv_rows(client.get(url(staff.org, "staff_csv"), filters))
    assert {row[1].split("@")[0] for row in exported[1:]} == emails


def test_course_filter(client, staff):
    client.force_login(staff.manager)
    response = client.get(url(staff.org), {"course": staff.b.pk})
    assert {r.email for r in response.context["rows"]} == {"cy@example.org", "fay@example.org"}


def test_a_course_outside_the_organisation_is_refused_not_used(client, staff):
    client.force_login(staff.manager)
    response = client.get(url(staff.org), {"course": staff.outside.pk, "status": "bogus"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["course"] == ["Choose one from the list."] and "status" in form.errors
    assert "Choose one from the list." in response.content.decode()
    assert len(response.context["rows"]) == 7  # filters that are not valid are not applied


def test_pages_of_fifty_with_counts_over_everyone(client, world):
    for i in range(57):
        enrol(member(world.org, name=f"Person {i:02d}", email=f"p{i:02d}@example.org"), world.a, progress=i)
    client.force_login(world.manager)
    first = client.get(url(world.org))
    assert len(first.context["rows"]) == 50 and first.context["page"].paginator.count == 57
    assert first.context["summary"].enrolled == 57
    assert "Page 1 of 2" in first.content.decode()
    assert '<nav class="pager" aria-label="Pages of staff">' in first.content.decode()
    second = client.get(url(world.org), {"page": 2, "status": "in_progress"})
    assert [r.name for r in second.context["rows"]] == [f"Person {i:02d}" for i in range(51, 57)]
    assert "status=in_progress" in second.content.decode().split("Previous page")[0].rsplit("href=", 1)[1]
    assert len(csv_rows(client.get(url(world.org, "staff_csv")))) == 58  # every row, not one page


# --- constant queries -------------------------------------------------------------------------


def populate(world, n: int, start: int = 0):
    """n people of every kind: enrolments on both courses, attempts, certificates,
    reflections and pending invitations."""
    w = world
    for i in range(start, start + n):
        user = member(w.org, name=f"Staff {i}", email=f"staff{i}@example.org")
        e = enrol(user, w.a, progress=(i * 7) % 100, active=NOW - timedelta(days=i))
        passed(e, w.quizzes[i % 2])
        enrol(user, w.b, completed=i % 3 == 0, active=NOW)
        certificate(user, w.programme, expires_in_days=((i + 2) % 4 - 1) * 40)  # -40 to 80 days
        invite(w.org, w.b, f"invitee{i}@example.org")


def queries_for(client, path, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_staff(client, world):
    client.force_login(world.manager)
    populate(world, 1)
    assert rows_of(world, status="in_progress", certificate="valid", search="staff")  # so the page is read
    dashboard_path, csv_path = url(world.org), url(world.org, "staff_csv")
    queries_for(client, dashboard_path)  # warm: session, content types
    small = [queries_for(client, dashboard_path), queries_for(client, csv_path),
             queries_for(client, dashboard_path, status="in_progress", certificate="valid", q="staff")]
    populate(world, 40, start=1)
    large = [queries_for(client, dashboard_path), queries_for(client, csv_path),
             queries_for(client, dashboard_path, status="in_progress", certificate="valid", q="staff")]
    assert small == large
    # The user, the membership, the courses (their required quizzes come from the cached
    # outlines), the count, the page, three summary counts (and the session, when the cache
    # lacks it).
    assert large[0] <= 10, large


def dashboard_queries(client, org, *, outlines_cached: bool) -> int:
    queries_for(client, url(org))  # warm: session, content types, outlines
    if not outlines_cached:
        content_cache.invalidate()  # as any page edit does
    return queries_for(client, url(org))


def test_queries_do_not_grow_with_the_courses(client, world):
    """The required quizzes of all the courses come from their outlines: from the cache,
    or read together in one query when any page has changed."""
    client.force_login(world.manager)
    populate(world, 2)
    few = [dashboard_queries(client, world.org, outlines_cached=cached) for cached in (True, False)]
    for n in range(3):
        course = build_course(title=f"Extra Course {n}", quiz=True)
        partners_only(ModulePage.objects.child_of(course).last())
        SeatPool.objects.create(organisation=world.org, course=course, total=10)
        passed(enrol(member(world.org, email=f"extra{n}@example.org"), course, progress=10, active=NOW),
               QuizPage.objects.descendant_of(course).first())
    many = [dashboard_queries(client, world.org, outlines_cached=cached) for cached in (True, False)]
    assert few == many and many[1] == many[0] + 1, (few, many)
    assert len(dashboard.staff_scope(world.org).courses) == 5


# --- privacy ----------------------------------------------------------------------------------


def test_nothing_private_reaches_the_manager(client, world):
    w = world
    learner = member(w.org, name="Private Person", email="private@example.org")
    enrollment = enrol(learner, w.a, progress=60, active=NOW)
    lesson = LessonPage.objects.descendant_of(w.a).first()
    ReflectionAnswer.objects.create(user=learner, lesson=lesson, block_id="abc", text=REFLECTION)
    passed(enrollment, w.quizzes[0], answers={"q1": WRITTEN})
    enrol(learner, w.outside, progress=80, active=NOW)  # their own course: not the employer's business

    gone = member(w.org, name="Left Already", email="left@example.org", left=True)
    enrol(gone, w.a, progress=90, active=NOW)

    other_org = organisation("Another Clinic")
    stranger = member(other_org, name="Someone Else", email="stranger@example.org")
    enrol(stranger, w.a, progress=20, active=NOW)

    client.force_login(w.manager)
    html = client.get(url(w.org)).content.decode()
    exported = "\n".join(",".join(r) for r in csv_rows(client.get(url(w.org, "staff_csv"))))
    for text in (html, exported):
        assert "Private Person" in text and "60" in text
        for secret in (REFLECTION, WRITTEN, "Other Course", "Left Already", "left@example.org", "Someone Else",
                       "90%"):
            assert secret not in text, secret
    # Their score is not shown either (90% on the attempt): only pass counts.
    assert "90.00" not in html and "90.00" not in exported


def test_a_withdrawn_enrolment_is_not_a_place(world):
    user = member(world.org, email="released@example.org")
    enrol(user, world.a, status=Enrollment.Status.WITHDRAWN)
    assert rows_of(world) == []


# --- the CSV ----------------------------------------------------------------------------------


def test_csv_cells_are_safe_in_a_spreadsheet(client, world):
    evil = member(world.org, name='=HYPERLINK("http://evil.example","Click")', email="+cmd@example.org")
    enrol(evil, world.a, progress=30, active=NOW)
    at = member(world.org, name="@SUM(1+1)", email="at@example.org")
    enrol(at, world.a)
    invite(world.org, world.b, "minus@example.org", name="-2+3")
    client.force_login(world.manager)
    rows = csv_rows(client.get(url(world.org, "staff_csv")))
    assert rows[0][:4] == ["Name", "Email", "Course", "Status"]
    cells = [cell for row in rows for cell in row]
    assert "'=HYPERLINK(\"http://evil.example\",\"Click\")" in cells
    assert "'+cmd@example.org" in cells and "'@SUM(1+1)" in cells and "'-2+3" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_csv_columns(client, staff):
    client.force_login(staff.manager)
    response = client.get(url(staff.org, "staff_csv"), {"q": "ben"})
    assert 'attachment; filename="staff-progress-riverside-recovery-' in response["Content-Disposition"]
    header, ben = csv_rows(response)
    row = dict(zip(header, ben))
    assert row["Name"] == "Ben Okafor" and row["Status"] == "In progress" and row["Progress %"] == "40"
    assert (row["Required assessments passed"], row["Required assessments"]) == ("1", "2")
    assert row["Certificate"] == "Valid, expires soon" and row["Certificate programme"] == "Meeting Facilitator"
    assert row["Certificate expires"] == timezone.localtime(NOW + timedelta(days=30)).date().isoformat()
    assert row["Last activity"].startswith(timezone.localtime(NOW - timedelta(days=1)).date().isoformat())


# --- attacks ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["dashboard", "staff_csv"])
def test_a_manager_of_another_organisation_gets_404(client, staff, name):
    other = organisation("Another Clinic")
    other_manager = member(other, name="Other Manager", role=Membership.Role.OWNER)
    client.force_login(other_manager)
    assert client.get(url(other, name)).status_code == 200
    response = client.get(url(staff.org, name))
    assert response.status_code == 404
    assert b"Ada" not in b"".join(response.streaming_content if response.streaming else [response.content])


@pytest.mark.parametrize("name", ["dashboard", "staff_csv"])
@pytest.mark.parametrize("who", ["member", "former_manager", "nobody"])
def test_staff_and_strangers_get_404(client, staff, name, who):
    if who == "member":
        user = member(staff.org, name="Plain Member", role=Membership.Role.MEMBER)
    elif who == "former_manager":
        user = member(staff.org, name="Former Manager", role=Membership.Role.MANAGER, left=True)
    else:
        user = UserFactory()
    client.force_login(user)
    assert client.get(url(staff.org, name)).status_code == 404
    assert client.get(reverse(f"organisations:{name}", args=[999999])).status_code == 404


@pytest.mark.parametrize("name", ["dashboard", "staff_csv"])
def test_anonymous_is_asked_to_sign_in(client, staff, name):
    response = client.get(url(staff.org, name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


def test_an_organisation_without_seats(client, catalogue):
    org = organisation("New Clinic")
    owner = member(org, name="Olu Owner", role=Membership.Role.OWNER)
    client.force_login(owner)
    response = client.get(url(org))
    assert response.status_code == 200
    assert "has no seats on a course yet" in response.content.decode()
    assert csv_rows(client.get(url(org, "staff_csv"))) == [
        ["Name", "Email", "Course", "Status", "Progress %", "Required assessments passed", "Required assessments",
         "Certificate", "Certificate programme", "Certificate expires", "Last activity", "Enrolled or invited on",
         "Completed on", "Invitation expires", "CE hours"]
    ]
