"""Demo certification programmes, the code of conduct, and a certificate the demo learner
already holds, for ``manage.py seed_demo``.

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
from .models import Attestation, Certificate, CodeOfConduct, ConductAcceptance, PracticalItem, Programme

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

PROGRAMMES = [
    {
        "slug": "meeting-facilitator",
        "title": "Meeting Facilitator",
        "description": "For volunteers who run mutual-help meetings in person or online: the facilitator "
        "course, two co-facilitated meetings signed off by the training team, and the code of conduct.",
        "course_slugs": ["meeting-facilitator-training"],
        "practical": [("Co-facilitated meetings with an experienced facilitator", 2), ("Observed role-play", 1)],
        "attestations": ["I am 18 or older."],
        "validity_months": 24,
    },
    {
        "slug": "family-friends-facilitator",
        "title": "Family & Friends Facilitator",
        "description": "For volunteers who run meetings for the families and friends of people in recovery.",
        "course_slugs": ["family-and-friends-facilitator-training"],
        "practical": [],
        "attestations": [],
        "validity_months": 24,
    },
]


def ensure_programmes(*, courses: list[CoursePage], update: bool = False) -> int:
    """Create the demo programmes (and the code of conduct) that are missing; returns how
    many programmes were created."""
    CodeOfConduct.objects.get_or_create(
        version=CODE_VERSION,
        defaults={"text": CODE_TEXT.strip(), "published_at": datetime(2026, 1, 1, tzinfo=timezone.utc)},
    )
    by_slug = {course.slug: course for course in courses}
    created = 0
    for spec in PROGRAMMES:
        programme = Programme.objects.filter(slug=spec["slug"]).first()
        if programme is not None and not update:
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
        for order, (label, count) in enumerate(spec["practical"]):
            PracticalItem.objects.create(programme=programme, label=label, required_count=count, sort_order=order)
        programme.attestations.all().delete()
        for order, statement in enumerate(spec["attestations"]):
            Attestation.objects.create(programme=programme, statement=statement, sort_order=order)
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
