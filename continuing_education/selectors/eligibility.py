"""Where a learner stands for CE in a course, under each of its approvals: every rule met
or not in plain words, the hours credited now and when the rest will be.

The rules themselves are ``credit.py``'s; this module gathers its input. Cost, whatever
the number of courses, approvals and study hours: 9 queries for a learner (approvals,
enrolments, study hours, required quizzes, their attempts, evaluations, the licence, CE
certificates, evaluation pages), none when the courses have no approval.

Words are made when they are read (``Rule.text``), so an email or page shows them in its
reader's language and time zone.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from functools import reduce
from operator import or_
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from accounts.models import User
from courses.models import CoursePage, Enrollment, QuizAttempt, QuizPage, StudyHour
from kernel.when import day_text, when_text

from .. import credit as rules
from ..models import Approval, CECertificate, CourseApproval, EvaluationPage, EvaluationSubmission, ProfessionalLicence

COMPLETED, SCORE, EVALUATION, LICENCE, APPROVAL = "completed", "score", "evaluation", "licence", "approval"

# An approval's standing for the learner.
ISSUED = "issued"  # a CE certificate (see ``certificate`` for revoked)
READY = "ready"  # every rule met: the certificate is being issued
WAITING = "waiting"  # only the daily cap is left: the rest is credited at ``rest_at``
UNMET = "unmet"  # a rule is not met (``unmet_rules``)
LAPSED = "lapsed"  # the approval is not current on the completion date: nothing is issued


def duration_text(seconds: int) -> str:
    """"3 h 20 min" (rounded down to the minute)."""
    hours, minutes = divmod(max(seconds, 0) // 60, 60)
    if hours and minutes:
        return gettext("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    if hours:
        return gettext("%(hours)s h") % {"hours": hours}
    return gettext("%(minutes)s min") % {"minutes": minutes}


def licence_url() -> str:
    # The licence form is its own part of the app; until it is there, its address.
    try:
        return reverse("continuing_education:licence")
    except NoReverseMatch:
        return "/continuing-education/licence/"


@dataclass
class Rule:
    """One rule of an approval and whether the learner meets it; ``text`` says it."""

    name: str
    met: bool
    params: dict = field(default_factory=dict)
    url: str = ""

    @property
    def text(self) -> str:
        p = self.params
        if self.name == COMPLETED:
            return gettext("You have completed the course.") if self.met else gettext(
                "Complete the course: every required lesson and quiz."
            )
        if self.name == rules.TIME:
            if self.met:
                return gettext("Time on task: %(spent)s of the %(required)s required.") % {
                    "spent": duration_text(p["studied"]), "required": duration_text(p["required"]),
                }
            return gettext(
                "Spend at least %(required)s on the course's lessons and quizzes: you have spent %(spent)s so far."
            ) % {"spent": duration_text(p["studied"]), "required": duration_text(p["required"])}
        if self.name == SCORE:
            if self.met:
                return gettext("Every required quiz passed with at least %(percent)s%%.") % p
            if p.get("short"):  # passed below the CE score: a passed quiz is not taken again
                quizzes = ", ".join(
                    gettext("“%(quiz)s” (%(score)s%%)") % {"quiz": title, "score": score} for title, score in p["short"]
                )
                return ngettext(
                    "You passed the quiz %(quizzes)s with less than the %(percent)s%% these CE hours need. A quiz "
                    "cannot be taken again once passed, so these hours cannot be earned unless the training team "
                    "finds a mistake in its marking.",
                    "You passed the quizzes %(quizzes)s with less than the %(percent)s%% these CE hours need. A quiz "
                    "cannot be taken again once passed, so these hours cannot be earned unless the training team "
                    "finds a mistake in their marking.",
                    len(p["short"]),
                ) % {"quizzes": quizzes, "percent": p["percent"]}
            if p.get("lowest_mark") is not None:
                return gettext(
                    "Pass every required quiz with a score of at least %(percent)s%%. That is more than a quiz needs "
                    "to pass (from %(mark)s%%), and a quiz cannot be taken again once passed: a pass below "
                    "%(percent)s%% earns no CE hours."
                ) % {"percent": p["percent"], "mark": p["lowest_mark"]}
            return gettext("Pass every required quiz with a score of at least %(percent)s%%.") % p
        if self.name == EVALUATION:
            return gettext("Course evaluation submitted.") if self.met else gettext("Submit the course evaluation.")
        if self.name == LICENCE:
            return gettext("Your professional licence is recorded.") if self.met else gettext(
                "Record your professional licence (profession, issuing board, licence number): the CE certificate needs it."
            )
        if self.name == rules.CAP:
            if self.met:
                return gettext("All %(hours)s hours credited.") % {"hours": p["hours"]}
            if p.get("rest_at"):
                return ngettext(
                    "%(body)s credits at most %(cap)s hour of online study per 24 hours: %(credited)s of "
                    "%(hours)s hours are credited so far, and the rest will be credited on %(when)s.",
                    "%(body)s credits at most %(cap)s hours of online study per 24 hours: %(credited)s of "
                    "%(hours)s hours are credited so far, and the rest will be credited on %(when)s.",
                    p["cap_count"],
                ) % {**p, "when": when_text(p["rest_at"])}
            return gettext("%(credited)s of %(hours)s hours credited so far.") % p
        # APPROVAL
        if self.met:
            return gettext("The %(body)s approval is current.") % p
        if p.get("ended"):
            return gettext(
                "The %(body)s approval ended on %(date)s, before your completion: no CE certificate can be issued under it."
            ) % {"body": p["body"], "date": day_text(p["ended"])}
        return gettext(
            "The %(body)s approval starts on %(date)s: CE hours are credited for completions from that day."
        ) % {"body": p["body"], "date": day_text(p["starts"])}


@dataclass
class ApprovalStanding:
    course_approval: CourseApproval
    status: str
    credit: rules.Credit
    rules: list[Rule]
    certificate: CECertificate | None = None

    @property
    def approval(self) -> Approval:
        return self.course_approval.approval

    @property
    def hours(self) -> Decimal:
        return self.course_approval.hours

    @property
    def credited_now(self) -> Decimal:
        return self.credit.credited_now

    @property
    def rest_at(self) -> datetime | None:
        """When the rest of the hours will be credited (WAITING only)."""
        return self.credit.all_credited_at if self.status == WAITING else None

    @property
    def completed_at(self) -> datetime | None:
        return self.credit.completed_at

    @property
    def unmet_rules(self) -> list[Rule]:
        return [rule for rule in self.rules if not rule.met]

    @property
    def state_key(self) -> str:
        """What the learner was told about, for "never the same email twice"."""
        names = ",".join(rule.name for rule in self.unmet_rules)
        rest = f"@{int(self.rest_at.timestamp())}" if self.rest_at else ""
        return f"{self.course_approval.approval_id}:{self.status}:{names}{rest}"


@dataclass
class CourseStanding:
    course: CoursePage
    enrollment: Enrollment | None
    approvals: list[ApprovalStanding]

    @property
    def completed(self) -> bool:
        return self.enrollment is not None and self.enrollment.status == Enrollment.Status.COMPLETED

    @property
    def time_spent_seconds(self) -> int:
        return self.enrollment.time_spent_seconds if self.enrollment else 0

    @property
    def time_spent_text(self) -> str:
        return duration_text(self.time_spent_seconds)


def _provider_day(moment: datetime) -> date:
    # Approval periods are the provider's dates, read in the site's zone.
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def _score_met_at(quizzes: list[int], attempts: dict[int, list[tuple]], percent: int) -> datetime | bool | None:
    """When every required quiz was first passed with at least ``percent`` (exactly:
    awarded × 100 ≥ percent × possible); True when there is none to pass."""
    if not quizzes:
        return True
    moments = []
    for quiz_id in quizzes:
        passing = [
            graded_at for awarded, possible, graded_at, _passed in attempts.get(quiz_id, [])
            if possible and Fraction(awarded) * 100 >= Fraction(percent) * Fraction(possible)
        ]
        if not passing:
            return None
        moments.append(min(passing))
    return max(moments)


def _score_rule(quizzes: list[int], quiz_words: dict[int, tuple[str, int]], attempts: dict, percent: int, met: bool) -> Rule:
    """The passing score, with what the learner must know of it: a quiz that passes below
    it (say so before the quiz), or one passed below it (it cannot be taken again)."""
    lowest = min(quiz_words[q][1] for q in quizzes)
    short = []
    for quiz_id in quizzes:
        graded = attempts.get(quiz_id, [])
        if not met and any(passed for *_, passed in graded):
            best = max(Fraction(awarded) * 100 / Fraction(possible) for awarded, possible, *_ in graded)
            if best < percent:
                short.append((quiz_words[quiz_id][0], int(best)))  # rounded down: never shown as enough
    return Rule(SCORE, met, {"percent": percent, "lowest_mark": lowest if lowest < percent else None, "short": short})


def _approval_rule(course_approval: CourseApproval, credit: rules.Credit, now: datetime) -> Rule:
    approval = course_approval.approval
    body = approval.body.display_name
    day = _provider_day(credit.completed_at or now)
    if credit.completed_at is not None:
        current = approval.is_current_on(day)
    else:  # not complete yet: lost only once the approval has ended
        current = day <= approval.approved_until
    params = {"body": body}
    if not current:
        params.update(
            ended=None if day < approval.approved_from else _end_moment(approval.approved_until),
            starts=_end_moment(approval.approved_from),
        )
    return Rule(APPROVAL, current, params)


def _end_moment(day: date) -> datetime:
    # A day shown with day_text: noon in the provider's zone is that day in any zone near it.
    return datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _standing(
    course_approval: CourseApproval, *, enrollment: Enrollment | None, study: dict, quizzes: list[int],
    quiz_words: dict[int, tuple[str, int]], attempts: dict, evaluated_at: datetime | None, licensed: bool,
    certificate: CECertificate | None, evaluation_url: str, now: datetime,
) -> ApprovalStanding:
    approval = course_approval.approval
    completed_at = enrollment.completed_at if enrollment and enrollment.status == Enrollment.Status.COMPLETED else None
    other = {
        COMPLETED: completed_at,
        SCORE: _score_met_at(quizzes, attempts, approval.passing_score_percent),
        EVALUATION: evaluated_at if approval.requires_evaluation else True,
        # The licence lets the certificate be issued; it does not date the learning.
        LICENCE: licensed,
    }
    result = rules.credit(
        hours=course_approval.hours, ce_hours_per_hour=approval.ce_hours_per_hour,
        daily_cap_hours=approval.daily_cap_hours, time_on_task_percent=approval.time_on_task_percent,
        study=study, rules=other, now=now,
    )
    unmet = set(result.unmet)
    hours_text = f"{course_approval.hours.normalize():f}"
    rule_list = [Rule(COMPLETED, COMPLETED not in unmet)]
    rule_list.append(Rule(rules.TIME, rules.TIME not in unmet, {"studied": result.studied_seconds, "required": result.required_seconds}))
    if quizzes:
        rule_list.append(_score_rule(quizzes, quiz_words, attempts, approval.passing_score_percent, SCORE not in unmet))
    if approval.requires_evaluation:
        rule_list.append(Rule(EVALUATION, EVALUATION not in unmet, url="" if evaluated_at else evaluation_url))
    rule_list.append(Rule(LICENCE, licensed, url="" if licensed else licence_url()))
    waiting = result.unmet == (rules.CAP,)
    rule_list.append(Rule(rules.CAP, rules.CAP not in unmet, {
        "body": approval.body.display_name, "cap": f"{approval.daily_cap_hours.normalize():f}",
        "cap_count": 1 if approval.daily_cap_hours == 1 else 2,
        "credited": f"{result.credited_now.normalize():f}", "hours": hours_text,
        "rest_at": result.all_credited_at if waiting else None,
    }))
    approval_rule = _approval_rule(course_approval, result, now)
    rule_list.append(approval_rule)

    if certificate is not None:
        status = ISSUED
    elif not approval_rule.met:
        status = LAPSED
    elif not result.unmet:
        status = READY
    elif waiting:
        status = WAITING
    else:
        status = UNMET
    return ApprovalStanding(course_approval, status, result, rule_list, certificate)


def ce_standings(*, user: User, courses: list[CoursePage] | None = None, now: datetime | None = None) -> list[CourseStanding]:
    """The learner's CE standing in each course (source pages) that has approvals: the
    given ``courses``, or every course they are enrolled in."""
    now = now or timezone.now()
    approvals = CourseApproval.objects.select_related("approval__body", "course").order_by("course_id", "sort_order", "pk")
    if courses is not None:
        approvals = approvals.filter(course__in=[c.pk for c in courses])
    else:
        approvals = approvals.filter(course__enrollments__user=user)
    by_course: dict[int, list[CourseApproval]] = defaultdict(list)
    pages: dict[int, CoursePage] = {}
    for course_approval in approvals:
        by_course[course_approval.course_id].append(course_approval)
        pages[course_approval.course_id] = course_approval.course
    if not by_course:
        return []
    ids = list(by_course)
    enrollments = {e.course_id: e for e in Enrollment.objects.filter(user=user, course_id__in=ids)}
    study: dict[int, dict] = defaultdict(dict)
    for enrollment_id, hour, seconds in StudyHour.objects.filter(enrollment__in=list(enrollments.values())).values_list(
        "enrollment_id", "hour", "seconds"
    ):
        study[enrollment_id][hour] = seconds
    quizzes: dict[int, list[int]] = defaultdict(list)
    quiz_words: dict[int, tuple[str, int]] = {}  # title and pass mark
    paths = {pages[i].path: i for i in ids}
    found = QuizPage.objects.live().filter(required=True).filter(reduce(or_, [Q(path__startswith=p) for p in paths]))
    for quiz_id, path, title, pass_mark in found.order_by("path").values_list("pk", "path", "title", "pass_mark"):
        quizzes[next(i for p, i in paths.items() if path.startswith(p))].append(quiz_id)
        quiz_words[quiz_id] = (title, pass_mark)
    attempts: dict[int, list[tuple]] = defaultdict(list)
    all_quizzes = [q for qs in quizzes.values() for q in qs]
    if all_quizzes:
        for quiz_id, awarded, possible, graded_at, passed in QuizAttempt.objects.filter(
            user=user, quiz_id__in=all_quizzes, status=QuizAttempt.Status.GRADED, score_possible__gt=0,
        ).values_list("quiz_id", "score_awarded", "score_possible", "graded_at", "passed"):
            attempts[quiz_id].append((awarded, possible, graded_at, passed))
    evaluated = dict(
        EvaluationSubmission.objects.filter(user=user, course_id__in=ids).values_list("course_id", "submitted_at")
    )
    licensed = ProfessionalLicence.objects.filter(user=user).exists()
    certificates = {
        (c.course_id, c.approval_id): c for c in CECertificate.objects.filter(holder=user, course_id__in=ids)
    }
    evaluation_pages = {}
    for page in EvaluationPage.objects.live().filter(reduce(or_, [Q(path__startswith=p) for p in paths])):
        evaluation_pages.setdefault(next(i for p, i in paths.items() if page.path.startswith(p)), page.url or "")

    standings = []
    for course_id in ids:
        enrollment = enrollments.get(course_id)
        standings.append(CourseStanding(pages[course_id], enrollment, [
            _standing(
                course_approval, enrollment=enrollment, study=study.get(enrollment.pk, {}) if enrollment else {},
                quizzes=quizzes.get(course_id, []), quiz_words=quiz_words, attempts=attempts,
                evaluated_at=evaluated.get(course_id),
                licensed=licensed, certificate=certificates.get((course_id, course_approval.approval_id)),
                evaluation_url=evaluation_pages.get(course_id, ""), now=now,
            )
            for course_approval in by_course[course_id]
        ]))
    return standings


def ce_standing(*, user: User, course: CoursePage, now: datetime | None = None) -> CourseStanding | None:
    """``ce_standings`` for one course (its source page); None when it has no approval."""
    found = ce_standings(user=user, courses=[course], now=now)
    return found[0] if found else None
