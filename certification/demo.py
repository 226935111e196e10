"""Demo certification programmes and the code of conduct, for ``manage.py seed_demo``.

Found by slug (programmes) and version (the code), so running the seed again creates
nothing new; ``update`` rewrites them from here.
"""
from datetime import datetime, timezone

from .models import Attestation, CodeOfConduct, PracticalItem, Programme

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


def ensure_programmes(*, courses, update: bool = False) -> int:
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
        programme.signatory_name = "Dr Amara Osei"
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
