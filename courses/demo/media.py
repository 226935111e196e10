"""Demo documents and cover images, generated in code (nothing is downloaded).

Each is found again by its title, so running the seed twice reuses what is there.
"""
from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

COST_BENEFIT_WORKSHEET = """\
COST-BENEFIT ANALYSIS WORKSHEET
===============================

The behaviour I am thinking about changing:
______________________________________________________________

Fill in all four boxes. Be honest: this worksheet is for you alone.
After each item, write S if it is short term or L if it is long term.

1. BENEFITS of the behaviour (what I get from it)
   - ___________________________________________  (S / L)
   - ___________________________________________  (S / L)
   - ___________________________________________  (S / L)

2. COSTS of the behaviour (what it takes from me)
   - ___________________________________________  (S / L)
   - ___________________________________________  (S / L)
   - ___________________________________________  (S / L)

3. BENEFITS of changing or stopping
   - ___________________________________________  (S / L)
   - ___________________________________________  (S / L)
   - ___________________________________________  (S / L)

4. COSTS of changing or stopping (what I would lose or find hard)
   - ___________________________________________  (S / L)
   - ___________________________________________  (S / L)
   - ___________________________________________  (S / L)

Looking at all four boxes:
- What stands out for me?
- Which items matter most to me, and why?
- How could I meet the needs in box 1 in another way?

Keep this worksheet somewhere you can find it, and read it again
when your motivation dips or an urge arrives.
"""

URGE_LOG = (
    "Date,Time,Where I was,Trigger (what set it off),Strength (1-10),"
    "What I did,How long it lasted (minutes),What I learned\n"
    + ",,,,,,,\n" * 14
)


@dataclass(frozen=True)
class DemoDocument:
    title: str
    filename: str
    content: str


@dataclass(frozen=True)
class DemoCover:
    title: str
    start: tuple[int, int, int]
    end: tuple[int, int, int]


DOCUMENTS = {
    "cost-benefit": DemoDocument(
        "Cost-benefit analysis worksheet", "cost-benefit-analysis-worksheet.txt",
        COST_BENEFIT_WORKSHEET,
    ),
    "urge-log": DemoDocument("Urge log", "urge-log.csv", URGE_LOG),
}

COVERS = {
    "facilitator": DemoCover("Course cover: facilitator training", (22, 78, 99), (86, 170, 143)),
    "family": DemoCover("Course cover: family and friends", (120, 60, 96), (232, 160, 98)),
    "benchmark": DemoCover("Course cover: benchmark", (70, 80, 90), (160, 170, 180)),
}


def ensure_document(key: str):
    """The demo document ``key`` of ``DOCUMENTS``; returns (document, created)."""
    spec = DOCUMENTS[key]
    return _find_or_add(
        get_document_model(), spec.title,
        lambda: ContentFile(spec.content.encode("utf-8"), name=spec.filename),
        lambda document: document._set_document_file_metadata(),
    )


def _find_or_add(model, title: str, make_file, fill_metadata):
    """The first ``model`` (a document or image) titled ``title``, else a new one with the
    file ``make_file()`` makes; returns (item, created)."""
    item = model.objects.filter(title=title).order_by("pk").first()
    if item is not None:
        return item, False
    item = model(title=title, file=make_file())
    fill_metadata(item)
    item.save()
    return item, True


def banner_png(start, end, size=(1440, 540)) -> bytes:
    """A calm left-to-right colour gradient with a few soft circles: decoration only."""
    width, height = size
    image = PILImage.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for x in range(width):
        t = x / (width - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(start, end))
        draw.line([(x, 0), (x, height)], fill=colour)
    overlay = PILImage.new("RGBA", size, (0, 0, 0, 0))
    shapes = ImageDraw.Draw(overlay)
    for cx, cy, r, alpha in ((0.78, 0.3, 0.42, 40), (0.93, 0.85, 0.3, 50), (0.15, 1.0, 0.35, 30)):
        box = [(cx - r) * width, cy * height - r * width, (cx + r) * width, cy * height + r * width]
        shapes.ellipse(box, fill=(255, 255, 255, alpha))
    image = PILImage.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    out = BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def ensure_cover(key: str):
    """The demo cover image ``key`` of ``COVERS``; returns (image, created).

    Covers are decorative: the course templates show them with an empty alt text.
    """
    spec = COVERS[key]
    return _find_or_add(
        get_image_model(), spec.title,
        lambda: ContentFile(banner_png(spec.start, spec.end), name=f"cover-{key}.png"),
        lambda image: image._set_image_file_metadata(),
    )
