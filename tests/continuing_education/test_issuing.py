"""Issuing CE certificates: every rule, the figures copied at issue, replayed tasks, the
emails (once per state), the triggers and the sweep that issues what the cap held back."""
from datetime import timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from continuing_education import selectors, services
from continuing_education.events import ce_certificate_changed, evaluation_submitted, licence_saved
from continuing_education.models import CECertificate, CECertificateEvent, CECheck, CourseApproval

from .conftest import complete_course, evaluate, give_licence, hour_start, make_approval, ready_learner, study

pytestmark = pytest.mark.django_db


def standing_of(learner, course, approval, now=None):
    found = selectors.ce_standing(user=learner, course=course, now=now)
    return next(a for a in found.approvals if a.approval.pk == approval.pk)


def unmet_names(standing):
    return [rule.name for rule in standing.unmet_rules]


def test_every_rule_met_issues_one_certificate_with_the_figures_copied(learner, course, approval, mailoutbox):
    ready_learner(learner, course)
    changed = []
    ce_certificate_changed.connect(lambda **kw: changed.append(kw), weak=False, dispatch_uid="test-changed")
    try:
        issued = services.ce_evaluate(user_id=learner.pk, course_id=course.pk)
    finally:
        ce_certificate_changed.disconnect(dispatch_uid="test-changed")
    assert len(issued) == 1
    certificate = CECertificate.objects.get()
    assert certificate.holder == learner and certificate.course_id == course.pk and certificate.approval == approval
    assert certificate.hours == Decimal("2.00")
    assert certificate.course_title == "Meeting Basics"
    assert certificate.body_name == "NAADAC body" and certificate.provider_number == "DEMO-123456"
    assert certificate.statement == approval.statement
    assert certificate.holder_name == "Zoë Ñúñez-O'Brien"
    assert (certificate.profession, certificate.licence_number, certificate.licence_region) == (
        "Addiction or substance use counsellor", "LCDC-II 12345", "Ohio")
    assert certificate.retain_until == timezone.localdate(certificate.issued_at) + relativedelta(years=5)
    assert certificate.time_on_task_seconds == 2 * 3600
    # Completed when the last rule was met: here the evaluation, just now.
    evaluation_at = learner.enrollments.get().completed_at
    assert certificate.completed_at >= evaluation_at
    assert [e.kind for e in certificate.events.all()] == [CECertificateEvent.Kind.ISSUED]
    assert changed == [{"signal": ce_certificate_changed, "sender": CECertificate, "certificate_id": certificate.pk,
                        "code": certificate.code, "kind": "issued"}]
    assert standing_of(learner, course, approval).status == selectors.ISSUED


def test_replayed_evaluations_and_emails_do_nothing_more(learner, course, approval, mailoutbox):
    ready_learner(learner, course)
    assert len(services.ce_evaluate(user_id=learner.pk, course_id=course.pk)) == 1
    assert services.ce_evaluate(user_id=learner.pk, course_id=course.pk) == []
    certificate = CECertificate.objects.get()
    assert certificate.events.count() == 1
    assert services.ce_certificate_notify_issued(certificate_id=certificate.pk) is True
    assert services.ce_certificate_notify_issued(certificate_id=certificate.pk) is False
    issued = [m for m in mailoutbox if m.subject == "Your CE certificate for Meeting Basics"]
    assert len(issued) == 1
    body = issued[0].body
    assert "2 CE hours approved by NAADAC body" in body and "/certificates/verify/" + certificate.code in body
    assert "/continuing-education/" in body


def test_time_on_task_short_issues_nothing_and_says_so_once(learner, course, approval, mailoutbox):
    study(learner, course, hour_start(timezone.now() - timedelta(days=2)), 1)
    give_licence(learner)
    evaluate(learner, course)
    complete_course(learner, course)
    for _ in range(3):  # replayed: one email for one state
        assert services.ce_evaluate(user_id=learner.pk, course_id=course.pk) == []
    standing = standing_of(learner, course, approval)
    assert standing.status == selectors.UNMET and unmet_names(standing) == ["time", "cap"]
    assert standing.credited_now == Decimal("1.00")
    told = [m for m in mailoutbox if "what is left" in m.subject]
    assert len(told) == 1
    assert "Spend at least 2 h on the course's lessons and quizzes: you have spent 1 h so far." in told[0].body
    assert not CECertificate.objects.exists()


def test_evaluation_missing_issues_nothing_until_submitted(learner, course, approval, mailoutbox, django_capture_on_commit_callbacks):
    study(learner, course, hour_start(timezone.now() - timedelta(days=2)), 2)
    give_licence(learner)
    complete_course(learner, course)
    assert services.ce_evaluate(user_id=learner.pk, course_id=course.pk) == []
    standing = standing_of(learner, course, approval)
    assert unmet_names(standing) == ["evaluation"]
    assert "Submit the course evaluation." in [m for m in mailoutbox if "what is left" in m.subject][0].body
    with django_capture_on_commit_callbacks(execute=True):
        evaluate(learner, course)
        evaluation_submitted.send(sender=None, user_id=learner.pk, course_id=course.pk)
    assert CECertificate.objects.filter(holder=learner).count() == 1


def test_an_approval_without_the_evaluation_rule_issues_without_one(learner, course):
    make_approval(course, body_name="NBCC", requires_evaluation=False)
    study(learner, course, hour_start(timezone.now() - timedelta(days=2)), 2)
    give_licence(learner)
    complete_course(learner, course)
    assert [c.body_name for c in services.ce_evaluate(user_id=learner.pk, course_id=course.pk)] == ["NBCC body"]


def test_licence_missing_issues_nothing_until_it_is_saved(learner, course, approval, mailoutbox, django_capture_on_commit_callbacks):
    study(learner, course, hour_start(timezone.now() - timedelta(days=2)), 2)
    evaluate(learner, course)
    complete_course(learner, course)
    assert services.ce_evaluate(user_id=learner.pk, course_id=course.pk) == []
    standing = standing_of(learner, course, approval)
    assert unmet_names(standing) == ["licence"]
    assert standing.unmet_rules[0].url == "/continuing-education/licence/"
    with django_capture_on_commit_callbacks(execute=True):
        give_licence(learner)
        licence_saved.send(sender=None, user_id=learner.pk)
    assert CECertificate.objects.filter(holder=learner).count() == 1


def test_an_expired_approval_issues_nothing(learner, course):
    today = timezone.localdate()
    lapsed = make_approval(course, approved_from=today - timedelta(days=400), approved_until=today - timedelta(days=10))
    ready_learner(learner, course)
    assert services.ce_evaluate(user_id=learner.pk, course_id=course.pk) == []
    standing = standing_of(learner, course, lapsed)
    assert standing.status == selectors.LAPSED and unmet_names(standing) == ["approval"]
    assert "approval ended on" in standing.unmet_rules[0].text
    assert not CECertificate.objects.exists()


def test_each_current_approval_issues_its_own_certificate(learner, course, approval):
    make_approval(course, hours="1.5", body_name="NBCC")
    ready_learner(learner, course)
    issued = services.ce_evaluate(user_id=learner.pk, course_id=course.pk)
    assert sorted((c.body_name, c.hours) for c in issued) == [("NAADAC body", Decimal("2.00")), ("NBCC body", Decimal("1.50"))]
    assert CECertificate.objects.count() == 2


def test_the_daily_cap_defers_the_certificate_and_the_sweep_issues_it_when_the_moment_comes(learner, course, mailoutbox):
    capped = make_approval(course, hours="10", daily_cap_hours=Decimal("8"))
    first = hour_start(timezone.now() - timedelta(hours=12))
    study(learner, course, first, 10)
    give_licence(learner)
    evaluate(learner, course)
    complete_course(learner, course)
    now = timezone.now()
    assert services.ce_evaluate(user_id=learner.pk, course_id=course.pk, now=now) == []
    standing = standing_of(learner, course, capped, now=now)
    rest_at = first + timedelta(hours=24)
    assert standing.status == selectors.WAITING and standing.rest_at == rest_at
    assert standing.credited_now == Decimal("8.00")
    told = [m for m in mailoutbox if "what is left" in m.subject]
    assert len(told) == 1 and "8 of 10 hours are credited so far, and the rest will be credited on" in told[0].body
    assert CECheck.objects.get(user=learner).due_at == rest_at

    # Before the moment the sweep leaves it; at the moment it issues it.
    assert services.ce_sweep(now=rest_at - timedelta(minutes=1))["evaluate"] == 0
    services.ce_evaluate(user_id=learner.pk, course_id=course.pk, now=rest_at - timedelta(minutes=1))
    assert not CECertificate.objects.exists()
    assert services.ce_sweep(now=rest_at)["evaluate"] == 1
    issued = services.ce_evaluate(user_id=learner.pk, course_id=course.pk, now=rest_at)
    assert [c.completed_at for c in issued] == [rest_at]
    assert CECheck.objects.get(user=learner).due_at is None
    assert len([m for m in mailoutbox if "what is left" in m.subject]) == 1  # not told again


def test_editing_hours_or_the_approval_after_issue_changes_no_certificate(learner, course, approval):
    ready_learner(learner, course)
    services.ce_evaluate(user_id=learner.pk, course_id=course.pk)
    CourseApproval.objects.filter(approval=approval).update(hours=Decimal("1.25"))
    approval.statement = "A new statement"
    approval.provider_number = "NEW-1"
    approval.save()
    course.title = "Meeting Basics, second edition"
    course.save_revision().publish()
    services.ce_evaluate(user_id=learner.pk, course_id=course.pk)
    certificate = CECertificate.objects.get()
    assert (certificate.hours, certificate.provider_number, certificate.course_title) == (
        Decimal("2.00"), "DEMO-123456", "Meeting Basics")
    assert certificate.statement.startswith("Approved by NAADAC")
    document = services.ce_credential_issue(certificate=certificate)
    assert document["credentialSubject"]["achievement"]["creditsAvailable"] == 2
    assert document["credentialSubject"]["creditsEarned"] == 2


def test_a_withdrawn_or_inactive_learner_gets_nothing(learner, course, approval):
    ready_learner(learner, course)
    learner.is_active = False
    learner.save()
    assert services.ce_evaluate(user_id=learner.pk, course_id=course.pk) == []
    assert services.ce_evaluate(user_id=learner.pk, course_id=999_999) == []


# --- triggers -----------------------------------------------------------------------------


def test_completing_the_course_triggers_the_evaluation_on_commit(learner, course, approval, django_capture_on_commit_callbacks):
    study(learner, course, hour_start(timezone.now() - timedelta(days=2)), 2)
    give_licence(learner)
    evaluate(learner, course)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, course)
    assert CECertificate.objects.filter(holder=learner).count() == 1


def test_a_course_without_approvals_asks_for_nothing(learner, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        complete_course(learner, course)
    assert not CECheck.objects.exists()
    assert not any("continuing_education" in repr(c) for c in callbacks)


def test_a_lost_message_is_found_by_the_sweep(learner, course, approval, django_capture_on_commit_callbacks):
    ready_learner(learner, course)  # completed outside on-commit capture: the message was "lost"
    services.ce_request(user_id=learner.pk, course_id=course.pk)
    check = CECheck.objects.get()
    assert not CECertificate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.ce_sweep(now=check.due_at)
    assert counts["evaluate"] == 1
    assert CECertificate.objects.count() == 1
    assert CECheck.objects.get().due_at is None


def test_the_sweep_renders_and_emails_what_was_left_undone(learner, course, approval, mailoutbox, django_capture_on_commit_callbacks):
    ready_learner(learner, course)
    services.ce_evaluate(user_id=learner.pk, course_id=course.pk)  # its render and email were "lost"
    certificate = CECertificate.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.ce_sweep(now=certificate.issued_at + timedelta(minutes=11))
    assert counts == {"evaluate": 0, "render": 1, "email": 1}
    certificate.refresh_from_db()
    assert certificate.pdf and certificate.pdf_revision == 1 and certificate.issued_notified_at
    assert [m.subject for m in mailoutbox].count("Your CE certificate for Meeting Basics") == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.ce_sweep(now=certificate.issued_at + timedelta(minutes=30)) == {"evaluate": 0, "render": 0, "email": 0}
