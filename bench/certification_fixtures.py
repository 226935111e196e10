"""Data for the certification benchmarks (``certification.py``; call after ``django.setup()``).

One programme ("Bench Facilitator") that asks for one short course and the current code
of conduct, designed as a real one would be: a logo, a signature image, a signatory and
a two-year validity, so that the PDF carries every part (holder name, programme, dates,
code, QR code, images).

- ``qualified_learners``: learners who completed the course and accepted the code of
  conduct *before* the programme exists, so nothing is issued while they are made
  (completing a course enqueues ``programmes_evaluate_task``, which runs in-process in
  the bench process); the benchmark then enqueues the evaluation for all of them at once.
- ``pdf_certificates``: certificate rows for other learners, written directly (no task),
  with names in several scripts, for the in-process PDF timing.
"""
import io
from dataclasses import dataclass

from . import fixtures

COURSE_SLUG = "certification-bench-course"
PROGRAMME_SLUG = "bench-facilitator"
QUALIFIED_EMAIL = "bench-cert-qualified-{}@example.org"
PDF_EMAIL = "bench-cert-pdf-{}@example.org"
# Printed names of different lengths and scripts (the PDF embeds the glyphs it uses).
NAMES = [
    "Zoë Ñúñez-O'Brien", "Amara Osei", "Łukasz Wróblewski", "Siobhán Ní Bhriain",
    "Nguyễn Thị Minh Khai", "Jean-Baptiste de La Fontaine-Dubois", "Ana Núñez", "Ólafur Þórsson",
    "Chidinma Okonkwo-Adeyemi", "Kim Lee",
]


def _png(width: int, height: int, colour: tuple) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, height - 4, height - 4), fill=colour)
    draw.rectangle((height + 8, height // 3, width - 8, 2 * height // 3), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _image(title: str, name: str, content: bytes):
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    image = get_image_model()(title=title, file=ImageFile(io.BytesIO(content), name=name))
    image.save()
    return image


@dataclass
class CertificationData:
    course: object
    code_of_conduct: object
    programme: object  # None until ``programme_create``


def course_and_code():
    """The programme's course (two lessons, no quiz) and the current code of conduct."""
    from django.utils import timezone

    from certification.models import CodeOfConduct

    course = fixtures.build_course(slug=COURSE_SLUG, title="Certification bench course", lessons=2)
    code = CodeOfConduct.objects.create(
        version="bench.1", text="<p>Listen without judging. Keep what is shared private.</p>",
        published_at=timezone.now() - timezone.timedelta(days=30),
    )
    return CertificationData(course=course, code_of_conduct=code, programme=None)


def qualified_learners(data: CertificationData, count: int, *, start: int = 0) -> list:
    """``count`` learners who meet the programme's requirements (call before the programme
    exists: see the module docstring). Returns their user ids."""
    from certification.models import ConductAcceptance
    from courses import services

    lessons = fixtures.live_lessons(data.course)
    ids = []
    for i in range(start, start + count):
        user = fixtures.make_learner(i, email_pattern=QUALIFIED_EMAIL)
        user.certificate_name = NAMES[i % len(NAMES)]
        user.save(update_fields=["certificate_name"])
        enrollment, _ = services.enrollment_create(user=user, course=data.course)
        for lesson in lessons:
            services.lesson_complete(enrollment=enrollment, lesson=lesson)
        ConductAcceptance.objects.create(user=user, code=data.code_of_conduct)
        ids.append(user.pk)
    return ids


def programme_create(data: CertificationData):
    from certification.models import Programme

    programme = Programme.objects.create(
        title="Bench Facilitator", slug=PROGRAMME_SLUG, validity_months=24,
        description="Certified to facilitate mutual-help meetings.",
        signatory_name="Amara Osei", signatory_title="Training lead",
        logo=_image("Bench logo", "bench-logo.png", _png(480, 120, (11, 92, 86, 255))),
        signature_image=_image("Bench signature", "bench-signature.png", _png(360, 90, (29, 36, 48, 255))),
    )
    programme.courses.add(data.course)
    programme.save()  # a ParentalManyToManyField is written on save
    data.programme = programme
    return programme


def pdf_certificates(data: CertificationData, count: int) -> list[int]:
    """``count`` issued certificates (rows only: no PDF, no task) for the PDF timing."""
    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    from certification import codes
    from certification.models import Certificate

    now = timezone.now()
    ids = []
    for i in range(count):
        user = fixtures.make_learner(i, email_pattern=PDF_EMAIL)
        certificate = Certificate.objects.create(
            code=codes.new_code(), holder=user, programme=data.programme, period=1,
            holder_name=NAMES[i % len(NAMES)], issued_at=now,
            expires_at=now + relativedelta(months=data.programme.validity_months),
        )
        ids.append(certificate.pk)
    return ids
