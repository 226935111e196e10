"""Data for the manager's dashboard benchmark (``manager_dashboard.py``; call after
``django.setup()``).

"Bench Clinic" holds seats on two courses (ten lessons and a required final quiz each)
and has BENCH_DASHBOARD_STAFF (1,000) staff members:

- everyone enrolled in course A, every other person in course B too (about 1,500 rows),
  progress spread from not started through in progress to completed (about one in five),
  last activity over the past months;
- required quiz attempts: passed by those who completed, failed then passed by some
  others, failed by a few;
- certificates of a programme that includes course A: valid, expiring within the
  warning window, expired, revoked, renewed (an expired period 1 and a valid period 2),
  and none;
- pending invitations (about 10 % of the staff count; some with an expired link), plus
  accepted and withdrawn ones (not shown);
- noise the page must not show or be slowed by: members who left, the staff's
  enrolments in a third course outside the pools, reflections, and a second
  organisation with its own 200 staff on the same courses.

Rows are written with ``bulk_create`` (the same fields the services set): making 1,000
people through the invitation flow would measure the set-up, not the page. The manager
is a real, signed-in user with a session cookie. The database is then ANALYZEd, as
autovacuum would have done by the time an organisation has that many staff.
"""
import random
from dataclasses import dataclass
from datetime import timedelta

from . import fixtures

SLUG_A = "manager-dashboard-course-a"
SLUG_B = "manager-dashboard-course-b"
SLUG_OUTSIDE = "manager-dashboard-outside"
PROGRAMME_SLUG = "bench-dashboard-facilitator"
STAFF_EMAIL = "bench-org-staff-{}@example.org"
OTHER_EMAIL = "bench-other-org-staff-{}@example.org"
MANAGER_EMAIL = "bench-org-manager-{}@example.org"
NAMES = ["Amara Osei", "Łukasz Wróblewski", "Siobhán Ní Bhriain", "Nguyễn Thị Minh Khai", "Kim Lee",
         "Jean-Baptiste Dubois", "Ana Núñez", "Ólafur Þórsson", "Chidinma Okonkwo", "Sam Taylor"]


@dataclass
class DashboardData:
    organisation: object
    manager: object
    cookie: str  # the manager's session cookie value
    courses: list
    counts: dict  # what was made, for the report


def _course(slug: str, title: str):
    """Ten lessons in two modules and a required final quiz directly in the course."""
    from courses.models import QuizPage

    course = fixtures.build_course(slug=slug, title=title, lessons=10, per_module=5)
    course.add_child(instance=QuizPage(title=f"{title}: final check", slug="final-check",
                                       questions=fixtures.exam_questions(4), pass_mark=70))
    return course


def _users(pattern: str, count: int) -> list:
    from accounts.models import User

    users = []
    for i in range(count):
        email = pattern.format(i)
        user = User(username=email, email=email, certificate_name=f"{NAMES[i % len(NAMES)]} {i}")
        user.set_unusable_password()
        users.append(user)
    return User.objects.bulk_create(users, batch_size=500)


def _staff(org, pool_a, pool_b, users, course_a, course_b, quiz_a, quiz_b, rng, now, *, with_seats=True):
    """Memberships, enrolments (A for all, B for every other person), seats and attempts."""
    from courses.models import Enrollment, QuizAttempt
    from organisations.models import Membership, Seat

    Membership.objects.bulk_create(
        [Membership(organisation=org, user=u, joined_at=now - timedelta(days=200)) for u in users], batch_size=500
    )
    enrolments = []
    for i, user in enumerate(users):
        for course in (course_a, course_b) if i % 2 == 0 else (course_a,):
            roll = rng.random()
            if roll < 0.2:
                done = now - timedelta(days=rng.randint(1, 300))
                progress, status, active = 100, Enrollment.Status.COMPLETED, done
            elif roll < 0.35:
                progress, status, done, active = 0, Enrollment.Status.ACTIVE, None, None
            else:
                progress = rng.choice([10, 20, 30, 40, 50, 60, 70, 80, 90])
                status, done, active = Enrollment.Status.ACTIVE, None, now - timedelta(hours=rng.randint(1, 2000))
            enrolments.append(Enrollment(
                user=user, course=course, source=Enrollment.Source.SEAT, status=status, completed_at=done,
                progress_percent=progress, last_activity_at=active,
            ))
    enrolments = Enrollment.objects.bulk_create(enrolments, batch_size=500)
    if with_seats:
        pools = {pool_a.course_id: pool_a, pool_b.course_id: pool_b}
        Seat.objects.bulk_create(
            [Seat(pool=pools[e.course_id], user=e.user, enrollment=e, taken_at=now - timedelta(days=150))
             for e in enrolments], batch_size=500,
        )
    attempts = []
    quizzes = {course_a.pk: quiz_a, course_b.pk: quiz_b}
    for e in enrolments:
        quiz = quizzes[e.course_id]
        outcomes = ([False, True] if rng.random() < 0.3 else [True]) if e.status == Enrollment.Status.COMPLETED else (
            [False] if e.progress_percent >= 80 and rng.random() < 0.5 else [])
        for number, ok in enumerate(outcomes, 1):
            attempts.append(QuizAttempt(
                user=e.user, enrollment=e, quiz=quiz, number=number, status=QuizAttempt.Status.GRADED,
                questions=[], pass_mark=70, feedback="after_each", answers={"q": "private answer text"},
                submitted_at=now - timedelta(days=2), graded_at=now - timedelta(days=2), passed=ok,
                percent=85 if ok else 40,
            ))
    QuizAttempt.objects.bulk_create(attempts, batch_size=500)
    return enrolments


def _certificates(users, programme, rng, now) -> dict:
    """Certificates for about half the staff, in every state the dashboard shows."""
    from certification import codes
    from certification.models import Certificate

    made = {"valid": 0, "expiring": 0, "expired": 0, "revoked": 0, "renewed": 0}
    rows, renewed = [], []

    def cert(user, *, period=1, days, revoked=False):
        return Certificate(
            code=codes.new_code(), holder=user, programme=programme, period=period, holder_name=user.certificate_name,
            issued_at=now - timedelta(days=700), expires_at=now + timedelta(days=days),
            revoked_at=now - timedelta(days=3) if revoked else None, revocation_reason="other" if revoked else "",
        )

    for user in users:
        roll = rng.random()
        if roll < 0.25:
            rows.append(cert(user, days=rng.randint(90, 700)))
            made["valid"] += 1
        elif roll < 0.33:
            rows.append(cert(user, days=rng.randint(1, 59)))
            made["expiring"] += 1
        elif roll < 0.43:
            rows.append(cert(user, days=-rng.randint(1, 300)))
            made["expired"] += 1
        elif roll < 0.45:
            rows.append(cert(user, days=300, revoked=True))
            made["revoked"] += 1
        elif roll < 0.50:
            renewal = cert(user, period=2, days=rng.randint(200, 700))
            rows.append(renewal)
            renewed.append((user, renewal))
            made["renewed"] += 1
    Certificate.objects.bulk_create(rows, batch_size=500)
    # The certificates they renewed, pointing at the renewal (as certificate_issue leaves them).
    Certificate.objects.bulk_create(
        [Certificate(code=codes.new_code(), holder=user, programme=programme, period=1,
                     holder_name=user.certificate_name, issued_at=now - timedelta(days=800),
                     expires_at=now - timedelta(days=100), renewed_by=renewal) for user, renewal in renewed],
        batch_size=500,
    )
    return made


def _invitations(org, course_a, course_b, count: int, manager, now) -> int:
    from organisations.models import Invitation

    rows = []
    for i in range(count):
        rows.append(Invitation(
            organisation=org, email=f"bench-invitee-{i}@example.org", name=NAMES[i % len(NAMES)] if i % 3 else "",
            course=course_a if i % 2 else course_b, invited_by=manager, created_at=now - timedelta(days=i % 20),
            expires_at=now + timedelta(days=14 - (i % 20)), sent_at=now - timedelta(days=i % 20),
        ))
    for i, status in enumerate([Invitation.Status.ACCEPTED] * 20 + [Invitation.Status.WITHDRAWN] * 10):
        rows.append(Invitation(
            organisation=org, email=f"bench-answered-{i}@example.org", course=course_a, status=status,
            invited_by=manager, expires_at=now + timedelta(days=3),
        ))
    Invitation.objects.bulk_create(rows, batch_size=500)
    return count


def build(*, staff: int, seed: int = 6) -> DashboardData:
    from django.utils import timezone

    from certification.models import Programme
    from courses.models import Enrollment, LessonPage, QuizPage, ReflectionAnswer
    from organisations.models import Membership, Organisation, SeatPool

    rng = random.Random(seed)
    now = timezone.now()
    course_a = _course(SLUG_A, "Dashboard bench: Facilitator Training")
    course_b = _course(SLUG_B, "Dashboard bench: Family and Friends")
    outside = fixtures.build_course(slug=SLUG_OUTSIDE, title="Dashboard bench: outside course", lessons=2)
    quiz_a = QuizPage.objects.descendant_of(course_a).get()
    quiz_b = QuizPage.objects.descendant_of(course_b).get()
    programme = Programme.objects.create(title="Dashboard bench facilitator", slug=PROGRAMME_SLUG, validity_months=24)
    programme.courses.add(course_a)
    programme.save()

    org = Organisation.objects.create(name="Bench Clinic", kind="treatment", country="GB",
                                      billing_email="billing@bench-clinic.example.org")
    manager = fixtures.make_learner(0, email_pattern=MANAGER_EMAIL)
    Membership.objects.create(organisation=org, user=manager, role=Membership.Role.OWNER)
    people = _users(STAFF_EMAIL, staff)
    on_b = (staff + 1) // 2
    pool_a = SeatPool.objects.create(organisation=org, course=course_a, total=staff + 100, used=staff)
    pool_b = SeatPool.objects.create(organisation=org, course=course_b, total=on_b + 100, used=on_b)
    enrolments = _staff(org, pool_a, pool_b, people, course_a, course_b, quiz_a, quiz_b, rng, now)
    certificates = _certificates(people, programme, rng, now)
    invited = _invitations(org, course_a, course_b, max(1, staff // 10), manager, now)

    # Noise: people who left (with progress), the staff's own course, private reflections.
    leavers = _users("bench-org-leaver-{}@example.org", 50)
    _staff(org, pool_a, pool_b, leavers, course_a, course_b, quiz_a, quiz_b, rng, now, with_seats=False)
    Membership.objects.filter(user__in=leavers).update(left_at=now - timedelta(days=10))
    Enrollment.objects.bulk_create(
        [Enrollment(user=u, course=outside, progress_percent=50, last_activity_at=now) for u in people[::5]]
    )
    lesson = LessonPage.objects.descendant_of(course_a).first()
    ReflectionAnswer.objects.bulk_create(
        [ReflectionAnswer(user=u, lesson=lesson, block_id="bench", text="private reflection") for u in people[::4]]
    )
    # Another organisation on the same courses.
    other = Organisation.objects.create(name="Other Bench Clinic", kind="health", country="IE",
                                        billing_email="billing@other-bench.example.org")
    other_people = _users(OTHER_EMAIL, 200)
    other_a = SeatPool.objects.create(organisation=other, course=course_a, total=300, used=200)
    other_b = SeatPool.objects.create(organisation=other, course=course_b, total=300, used=100)
    _staff(other, other_a, other_b, other_people, course_a, course_b, quiz_a, quiz_b, rng, now)
    _certificates(other_people, programme, rng, now)

    analyze()
    counts = {
        "staff": staff, "enrolments": len(enrolments), "pending_invitations": invited,
        "certificates": certificates, "members_who_left": len(leavers), "other_organisation_staff": len(other_people),
    }
    return DashboardData(organisation=org, manager=manager, cookie=fixtures.session_cookie(manager),
                         courses=[course_a, course_b], counts=counts)


def small_organisation(courses: list, *, staff: int = 10, seed: int = 7) -> tuple[object, str]:
    """A second organisation with ``staff`` people on the same courses and the same kinds
    of rows, to show that the page's query count does not follow the staff count.
    Returns (organisation, its manager's session cookie)."""
    from django.utils import timezone

    from certification.models import Programme
    from courses.models import QuizPage
    from organisations.models import Membership, Organisation, SeatPool

    rng = random.Random(seed)
    now = timezone.now()
    course_a, course_b = courses
    quiz_a = QuizPage.objects.descendant_of(course_a).get()
    quiz_b = QuizPage.objects.descendant_of(course_b).get()
    org = Organisation.objects.create(name="Small Bench Clinic", kind="community", country="GB",
                                      billing_email="billing@small-bench.example.org")
    manager = fixtures.make_learner(1, email_pattern=MANAGER_EMAIL)
    Membership.objects.create(organisation=org, user=manager, role=Membership.Role.OWNER)
    people = _users("bench-small-org-staff-{}@example.org", staff)
    pool_a = SeatPool.objects.create(organisation=org, course=course_a, total=staff, used=staff)
    pool_b = SeatPool.objects.create(organisation=org, course=course_b, total=staff, used=(staff + 1) // 2)
    _staff(org, pool_a, pool_b, people, course_a, course_b, quiz_a, quiz_b, rng, now)
    _certificates(people, Programme.objects.get(slug=PROGRAMME_SLUG), rng, now)
    _invitations(org, course_a, course_b, max(1, staff // 10), manager, now)
    analyze()
    return org, fixtures.session_cookie(manager)


def analyze() -> None:
    """Refresh the planner's statistics, as autovacuum would have long before an
    organisation grew to 1,000 staff. Straight after a bulk load PostgreSQL still
    believes the tables are nearly empty and picks plans no live database would."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
