"""Demo certification programmes, the code of conduct, and a certificate the demo learner
already holds, for ``manage.py seed_demo``. The programmes and the code come with their
Spanish versions (``/es/`` pages, and the certificate of a holder who reads Spanish).

Found by slug (programmes), version (the code) and holder (the certificate), so running
the seed again creates nothing new; ``update`` rewrites the programmes from here.
"""
from datetime import datetime, timedelta, timezone

from django.utils import timezone as django_timezone

from accounts.models import User
from courses import services as learning
from courses.demo.progress import ALL, complete_items
from courses.models import CoursePage, Enrollment

from . import services
from .models import (
    Attestation,
    Certificate,
    CodeOfConduct,
    CodeOfConductTranslation,
    ConductAcceptance,
    PracticalItem,
    Programme,
    ProgrammeTranslation,
)

CODE_VERSION = "2026.1"
CODE_TEXT = """
<p>As a volunteer facilitator I help run meetings where people support one another's recovery. I agree to:</p>
<ol>
<li>Keep confidential what participants share, and keep no record of who attends.</li>
<li>Treat every participant with respect, whatever their path, beliefs or background.</li>
<li>Guide, not direct: choices about recovery belong to each participant.</li>
<li>Never give medical, legal or clinical advice; point people to professional help when they need it.</li>
<li>Act on safety first: if someone may be at risk of harm, follow the network's safety guidance.</li>
<li>Not use a meeting to sell, recruit, or promote anything.</li>
<li>Look after my own recovery and wellbeing, and step back when I need to.</li>
</ol>
"""

CODE_TRANSLATIONS = {
    "es": """
<p>Como persona voluntaria que facilita reuniones, ayudo a llevar reuniones donde las personas se apoyan en su recuperación. Me comprometo a:</p>
<ol>
<li>Mantener la confidencialidad de lo que comparten las personas participantes, y no guardar ningún registro de quién asiste.</li>
<li>Tratar con respeto a cada participante, sea cual sea su camino, sus creencias o su origen.</li>
<li>Guiar, no dirigir: las decisiones sobre la recuperación son de cada participante.</li>
<li>No dar nunca consejos médicos, legales ni clínicos; orientar hacia ayuda profesional cuando haga falta.</li>
<li>Poner la seguridad primero: si alguien puede estar en riesgo, seguir la guía de seguridad de la red.</li>
<li>No usar una reunión para vender, captar ni promocionar nada.</li>
<li>Cuidar de mi propia recuperación y de mi bienestar, y dar un paso atrás cuando lo necesite.</li>
</ol>
""",
}

PROGRAMMES = [
    {
        "slug": "meeting-facilitator",
        "title": "Meeting Facilitator",
        "description": "For volunteers who run mutual-help meetings in person or online: the facilitator "
        "course, two co-facilitated meetings signed off by the training team, and the code of conduct.",
        "course_slugs": ["meeting-facilitator-training"],
        "practical": [
            ("Co-facilitated meetings with an experienced facilitator", 2,
             {"es": "Reuniones cofacilitadas con una persona facilitadora con experiencia"}),
            ("Observed role-play", 1, {"es": "Juego de roles observado"}),
        ],
        "attestations": [("I am 18 or older.", {"es": "Tengo 18 años o más."})],
        "validity_months": 24,
        "translations": {
            "es": {
                "title": "Facilitador/a de reuniones",
                "description": "Para personas voluntarias que facilitan reuniones de ayuda mutua, presenciales o en "
                "línea: el curso de facilitación, dos reuniones cofacilitadas y aprobadas por el equipo de formación, "
                "y el código de conducta.",
            },
        },
    },
    {
        "slug": "family-friends-facilitator",
        "title": "Family & Friends Facilitator",
        "description": "For volunteers who run meetings for the families and friends of people in recovery.",
        "course_slugs": ["family-and-friends-facilitator-training"],
        "practical": [],
        "attestations": [],
        "validity_months": 24,
        "translations": {
            "es": {
                "title": "Facilitador/a de Familia y Amigos",
                "description": "Para personas voluntarias que facilitan reuniones para familiares y amistades de "
                "personas en recuperación.",
            },
        },
    },
]


def ensure_programmes(*, courses: list[CoursePage], update: bool = False) -> int:
    """Create the demo programmes (and the code of conduct) that are missing; returns how
    many programmes were created."""
    code, _ = CodeOfConduct.objects.get_or_create(
        version=CODE_VERSION,
        defaults={"text": CODE_TEXT.strip(), "published_at": datetime(2026, 1, 1, tzinfo=timezone.utc)},
    )
    for language, text in CODE_TRANSLATIONS.items():
        if update or not code.translations.filter(language=language).exists():
            CodeOfConductTranslation.objects.update_or_create(code=code, language=language, defaults={"text": text.strip()})
    by_slug = {course.slug: course for course in courses}
    created = 0
    for spec in PROGRAMMES:
        programme = Programme.objects.filter(slug=spec["slug"]).first()
        if programme is not None and not update:
            for language, words in spec["translations"].items():  # a demo seeded before they were written
                ProgrammeTranslation.objects.get_or_create(programme=programme, language=language, defaults=words)
            continue
        is_new = programme is None
        programme = programme or Programme(slug=spec["slug"])
        programme.title = spec["title"]
        programme.description = spec["description"]
        programme.validity_months = spec["validity_months"]
        programme.signatory_name = "Dr Ruth Adeyemi"
        programme.signatory_title = "Director of Training"
        programme.save()
        programme.courses.set([by_slug[s] for s in spec["course_slugs"] if s in by_slug])
        programme.save()
        programme.practical_items.all().delete()
        for order, (label, count, labels) in enumerate(spec["practical"]):
            PracticalItem.objects.create(
                programme=programme, label=label, label_translations=labels, required_count=count, sort_order=order
            )
        programme.attestations.all().delete()
        for order, (statement, statements) in enumerate(spec["attestations"]):
            Attestation.objects.create(
                programme=programme, statement=statement, statement_translations=statements, sort_order=order
            )
        for language, words in spec["translations"].items():
            ProgrammeTranslation.objects.update_or_create(programme=programme, language=language, defaults=words)
        created += is_new
    return created


# The demo learner's certificate: Family & Friends Facilitator asks for its free course
# and the code of conduct, both of which a learner can sensibly have done. Its code is
# fixed so that the README can name it (a real code is 100 random bits: codes.py).
CERTIFICATE_PROGRAMME = "family-friends-facilitator"
CERTIFICATE_CODE = "DEM0CERT2026FAM10001"
CERTIFICATE_DAYS_AGO = 12  # issued this long ago; the course was finished the day before


def ensure_demo_certificate(*, learner: User, course: CoursePage) -> Certificate | None:
    """The certificate ``learner`` holds for the Family & Friends Facilitator programme,
    earned now if missing: enrolled, every lesson completed and the module check passed,
    the code of conduct accepted, then issued by the same evaluation as any learner's.
    None if the learner's record cannot earn it (an old demo database where they left the
    course). Call inside a transaction: the PDF is rendered after the commit."""
    programme = Programme.objects.filter(slug=CERTIFICATE_PROGRAMME).first()
    if programme is None:
        return None
    held = Certificate.objects.filter(holder=learner, programme=programme).order_by("period").first()
    if held is not None:
        return held
    now = django_timezone.now()
    issued_at = now - timedelta(days=CERTIFICATE_DAYS_AGO)
    enrollment, _ = learning.enrollment_create(user=learner, course=course)
    Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=issued_at - timedelta(days=20))
    enrollment.refresh_from_db()
    complete_items(enrollment, course, count=ALL, days_ago=CERTIFICATE_DAYS_AGO + 1, now=now)
    # What a learner would long since have been told: no "well done" email from the seed.
    Enrollment.objects.filter(pk=enrollment.pk, completion_notified_at__isnull=True).update(
        completion_notified_at=issued_at
    )
    code = CodeOfConduct.objects.filter(version=CODE_VERSION).first()
    if code is not None:
        services.conduct_accept(user=learner, code=code)
        ConductAcceptance.objects.filter(user=learner, code=code).update(accepted_at=issued_at - timedelta(hours=1))
    issued = [c for c in services.programmes_evaluate(user_id=learner.pk, now=issued_at) if c.programme_id == programme.pk]
    if not issued:
        return None
    certificate = issued[0]
    certificate.code = CERTIFICATE_CODE
    certificate.issued_notified_at = issued_at  # emailed when it was issued, as far as the demo goes
    certificate.save(update_fields=["code", "issued_notified_at"])
    return certificate
