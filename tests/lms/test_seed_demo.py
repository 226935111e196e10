"""``manage.py seed_demo``: idempotent demo content and accounts that really work."""
import re
from decimal import Decimal
from certification.models import Certificate, CodeOfConduct, ConductAcceptance, PracticalItem, Programme
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from accounts.models import User
from certification import demo as certification_demo
from continuing_education import demo as ce_demo
from continuing_education.models import (
    AccreditingBody, Approval, CECertificate, CECertificateEvent, CourseApproval, EvaluationPage, EvaluationResponse,
    EvaluationSubmission, ProfessionalLicence,
)
from certification.selectors import programme_progress
from courses import scoring, services
from courses.assessment import services as quiz_services
from courses.assessment.snapshot import quiz_questions
from courses.demo import facilitator, family
from courses.demo.markup import lesson_words
from courses.demo.people import DEMO_USERS, REVIEWER
from courses.models import (
    CoursePage, Enrollment, LessonPage, LessonProgress, ModulePage, QuestionBank, QuizAttempt, QuizPage, StudyHour,
)
from courses.outline import build_outline
from lms.models import ContentPage
from organisations import demo as org_demo
from payments import demo as payments_demo
from payments.models import DiscountCode, Order, ScholarshipApplication
from organisations.models import Invitation, Membership, Organisation, Seat, SeatChange, SeatPool
from tests.factories import UserFactory

FACILITATOR_SLUG = "meeting-facilitator-training"
FAMILY_SLUG = "family-and-friends-facilitator-training"


def seed_demo(*args, **options) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, **options)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "users": User.objects.count(),
        "emails": EmailAddress.objects.count(),
        "documents": get_document_model().objects.count(),
        "images": get_image_model().objects.count(),
        "memberships": User.groups.through.objects.count(),
        "banks": QuestionBank.objects.count(),
        "programmes": Programme.objects.count(),
        "programme_courses": Programme.courses.through.objects.count(),
        "practical_items": PracticalItem.objects.count(),
        "codes_of_conduct": CodeOfConduct.objects.count(),
        "organisations": Organisation.objects.count(),
        "org_memberships": Membership.objects.count(),
        "seat_changes": SeatChange.objects.count(),
        "seats": Seat.objects.count(),
        "invitations": Invitation.objects.count(),
        "enrollments": Enrollment.objects.count(),
        "lessons_completed": LessonProgress.objects.count(),
        "attempts": QuizAttempt.objects.count(),
        "discount_codes": DiscountCode.objects.count(),
        "code_courses": DiscountCode.courses.through.objects.count(),
        "scholarship_applications": ScholarshipApplication.objects.count(),
        "certificates": Certificate.objects.count(),
        "conduct_acceptances": ConductAcceptance.objects.count(),
        "accrediting_bodies": AccreditingBody.objects.count(),
        "approvals": Approval.objects.count(),
        "course_approvals": CourseApproval.objects.count(),
        "study_hours": StudyHour.objects.count(),
        "licences": ProfessionalLicence.objects.count(),
        "evaluations": (EvaluationSubmission.objects.count(), EvaluationResponse.objects.count()),
        "ce_certificates": list(CECertificate.objects.values_list("code", "hours", "issued_at", "completed_at")),
        "ce_events": CECertificateEvent.objects.count(),
    }


def question_ids() -> dict:
    """Every quiz's and bank's question and option ids, by quiz page id or bank title."""
    ids = {}
    for quiz in QuizPage.objects.all():
        ids[quiz.pk] = [(q["id"], [o["id"] for o in q.get("options", [])]) for q in quiz_questions(quiz)]
    for bank in QuestionBank.objects.all():
        ids[bank.title] = [q.id for q in bank.questions]
    return ids


def key_answer(q: dict):
    """The right answer to a question snapshot (a long enough text for a written one)."""
    if q["type"] == "single":
        return next(o["id"] for o in q["options"] if o["correct"])
    if q["type"] == "multiple":
        return [o["id"] for o in q["options"] if o["correct"]]
    if q["type"] == "true_false":
        return q["answer"]
    if q["type"] == "short_text":
        return q["accepted"][0]
    return "x" * q["min_length"]


def demo_quizzes():
    return QuizPage.objects.filter(path__startswith=course(FACILITATOR_SLUG).path) | QuizPage.objects.filter(
        path__startswith=course(FAMILY_SLUG).path
    )


def right_answers_form(attempt: QuizAttempt) -> dict:
    """The submit form's fields for an attempt, every objective answer right."""
    data = {}
    for q in attempt.questions:
        name = f"q-{q['id']}"
        if q["type"] == "single":
            data[name] = next(o["id"] for o in q["options"] if o["correct"])
        elif q["type"] == "multiple":
            data[name] = [o["id"] for o in q["options"] if o["correct"]]
            data[f"{name}-present"] = "1"
        elif q["type"] == "true_false":
            data[name] = "true" if q["answer"] else "false"
        elif q["type"] == "short_text":
            data[name] = q["accepted"][0]
        else:
            data[name] = (
                "I would welcome the newcomer warmly and thank them for coming, remind the group "
                "gently that advice waits until it is asked for, and offer a private word after "
                "check-in to help them find support for tonight."
            )
    return data


def course(slug: str) -> CoursePage:
    # The English course (the demo also has the Family & Friends course in Spanish).
    return CoursePage.objects.get(slug=slug, locale__language_code="en")


@pytest.mark.django_db
def test_running_twice_creates_nothing_new_and_update_restores_edits():
    first = seed_demo()
    assert not re.search(r"\b0 pages created", first)
    assert Page.find_problems() == ([], [], [], [], [])
    # An author's edit to a demo page survives a second run...
    lesson = LessonPage.objects.get(slug="abc-model")
    lesson.title = "Edited by an author"
    lesson.save_revision().publish()
    before, ids = snapshot(), question_ids()
    assert before["banks"] == 1
    assert before["programmes"] == 2 and before["programme_courses"] == 2 and before["codes_of_conduct"] == 1
    assert "2 certification programmes" in first and "1 organisation, 7 discount codes and" in first
    assert before["organisations"] == 1 and before["seats"] == 4 and before["invitations"] == 1
    assert before["certificates"] == 1 and before["conduct_acceptances"] == 1
    assert "code DEM0-CERT-2026-FAM1-0001" in first and "http://testserver/certificates/verify/DEM0CERT2026FAM10001/" in first
    assert "code DEM0-CEHR-2026-MFT1-0001" in first and "http://testserver/certificates/verify/DEM0CEHR2026MFT10001/" in first
    assert "provider number DEMO-0000: a demo value, not a real approval" in first
    assert [code for code, *_ in before["ce_certificates"]] == [ce_demo.CE_CODE] and before["approvals"] == 1
    second = seed_demo()
    assert snapshot() == before and question_ids() == ids
    assert re.search(r"\b0 pages created, 0 updated", second) and "0 organisations, 0 discount codes and" in second
    assert LessonPage.objects.get(pk=lesson.pk).title == "Edited by an author"
    assert "http://testserver/admin/" in second
    assert "learner@example.org / demo-learner-pass" in second
    # The certificate and the staff member's login are printed on every run.
    assert "code DEM0-CERT-2026-FAM1-0001" in second and "code DEM0-CEHR-2026-MFT1-0001" in second
    assert "amara.osei@riverside-recovery.example / demo-staff-pass" in second
    # ...and --update rewrites the demo pages from the code, as new revisions.
    updated = seed_demo(update=True)
    assert re.search(r"\b0 pages created", updated) and not re.search(r"\b0 updated", updated)
    assert LessonPage.objects.get(pk=lesson.pk).title == "The ABC model"
    assert Page.objects.count() == before["pages"] and User.objects.count() == before["users"]
    assert QuestionBank.objects.count() == 1
    assert Programme.objects.count() == 2 and PracticalItem.objects.count() == before["practical_items"]
    # Question and option ids survive --update: attempts and regrades keep track of them.
    assert question_ids() == ids
    # So do the evaluation's (answers are kept by question id), and the CE certificate stands.
    evaluation = EvaluationPage.objects.get(slug=ce_demo.EVALUATION_SLUG)
    assert [q.id for q in evaluation.questions] == [q["id"] for q in ce_demo.evaluation_questions()]
    assert snapshot()["ce_certificates"] == before["ce_certificates"]
    assert Page.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_older_demo_databases_get_their_quizzes():
    """A database seeded before quizzes had questions: its empty quizzes are filled in, and
    the family course's empty placeholder "Final assessment" goes (nobody attempted it)."""
    seed_demo()
    check = QuizPage.objects.get(slug="motivation-check")
    QuizPage.objects.filter(pk=check.pk).update(questions=[])
    fam = course(FAMILY_SLUG)
    # (Saved as a draft and then made live: the page's own checks refuse an empty live quiz.)
    placeholder = fam.add_child(instance=QuizPage(title="Final assessment", slug="final-assessment", live=False))
    QuizPage.objects.filter(pk=placeholder.pk).update(live=True)
    out = seed_demo()
    assert re.search(r"\b1 updated", out) and re.search(r"\b1 removed", out)
    assert len(QuizPage.objects.get(pk=check.pk).questions) == 4
    assert not QuizPage.objects.filter(pk=placeholder.pk).exists()
    assert Page.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_reviewer_account_waits_for_its_group():
    """Seeding works whichever migration state: without the reviewers' group, the reviewer
    account is skipped (and the output says why); once the group exists, it is made."""
    Group.objects.filter(name=REVIEWER.group).delete()
    out = seed_demo()
    assert not User.objects.filter(email=REVIEWER.email).exists()
    assert REVIEWER.password not in out and "no assessment reviewer account yet" in out
    Group.objects.create(name=REVIEWER.group)
    out = seed_demo()
    assert f"{REVIEWER.email} / {REVIEWER.password}" in out
    assert User.objects.get(email=REVIEWER.email).groups.filter(name=REVIEWER.group).exists()


def test_facilitator_lessons_are_substantial():
    for lesson in facilitator.COURSE.lessons:
        assert 250 <= lesson_words(lesson) <= 500, lesson.title
    for lesson in family.COURSE.lessons:
        assert 200 <= lesson_words(lesson) <= 500, lesson.title
    lessons = facilitator.COURSE.lessons + family.COURSE.lessons
    kinds = [{kind for kind, _ in lesson.body} for lesson in lessons]
    assert sum("callout" in k for k in kinds) >= 0.8 * len(lessons)
    assert sum("reflection" in k for k in kinds) >= 0.8 * len(lessons)
    assert all("video" not in k for k in kinds)  # embeds would call the internet


@pytest.fixture(scope="class")
def seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed once for the read-only tests of a class, and roll it all back afterwards.

    Seeding takes several seconds; the tests below only read the demo (or write inside
    their own transaction), so they share one seeded database state.
    """
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            seed_demo()
            yield media
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.django_db
@pytest.mark.usefixtures("seeded_once")
class TestSeededDemo:
    def test_facilitator_course_structure(self):
        fac = course(FACILITATOR_SLUG)
        assert fac.sequential and not fac.is_free and fac.live  # the fee: test_the_paid_course_can_be_shown_without_stripe
        assert 6 <= fac.estimated_hours <= 10
        assert 4 <= len(fac.learning_outcomes) <= 6
        assert fac.summary and fac.audience and fac.description
        assert fac.cover_image is not None
        modules = ModulePage.objects.child_of(fac)
        assert modules.count() == 6
        lessons = LessonPage.objects.descendant_of(fac)
        assert 14 <= lessons.count() <= 18
        assert 1 <= lessons.filter(required=False).count() <= 2
        # Every module ends with a required knowledge check, feedback after each attempt.
        last_items = [m.get_children().last().specific for m in modules]
        assert all(isinstance(item, QuizPage) for item in last_items)
        for check in last_items:
            assert check.required and check.feedback == QuizPage.Feedback.AFTER_EACH
            assert 3 <= len(check.questions) <= 5 and check.bank_id is None
        # The last item of the course (its evaluation page, after it, is no item: the outline ignores it).
        final = [c.specific for c in fac.get_children() if c.specific_class is not EvaluationPage][-1]
        assert fac.get_children().last().specific_class is EvaluationPage
        assert isinstance(final, QuizPage) and final.title == "Final assessment"
        # Everything is published through a revision, as the admin would.
        for page in fac.get_descendants(inclusive=True):
            assert page.live and page.live_revision_id and not page.has_unpublished_changes

    def test_family_course_structure(self):
        fam = course(FAMILY_SLUG)
        assert not fam.sequential and fam.is_free
        assert 2 <= ModulePage.objects.child_of(fam).count() <= 3
        assert 5 <= LessonPage.objects.descendant_of(fam).count() <= 7
        quizzes = QuizPage.objects.descendant_of(fam)
        assert quizzes.count() == 1  # one module check (no empty placeholder)
        check = quizzes.get()
        assert check.get_parent().specific_class is ModulePage and check.required
        assert 3 <= len(check.questions) <= 5

    def test_final_assessment_draws_meeting_situations(self):
        final = QuizPage.objects.child_of(course(FACILITATOR_SLUG)).get(slug="final-assessment")
        assert final.bank.title == "Meeting situations" and len(final.bank.questions) == 8
        assert final.draw_count == 5 and final.pass_mark == 80 and final.attempts_allowed == 3
        assert final.wait_minutes == 10 and final.time_limit_minutes == 30 and final.required
        assert final.feedback == QuizPage.Feedback.ONCE_PASSED
        assert all(q.value["scenario"] for q in final.bank.questions)  # meeting scenario stems
        written = [q for q in final.questions if q.block_type == "written"]
        assert len(written) == 1
        assert written[0].value["min_length"] >= 150 and len(written[0].value["rubric"]) >= 2

    def test_every_demo_quiz_is_valid_and_varied(self):
        quizzes = list(demo_quizzes())
        assert len(quizzes) == 8  # six module checks and a final, plus one family check
        kinds = set()
        for quiz in quizzes:
            questions = quiz_questions(quiz)  # validates each snapshot on the way
            for q in questions:
                scoring.validate_question(q)
                kinds.add(q["type"])
                # Feedback is what makes a check worth taking: every question explains itself.
                assert q["explanation"], q["prompt"]
            ids = [q["id"] for q in questions]
            assert len(set(ids)) == len(ids), quiz.title
            if quiz.slug.endswith("-check"):
                types = {q["type"] for q in questions}
                assert {"single", "multiple", "true_false"} <= types, quiz.title
                assert any(
                    o["feedback"] for q in questions if q["type"] == "multiple" for o in q["options"]
                ), f"{quiz.title}: no per-option feedback on its multiple-choice question"
            # Answered from its own key, every objective question earns full marks (so the
            # accepted short answers and the ticks agree with the prompts' intent).
            answers = {q["id"]: key_answer(q) for q in questions}
            result = scoring.score_attempt(questions, answers)
            for q in questions:
                score = result.per_question[q["id"]]
                assert score.needs_review or score.awarded == score.possible, (quiz.title, q["prompt"])
        assert kinds == set(scoring.QUESTION_TYPES)

    def test_worksheet_is_a_downloadable_document(self, client, settings, seeded_once):
        settings.MEDIA_ROOT = seeded_once  # where the seed saved the files
        lesson = LessonPage.objects.get(slug="cost-benefit-analysis")
        worksheets = [b.value for b in lesson.body if b.block_type == "worksheet"]
        assert len(worksheets) == 1
        document = worksheets[0]["document"]
        assert document.title == "Cost-benefit analysis worksheet" and document.file_size
        response = client.get(document.url)
        assert response.status_code == 200
        assert b"COST-BENEFIT ANALYSIS" in b"".join(response.streaming_content)

    def test_demo_accounts_can_sign_in(self, client):
        assert Group.objects.filter(name=REVIEWER.group).exists()  # lms 0005 has run
        for spec in DEMO_USERS:
            user = User.objects.get(email=spec.email)
            assert user.certificate_name == spec.certificate_name and user.username == spec.email
            assert EmailAddress.objects.filter(
                user=user, email=spec.email, verified=True, primary=True
            ).exists()
            assert client.login(email=spec.email, password=spec.password), spec.email
            client.logout()
        admin = User.objects.get(email="admin@example.org")
        assert admin.is_staff and admin.is_superuser
        assert admin.certificate_name == "Demo Administrator"
        assert User.objects.get(email="learner@example.org").certificate_name == "Alex Learner"
        authors = Group.objects.get(name="Course authors").user_set
        publishers = Group.objects.get(name="Course publishers").user_set
        assert authors.filter(email="author@example.org").exists()
        assert publishers.filter(email="publisher@example.org").exists()
        reviewer = User.objects.get(email=REVIEWER.email)
        assert reviewer.has_perm("courses.review_quizattempt") and not reviewer.is_superuser
        assert reviewer.has_perm("wagtailadmin.access_admin")

    def test_demo_learner_signs_in_through_the_login_form(self, client):
        response = client.post(
            reverse("account_login"),
            {"login": "learner@example.org", "password": "demo-learner-pass"},
        )
        assert response.status_code == 302
        assert client.get(reverse("courses:dashboard")).status_code == 200


    @pytest.mark.parametrize("slug", [FACILITATOR_SLUG, FAMILY_SLUG])
    def test_every_lesson_and_quiz_renders_for_an_enrolled_learner(
        self, client, slug, django_capture_on_commit_callbacks
    ):
        # A learner of their own: the demo learner has already finished the free course.
        learner = UserFactory()
        demo_course = course(slug)
        client.force_login(learner)
        assert client.get(demo_course.url).status_code == 200
        if demo_course.is_free:
            client.post(reverse("courses:enrol", args=[demo_course.id]))
        else:  # the way the seed's output gives: no Stripe here, the fee-waiver code
            client.post(reverse("payments:checkout", args=[demo_course.id]),
                        {"donation": "0", "discount_code": payments_demo.WAIVER.lower()})
        enrollment = Enrollment.objects.get(user=learner, course=demo_course, status=Enrollment.Status.ACTIVE)
        outline = build_outline(demo_course, course_url=demo_course.url)
        # In order, completing each lesson and passing each quiz: the course may be taken
        # in order (a required quiz locks what comes after it until it is passed).
        for item in outline.items:
            response = client.get(item.url)
            assert response.status_code == 200, item.url
            assert escape(item.title) in response.content.decode()
            if item.kind == "lesson":
                client.post(reverse("courses:complete", args=[demo_course.id, item.id]))
                continue
            response = client.post(reverse("courses:quiz_start", args=[item.id]))
            attempt = QuizAttempt.objects.get(user=learner, quiz_id=item.id)
            assert response.url == reverse("courses:attempt", args=[attempt.pk])
            assert client.get(response.url).status_code == 200
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(
                    reverse("courses:attempt_submit", args=[attempt.pk]), right_answers_form(attempt)
                )
            assert response.status_code == 302, response.content.decode()[:2000]
            attempt.refresh_from_db()
            if attempt.status == QuizAttempt.Status.NEEDS_REVIEW:  # the final's written answer
                marks = {q["id"]: [c["points"] for c in q["rubric"]] for q in attempt.questions if "rubric" in q}
                reviewer = User.objects.get(email=REVIEWER.email)
                with django_capture_on_commit_callbacks(execute=True):
                    quiz_services.attempt_review(
                        attempt_id=attempt.pk, reviewer=reviewer, scores=marks, comment="Clear and kind."
                    )
                attempt.refresh_from_db()
            assert attempt.passed, item.title
            assert client.get(reverse("courses:attempt_result", args=[attempt.pk])).status_code == 200
        enrollment.refresh_from_db()
        assert enrollment.progress_percent == 100
        assert client.get(reverse("courses:dashboard")).status_code == 200

    def test_about_page_and_catalogue(self, client):
        about = ContentPage.objects.get(slug="about", locale__language_code="en")
        assert about.live and about.get_parent().specific_class.__name__ == "HomePage"
        response = client.get(about.url)
        assert response.status_code == 200
        assert b"no record of the people who attend" in response.content
        # What is kept of an attendance slip, for how long, and what never is.
        assert b"What we keep about a slip, and for how long" in response.content
        assert b"What we never keep" in response.content
        catalogue = client.get("/courses/")
        assert b"Meeting Facilitator Training" in catalogue.content
        assert b"Family &amp; Friends Facilitator Training" in catalogue.content

    def test_demo_organisation_reads_like_a_real_one(self, client):
        """Riverside Recovery Centre: its manager, 10 seats granted against an invoice,
        four staff at different points of the course (one waiting for a reviewer), one
        invitation waiting."""
        org = Organisation.objects.get(name=org_demo.NAME)
        assert org.get_kind_display() == "Treatment or rehabilitation service"
        manager = User.objects.get(email="manager@example.org")
        assert Membership.objects.get(organisation=org, user=manager).role == Membership.Role.OWNER
        pool = SeatPool.objects.get(organisation=org)
        assert pool.course.slug == FACILITATOR_SLUG and (pool.total, pool.used) == (10, 4)
        grant = SeatChange.objects.get(pool=pool)
        assert (grant.kind, grant.quantity, grant.note) == ("grant", 10, "Demo invoice INV-2026-014")
        assert grant.by.email == "admin@example.org"
        staff = Enrollment.objects.filter(course=pool.course, source=Enrollment.Source.SEAT)
        progress = sorted(staff.values_list("progress_percent", flat=True))
        assert len(progress) == 4 and progress[0] == 0 < progress[1] < progress[2] < progress[3] < 100
        module_checks = QuizPage.objects.descendant_of(pool.course).exclude(slug="final-assessment").count()
        assert QuizAttempt.objects.filter(enrollment__in=staff, passed=True).count() == 1 + module_checks
        # Amara finished everything; her final assessment's written answer waits for the reviewer,
        # whose queue the reviewer demo login opens, and the course is not complete until it is marked.
        waiting = QuizAttempt.objects.get(enrollment__in=staff, status=QuizAttempt.Status.NEEDS_REVIEW)
        assert waiting.user.email == "amara.osei@riverside-recovery.example" and waiting.quiz.slug == "final-assessment"
        assert waiting.enrollment.status == Enrollment.Status.ACTIVE
        client.force_login(User.objects.get(email=REVIEWER.email))
        assert "Review queue (1)" in client.get("/admin/").content.decode()
        client.logout()
        pending = Invitation.objects.get(organisation=org, status=Invitation.Status.PENDING)
        assert pending.email == "daniel.reyes@riverside-recovery.example" and not pending.is_expired()
        # Staff see it in the admin; the manager signs in with the printed password.
        client.force_login(User.objects.get(email="admin@example.org"))
        page = client.get(reverse("organisations_admin:inspect", args=[org.pk])).content.decode()
        assert "Demo invoice INV-2026-014" in page and "Priya Raman" in page
        client.logout()
        assert client.login(email="manager@example.org", password="demo-manager-pass")

    def test_the_demo_learner_holds_a_certificate(self, client, settings, seeded_once):
        """Family & Friends Facilitator, earned through the real services (the free course
        completed, its check passed, the code of conduct accepted), with the code the README
        names; its pages work at once."""
        settings.MEDIA_ROOT = seeded_once
        learner = User.objects.get(email="learner@example.org")
        certificate = Certificate.objects.get(holder=learner)
        assert certificate.code == certification_demo.CERTIFICATE_CODE
        assert certificate.display_code == "DEM0-CERT-2026-FAM1-0001"
        assert certificate.programme.slug == "family-friends-facilitator" and certificate.status() == "valid"
        assert certificate.holder_name == "Alex Learner" and certificate.issued_notified_at
        assert list(certificate.events.values_list("kind", flat=True)) == ["issued"]
        assert programme_progress(user=learner, programme=certificate.programme).met
        enrollment = Enrollment.objects.get(user=learner, course=course(FAMILY_SLUG))
        assert enrollment.status == Enrollment.Status.COMPLETED and enrollment.progress_percent == 100
        assert enrollment.completed_at < certificate.issued_at and enrollment.enrolled_at < enrollment.completed_at
        assert QuizAttempt.objects.get(user=learner, quiz__path__startswith=course(FAMILY_SLUG).path).passed
        # Anyone can check it, with the code as printed or typed loosely.
        page = client.get(reverse("certification:verify", args=[certificate.code])).content.decode()
        assert "Valid." in page and "Alex Learner" in page
        typed = client.get(reverse("certification:lookup"), {"code": "demo-cert-2026-fam1-0001"})
        assert typed.url == reverse("certification:verify", args=[certificate.code])
        # The holder: PDF, digital credential and LinkedIn from My certificates.
        assert client.login(email="learner@example.org", password="demo-learner-pass")
        mine = client.get(reverse("certification:mine")).content.decode()
        assert certificate.display_code in mine and "linkedin.com/profile/add" in mine
        pdf = client.get(reverse("certification:pdf", args=[certificate.code]))
        assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
        credential = client.get(reverse("credentials:credential", args=[certificate.code]))
        assert credential.status_code == 200 and credential.json()["credentialSubject"]["achievement"]["name"] == (
            "Family & Friends Facilitator"
        )

    def test_the_demo_programmes_speak_spanish(self, client, settings, seeded_once):
        """The programmes, their statements and labels and the code of conduct come with
        Spanish versions: /es/ pages and a Spanish reader's certificate name them in Spanish."""
        import io

        from pypdf import PdfReader
        from wagtail.users.models import UserProfile

        settings.MEDIA_ROOT = seeded_once
        facilitator_programme = Programme.objects.get(slug="meeting-facilitator")
        assert facilitator_programme.words("es").title == "Facilitador/a de reuniones"
        assert [a.statement_in("es") for a in facilitator_programme.attestations.all()] == ["Tengo 18 años o más."]
        assert "Juego de roles observado" in [i.label_in("es") for i in facilitator_programme.practical_items.all()]
        assert "Me comprometo a" in CodeOfConduct.objects.get(version=certification_demo.CODE_VERSION).words("es")[1]
        certificate = Certificate.objects.get(holder__email="learner@example.org")
        verify = client.get("/es" + reverse("certification:verify", args=[certificate.code])).content.decode()
        assert "Facilitador/a de Familia y Amigos" in verify
        assert client.login(email="learner@example.org", password="demo-learner-pass")
        assert "Facilitador/a de reuniones" in client.get("/es" + reverse("certification:mine")).content.decode()
        profile = UserProfile.get_for_user(certificate.holder)
        profile.preferred_language = "es"
        profile.save()
        pdf = client.get(reverse("certification:pdf", args=[certificate.code]))
        text = " ".join(PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages[0].extract_text().split())
        assert "Facilitador/a de Familia y Amigos" in text

    def test_the_answer_waiting_for_review_can_be_seen_from_its_learners_side(self, client):
        """Amara Osei signs in with the printed password and sees her final assessment
        waiting for a reviewer."""
        staff = org_demo.WAITING_FOR_REVIEW
        assert client.login(email=staff.email, password=staff.password)
        attempt = QuizAttempt.objects.get(user__email=staff.email, status=QuizAttempt.Status.NEEDS_REVIEW)
        assert "See result" in client.get(attempt.quiz.url).content.decode()
        result = client.get(reverse("courses:attempt_result", args=[attempt.pk])).content.decode()
        assert "Waiting for a reviewer" in result
        # The other staff have no password: they are there to be seen by their manager.
        for other in org_demo.STAFF[:-1]:
            assert not User.objects.get(email=other.email).has_usable_password()

    def test_the_paid_course_can_be_shown_without_stripe(self, client, settings):
        """The facilitator course has a fee; staff have codes, a scholarship batch and an
        application to decide; the waiver code the output prints enrols as a zero-amount order."""
        settings.STRIPE_SECRET_KEY = ""
        fac = course(FACILITATOR_SLUG)
        assert (fac.price_amount, fac.price_currency) == (Decimal("40.00"), "USD")
        assert course(FAMILY_SLUG).is_free
        waiver = DiscountCode.objects.get(code=payments_demo.WAIVER)
        assert (waiver.value, waiver.max_uses, list(waiver.courses.all())) == (100, None, [fac])
        batch = DiscountCode.objects.filter(batch_label=payments_demo.BATCH)
        assert batch.count() == 5 and all(c.max_uses == 1 and c.is_scholarship for c in batch)
        application = ScholarshipApplication.objects.get()
        assert application.status == ScholarshipApplication.Status.OPEN and application.course == fac
        assert (application.fee, application.can_pay) == (Decimal("40.00"), Decimal("10.00"))

        output = seed_demo()
        assert "Meeting Facilitator Training (fee $40.00)" in output
        assert f"no Stripe keys are set, so no card payment; enrol in a paid course with the fee-waiver code {waiver.code}" in output
        assert DiscountCode.objects.count() == 7 and ScholarshipApplication.objects.count() == 1

        # The demo learner has a place (the CE certificate's): someone new takes the code.
        learner = UserFactory()
        client.force_login(learner)
        page = client.get(fac.url).content.decode()
        assert "$40.00" in page and "Pay and enrol" in page
        response = client.post(reverse("payments:checkout", args=[fac.id]), {"donation": "0", "discount_code": "fee-waiver"})
        assert response.status_code in (302, 303)
        assert response.url == build_outline(fac, course_url=fac.url).items[0].url  # straight to the first lesson
        order = Order.objects.get(user=learner)
        assert (order.status, order.total_amount, order.discount_code_text) == (Order.Status.PAID, 0, "FEE-WAIVER")
        assert Enrollment.objects.filter(user=learner, course=fac, status=Enrollment.Status.ACTIVE).exists()

    def test_no_placeholder_text(self):
        texts = []
        for page in Page.objects.all().specific():
            for field in ("title", "summary", "audience", "description", "intro"):
                texts.append(str(getattr(page, field, "") or ""))
            for field in ("body", "learning_outcomes", "questions"):
                if hasattr(page, field):
                    texts.append(str(list(getattr(page, field).raw_data)))
        for bank in QuestionBank.objects.all():
            texts += [bank.title, bank.description, str(list(bank.questions.raw_data))]
        text = " ".join(texts).lower()
        assert "lorem" not in text and "ipsum" not in text
        assert not re.search(r"https?://", text)  # nothing loads from, or points to, the internet


@pytest.mark.django_db
def test_large_course_has_exactly_n_lessons_and_is_idempotent(client):
    seed_demo(large_course=23)
    bench = course("benchmark-course")
    lessons = LessonPage.objects.descendant_of(bench).live()
    assert lessons.count() == 23
    assert [m.get_children().count() for m in ModulePage.objects.child_of(bench)] == [10, 10, 3]
    before = snapshot()
    seed_demo(large_course=23)
    assert snapshot() == before
    seed_demo(large_course=12)
    assert LessonPage.objects.descendant_of(bench).count() == 12
    assert ModulePage.objects.child_of(bench).count() == 2
    assert Page.find_problems() == ([], [], [], [], [])
    learner = User.objects.get(email="learner@example.org")
    services.enrollment_create(user=learner, course=bench)
    client.force_login(learner)
    lesson = LessonPage.objects.get(slug="lesson-11")
    assert lesson.url == "/courses/benchmark-course/module-2/lesson-11/"
    assert client.get(lesson.url).status_code == 200


@pytest.mark.django_db
def test_refuses_production_settings_and_bad_sizes(settings):
    with pytest.raises(CommandError):
        seed_demo(large_course=0)
    settings.SETTINGS_MODULE = "lms.settings.production"
    with pytest.raises(CommandError):
        seed_demo()
    assert not User.objects.filter(email="admin@example.org").exists()
