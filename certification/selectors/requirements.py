"""What a programme asks of a learner, and how much of it they have done.

Read-only and in a fixed number of queries per programme, so the "My certificates" page
and the issuing task share one answer to "is this programme met?".
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import get_language, gettext

from accounts.models import User
from courses.languages import page_alternate_urls, title_in_active_language
from courses.models import CoursePage, Enrollment

from ..models import AttestationAnswer, Certificate, CodeOfConduct, ConductAcceptance, PracticalSignoff, Programme


@dataclass
class Requirement:
    label: str
    done: bool
    detail: str = ""
    kind: str = ""  # "course", "practical", "conduct", "attestation", "renewal"
    url: str = ""
    ref: int | None = None  # the attestation's id, for its form; the course's id


@dataclass
class ProgrammeProgress:
    programme: Programme
    requirements: list[Requirement] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return bool(self.requirements) and all(r.done for r in self.requirements)

    @property
    def done_count(self) -> int:
        return sum(1 for r in self.requirements if r.done)


def current_code_of_conduct(now: datetime | None = None) -> CodeOfConduct | None:
    now = now or timezone.now()
    return CodeOfConduct.objects.filter(published_at__lte=now).order_by("-published_at").first()


def _course_requirements(
    user: User, courses: list[CoursePage], *, completed_after: datetime | None = None, kind: str = "course"
) -> list[Requirement]:
    enrollments = {
        e.course_id: e
        for e in Enrollment.objects.filter(user=user, course__in=[c.pk for c in courses])
    }
    found = []
    for course in courses:
        enrollment = enrollments.get(course.pk)
        done = bool(
            enrollment
            and enrollment.status == Enrollment.Status.COMPLETED
            and (completed_after is None or (enrollment.completed_at and enrollment.completed_at >= completed_after))
        )
        if done:
            detail = gettext("Completed")
        elif enrollment and enrollment.status == Enrollment.Status.COMPLETED:
            detail = gettext("Completed before the renewal window; complete it again to renew")
        elif enrollment:
            detail = gettext("%(percent)s%% done") % {"percent": enrollment.progress_percent}
        else:
            detail = gettext("Not started")
        found.append(
            Requirement(
                label=gettext("Complete “%(course)s”") % {"course": title_in_active_language(course)}, done=done, detail=detail, kind=kind,
                url=page_alternate_urls(course).get(get_language() or "", course.url or ""), ref=course.pk,
            )
        )
    return found


def programme_progress(*, user: User, programme: Programme, now: datetime | None = None) -> ProgrammeProgress:
    """Every requirement of the programme for a first certificate, each done or not."""
    now = now or timezone.now()
    progress = ProgrammeProgress(programme=programme)
    progress.requirements += _course_requirements(user, list(CoursePage.objects.live().filter(programmes=programme).order_by("title")))

    items = list(programme.practical_items.all())
    if items:
        counts = dict(
            PracticalSignoff.objects.filter(user=user, item__in=items)
            .values("item").annotate(total=Sum("count")).values_list("item", "total")
        )
        for item in items:
            got = counts.get(item.pk, 0)
            progress.requirements.append(
                Requirement(
                    label=str(item), done=got >= item.required_count, kind="practical",
                    detail=gettext("%(done)s of %(required)s signed off by the training team")
                    % {"done": min(got, item.required_count), "required": item.required_count},
                )
            )
    if programme.requires_code_of_conduct:
        code = current_code_of_conduct(now)
        accepted = code is not None and ConductAcceptance.objects.filter(user=user, code=code).exists()
        progress.requirements.append(
            Requirement(
                label=(
                    gettext("Accept the code of conduct (version %(version)s)") % {"version": code.version}
                    if code else gettext("Accept the code of conduct")
                ),
                done=accepted, kind="conduct", detail=gettext("Accepted") if accepted else gettext("Not accepted yet"),
            )
        )
    attestations = list(programme.attestations.all())
    if attestations:
        yes = set(
            AttestationAnswer.objects.filter(user=user, attestation__in=attestations, answer=True)
            .values_list("attestation_id", flat=True)
        )
        for attestation in attestations:
            progress.requirements.append(
                Requirement(label=attestation.statement_in(), done=attestation.pk in yes, kind="attestation", ref=attestation.pk,
                            detail=gettext("Confirmed") if attestation.pk in yes else gettext("Not confirmed"))
            )
    return progress


def renewal_progress(
    *, user: User, programme: Programme, certificate: Certificate, now: datetime | None = None
) -> ProgrammeProgress | None:
    """What renewing ``certificate`` asks: the renewal courses completed within the
    renewal window, and the current code of conduct. None when the programme has no
    renewal path (its certificates do not expire, or it names no renewal course)."""
    if certificate.expires_at is None:
        return None
    courses = list(CoursePage.objects.live().filter(renewal_programmes=programme).order_by("title"))
    if not courses:
        return None
    window_opens = certificate.expires_at - timedelta(days=programme.renewal_window_days)
    progress = ProgrammeProgress(programme=programme)
    progress.requirements += _course_requirements(user, courses, completed_after=window_opens, kind="renewal")
    if programme.requires_code_of_conduct:
        code = current_code_of_conduct(now)
        accepted = code is not None and ConductAcceptance.objects.filter(user=user, code=code).exists()
        progress.requirements.append(
            Requirement(label=gettext("Accept the current code of conduct"), done=accepted, kind="conduct",
                        detail=gettext("Accepted") if accepted else gettext("Not accepted yet"))
        )
    return progress
