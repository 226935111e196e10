"""Where a learner stands in the programmes a course counts towards, worded as steps.

Registered with ``courses.next_steps`` when the app is ready (courses never imports
certification): the course page, the message after the last lesson, the quiz result
page and the completion email all show this one answer. It follows the issuing rules
(``services.programmes_evaluate``): a first certificate once every requirement of
``programme_progress`` is met; a renewal once the renewal courses are completed within
the renewal window.

Cost: one query for the programmes, one for the learner's certificates in them, and
``programme_progress`` (or ``renewal_progress``) for each programme without a current
certificate.
"""
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from courses.models import CoursePage
from courses.next_steps import ProgrammeSteps, Step
from kernel.when import day_text

from .models import Certificate, Programme
from .selectors import ProgrammeProgress, Requirement, programme_progress, renewal_progress


def programme_steps(*, user: User, course: CoursePage, now: datetime | None = None) -> list[ProgrammeSteps]:
    """Each active programme that ``course`` counts towards (for a first certificate, or
    for renewing one the learner holds), with what is left besides this course."""
    now = now or timezone.now()
    programmes = list(
        Programme.objects.filter(active=True)
        .annotate(
            first=Exists(Programme.courses.through.objects.filter(programme_id=OuterRef("pk"), coursepage_id=course.pk)),
            renews=Exists(
                Programme.renewal_courses.through.objects.filter(programme_id=OuterRef("pk"), coursepage_id=course.pk)
            ),
        )
        .filter(Q(first=True) | Q(renews=True))
        .with_words()
        .prefetch_related("practical_items", "attestations")
        .order_by("title")
    )
    if not programmes:
        return []
    latest: dict[int, Certificate] = {}
    for certificate in Certificate.objects.filter(holder=user, programme__in=programmes).order_by("programme_id", "period"):
        latest[certificate.programme_id] = certificate
    found = []
    for programme in programmes:
        standing = _standing(user, course, programme, latest.get(programme.pk), now)
        if standing is not None:
            found.append(standing)
    return found


def _standing(
    user: User, course: CoursePage, programme: Programme, certificate: Certificate | None, now: datetime
) -> ProgrammeSteps | None:
    url = f"{reverse('certification:mine')}#programme-{programme.pk}"
    standing = ProgrammeSteps(title=programme.words().title, status=ProgrammeSteps.TO_DO, url=url)
    if certificate is None:
        if not programme.first:
            return None  # a renewal course, and nothing to renew
        return _from_progress(standing, programme_progress(user=user, programme=programme, now=now), course)
    if certificate.revoked_at is not None:
        standing.status = ProgrammeSteps.ENDED
        standing.note = _("It was revoked on %(date)s.") % {"date": _day(certificate.revoked_at)}
        standing.steps = [_contact_step()]
        return standing
    window_opens = (
        certificate.expires_at - timedelta(days=programme.renewal_window_days) if certificate.expires_at else None
    )
    if programme.renews and window_opens is not None and now >= window_opens:
        progress = renewal_progress(user=user, programme=programme, certificate=certificate, now=now)
        if progress is not None:
            return _from_progress(standing, progress, course)
    if certificate.status(now) == "valid":
        standing.status = ProgrammeSteps.HELD
        standing.note = (
            _("Valid until %(date)s.") % {"date": _day(certificate.expires_at)}
            if certificate.expires_at else _("It does not expire.")
        )
        return standing
    standing.status = ProgrammeSteps.ENDED
    standing.note = _("It expired on %(date)s.") % {"date": _day(certificate.expires_at)}
    standing.steps = [_contact_step()]
    return standing


def _from_progress(standing: ProgrammeSteps, progress: ProgrammeProgress, course: CoursePage) -> ProgrammeSteps:
    """The unmet requirements as steps, leaving out this course (its own steps say what
    is left in it)."""
    this_course = [r for r in progress.requirements if r.kind in ("course", "renewal") and r.ref == course.pk]
    standing.steps = [
        _step(r, standing.url) for r in progress.requirements if not r.done and r not in this_course
    ]
    if progress.met:
        standing.status = ProgrammeSteps.ISSUING
    elif not standing.steps:
        standing.status = ProgrammeSteps.AFTER_COURSE
    return standing


def _step(requirement: Requirement, programme_url: str) -> Step:
    if requirement.kind == "conduct":
        return Step(
            kind="conduct", action=requirement.label,
            detail=_("Read it and accept it on My certificates."), url=programme_url,
        )
    if requirement.kind == "attestation":
        return Step(
            kind="attestation", action=_("Confirm: “%(statement)s”") % {"statement": requirement.label},
            detail=_("If this is true for you, confirm it on My certificates."), url=programme_url,
        )
    if requirement.kind == "practical":
        return Step(
            kind="practical", action=requirement.label,
            detail=_(
                "%(done)s. The training team signs this off after your practical sessions; there is nothing to do "
                "here. If you have done them and it is not shown, write to %(email)s."
            ) % {"done": requirement.detail, "email": settings.CONTACT_EMAIL},
        )
    return Step(kind="course", action=requirement.label, detail=f"{requirement.detail}.", url=requirement.url)


def _contact_step() -> Step:
    return Step(
        kind="contact", action=_("Write to the training team"),
        detail=_("They can tell you how to hold this certificate again."), url=f"mailto:{settings.CONTACT_EMAIL}",
    )


def _day(moment: datetime) -> str:
    return day_text(moment)
