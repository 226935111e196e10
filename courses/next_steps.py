"""What still stands between a learner and the certificate once a course's lessons are done.

One answer (``completion_steps``) for every place that says it: the course page, the
message after the last lesson, the quiz result page and the completion email. It has
two parts:

- **the course's own**: required quizzes not passed yet (with a reviewer since a date,
  being marked, to try again, to wait for, out of attempts, not taken) and any required
  lesson still open;
- **each certification programme the course counts towards**: what it still asks (the
  code of conduct, yes/no statements, the practical sign-off by the training team, other
  courses), or that the certificate is being prepared, or held.

Programmes are certification's business, and certification depends on courses, so
courses never imports it: certification registers the lookup when its app is ready
(``register_programme_lookup``), as organisations registers who is a partner
(``courses.restrictions``). Until something is registered a course counts towards no
programme.

Other apps may ask something more of the learner once the lessons are done (continuing
education: the course evaluation). They register a lookup too (``register_step_lookup``);
its steps are ``other_steps``, said after the course's own and never the main button's.

Cost: nothing for a learner with lessons still to do (callers ask only once
``CourseState.lessons_finished``); then one query for the attempts when a required quiz is
not passed (two with its rules), and what the registered lookup costs (a few queries per
programme the course belongs to).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.when import day_text, time_text

from .assessment.selectors import check_may_start
from .errors import AttemptRefused
from .models import QuizAttempt, QuizPage
from .outline import OutlineItem
from .selectors import CourseState

AttemptStatus = QuizAttempt.Status


@dataclass
class Step:
    """One thing left to do (or to wait for), in plain words."""

    # The course's: "lesson", "quiz", "continue", "marking", "review", "retake", "wait", "no_attempts_left";
    # a programme's: "course", "conduct", "attestation", "practical", "contact"; a main button: "certificate",
    # "outline".
    kind: str
    action: str  # what it is, in a few words: a link's text when there is ``url``
    detail: str = ""
    url: str = ""  # a path on this site ("" when there is nothing for the learner to click)

    @property
    def absolute_url(self) -> str:
        """For emails: the one setting that says where the site is (never a host in code)."""
        if self.url.startswith("/"):
            return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + self.url
        return self.url  # already absolute (a page on another site), or mailto:


@dataclass
class ProgrammeSteps:
    """A programme the course counts towards, and where the learner stands in it."""

    TO_DO = "to_do"  # requirements besides this course are left (``steps``)
    AFTER_COURSE = "after_course"  # only this course is left: the certificate follows it
    ISSUING = "issuing"  # every requirement met: the certificate is being prepared
    HELD = "held"  # a current certificate
    ENDED = "ended"  # revoked, or expired with no renewal through this course

    title: str
    status: str
    steps: list[Step] = field(default_factory=list)
    url: str = ""  # the programme on "My certificates"
    note: str = ""  # for HELD and ENDED: since or until when

    @property
    def heading(self) -> str:
        if self.status == self.TO_DO:
            return _("Still to do for your %(programme)s certificate:") % {"programme": self.title}
        if self.status == self.AFTER_COURSE:
            return _("Your %(programme)s certificate follows once you complete this course.") % {"programme": self.title}
        if self.status == self.ISSUING:
            return _("Your %(programme)s certificate is being prepared. We will email you when it is ready.") % {
                "programme": self.title
            }
        if self.status == self.HELD:
            return _("You hold the %(programme)s certificate.") % {"programme": self.title}
        return _("Your %(programme)s certificate is no longer valid.") % {"programme": self.title}

    @property
    def absolute_url(self) -> str:
        return Step(kind="", action="", url=self.url).absolute_url


# Course steps the learner can act on (the others wait for the marking or a reviewer).
ACTIONABLE = frozenset({"lesson", "quiz", "continue", "retake", "wait"})

ProgrammeLookup = Callable[..., list[ProgrammeSteps]]
_lookup: ProgrammeLookup | None = None
StepLookup = Callable[..., list[Step]]
_step_lookups: list[StepLookup] = []


def register_programme_lookup(lookup: ProgrammeLookup | None) -> None:
    """``lookup(*, user, course, now) -> list[ProgrammeSteps]``: the programmes ``course``
    counts towards and where ``user`` stands in each. ``None``: no programmes."""
    global _lookup
    _lookup = lookup


def register_step_lookup(lookup: StepLookup) -> None:
    """``lookup(*, user, course, now) -> list[Step]``: what else ``course`` (a source page)
    asks of ``user`` once its lessons are done, besides completing it."""
    if lookup not in _step_lookups:
        _step_lookups.append(lookup)


def unregister_step_lookup(lookup: StepLookup) -> None:
    if lookup in _step_lookups:
        _step_lookups.remove(lookup)


@dataclass
class CompletionSteps:
    """Where a learner who has done a course's lessons stands, and what is left."""

    course_title: str
    course_url: str
    completed_at: datetime | None  # None: the course is not complete yet (``course_steps`` say why)
    course_steps: list[Step] = field(default_factory=list)
    programmes: list[ProgrammeSteps] = field(default_factory=list)
    other_steps: list[Step] = field(default_factory=list)  # asked by other apps (``register_step_lookup``)

    @property
    def completed(self) -> bool:
        return self.completed_at is not None

    @property
    def heading(self) -> str:
        if self.completed:
            return _("You completed %(course)s on %(date)s.") % {
                "course": self.course_title, "date": day_text(self.completed_at),
            }
        return _("You have finished the lessons of %(course)s. To complete the course:") % {"course": self.course_title}

    @property
    def main_action(self) -> Step:
        """The course page's main button: never back to the first lesson."""
        for step in self.course_steps:
            if step.url and step.kind in ACTIONABLE:
                return step
        choices = [(ProgrammeSteps.TO_DO, _("What is left for your certificate"))]
        if self.completed:
            choices += [
                (ProgrammeSteps.HELD, _("View your certificate")),
                (ProgrammeSteps.ISSUING, _("See your certificate's progress")),
            ]
        for status, action in choices:
            programme = next((p for p in self.programmes if p.status == status and p.url), None)
            if programme is not None:
                return Step(kind="certificate", action=action, url=programme.url)
        return Step(kind="outline", action=_("Review the course"), url=f"{self.course_url}#outline-heading")


def completion_steps(*, state: CourseState, now: datetime | None = None) -> CompletionSteps:
    """What is left for the learner of ``state`` (an enrolment whose required lessons are
    done: ``state.lessons_finished``) before the course is complete and the certificates
    of its programmes are theirs."""
    now = now or timezone.now()
    enrollment = state.enrollment
    completed_at = enrollment.completed_at if state.finished else None
    steps = CompletionSteps(
        course_title=state.outline.course_title or state.course.title, course_url=state.course_url,
        completed_at=completed_at,
    )
    if not state.finished:
        steps.course_steps = _course_steps(state, now)
    user = state.user if state.user is not None else enrollment.user  # the request's: no query
    if _lookup is not None:
        steps.programmes = _lookup(user=user, course=state.course, now=now)
    steps.other_steps = [step for lookup in _step_lookups for step in lookup(user=user, course=state.course, now=now)]
    return steps


def _course_steps(state: CourseState, now: datetime) -> list[Step]:
    left = [item for item in state.outline.items if item.id in state.required_ids - state.completed_ids]
    quiz_ids = [item.id for item in left if item.kind == "quiz"]
    attempts: dict[int, list[QuizAttempt]] = {quiz_id: [] for quiz_id in quiz_ids}
    rules: dict[int, QuizPage] = {}
    if quiz_ids:
        for attempt in (
            QuizAttempt.objects.filter(user_id=state.enrollment.user_id, quiz_id__in=quiz_ids)
            .only("quiz_id", "number", "status", "submitted_at", "passed", "percent", "pass_mark")
            .order_by("quiz_id", "number")
        ):
            attempts[attempt.quiz_id].append(attempt)
        if any(attempts.values()):  # the attempts allowed and the wait matter only after one
            rules = {q.pk: q for q in QuizPage.objects.filter(pk__in=quiz_ids).only("attempts_allowed", "wait_minutes")}
    steps = []
    for item in left:
        if item.kind == "lesson":
            steps.append(Step(kind="lesson", action=_("Complete “%(title)s”") % {"title": item.title}, url=item.url))
        else:
            steps.append(_quiz_step(item, attempts[item.id], rules.get(item.id), now))
    return steps


def _quiz_step(item: OutlineItem, attempts: list[QuizAttempt], quiz: QuizPage | None, now: datetime) -> Step:
    title = {"title": item.title}
    last = attempts[-1] if attempts else None
    if last is None:
        return Step(kind="quiz", action=_("Take “%(title)s”") % title, url=item.url)
    result_url = reverse("courses:attempt_result", args=[last.pk])
    if last.status == AttemptStatus.IN_PROGRESS:
        return Step(
            kind="continue", action=_("Finish your attempt at “%(title)s”") % title,
            detail=_("Your answers so far are saved."), url=reverse("courses:attempt", args=[last.pk]),
        )
    if last.status == AttemptStatus.NEEDS_REVIEW:
        return Step(
            kind="review",
            action=_("“%(title)s” is with a reviewer since %(date)s") % {**title, "date": day_text(last.submitted_at)},
            detail=_("A member of the training team reads written answers, usually within a few days. "
                     "We will email you when your result is ready."),
            url=result_url,
        )
    if last.status in (AttemptStatus.SUBMITTED, AttemptStatus.FAILED):
        return Step(
            kind="marking", action=_("“%(title)s” is being marked") % title,
            detail=_("Your answers are in; there is nothing you need to do."), url=result_url,
        )
    score = _("Your last score was %(score)s%%; the pass mark is %(pass_mark)s%%.") % {
        "score": f"{last.percent:.0f}" if last.percent is not None else "–", "pass_mark": last.pass_mark,
    }
    try:
        if quiz is not None:
            check_may_start(quiz, attempts, now)
    except AttemptRefused as refusal:
        if refusal.opens_at is not None:
            return Step(
                kind="wait", action=_("Try “%(title)s” again") % title,
                detail=score + " " + _("You can try again from %(time)s on %(date)s.") % {
                    "time": time_text(refusal.opens_at), "date": day_text(refusal.opens_at),
                },
                url=item.url,
            )
        return Step(
            kind="no_attempts_left", action=_("“%(title)s”: every attempt is used") % title,
            detail=score + " " + _("Please write to the training team at %(email)s if you would like another.") % {
                "email": settings.CONTACT_EMAIL,
            },
        )
    return Step(kind="retake", action=_("Try “%(title)s” again") % title, detail=score, url=item.url)

