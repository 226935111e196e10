"""The demo "Meeting Facilitator Training" course: one file per module."""
from decimal import Decimal

from ..markup import Course
from . import assessment, balance, intro, meetings, motivation, thoughts, urges

COURSE = Course(
    "Meeting Facilitator Training",
    slug="meeting-facilitator-training",
    summary="Learn to run science-informed mutual-help meetings based on the 4-Point Program: "
    "the tools participants use, and how to guide a group with warmth, structure and respect.",
    audience="Volunteers who would like to facilitate meetings, including people with their own "
    "experience of changing an addictive behaviour.\n"
    "Treatment professionals who will host meetings where they work.\n"
    "No previous training or qualification is needed.",
    outcomes=[
        "Explain our approach to change: self-empowerment, science-informed tools and choice.",
        "Describe how a facilitator's role differs from that of a therapist or a sponsor.",
        "Introduce the main tools of each of the four points in plain language.",
        "Run a meeting from opening to check-out, choosing an agenda that serves the group.",
        "Respond calmly to crosstalk, intoxication and crisis, and protect confidentiality.",
    ],
    description=(
        "<p>This course prepares you to facilitate mutual-help meetings that follow the "
        "4-Point Program. It explains the tools participants use, from the cost-benefit "
        "analysis to the ABC model, and how to guide a group so that everyone can take part.</p>"
        "<p>Lessons open in order and take 15 to 20 minutes each. Most end with a private "
        "reflection question. Two optional lessons add depth for those who want it. Each "
        "module closes with a short check of your understanding.</p>"
        "<p>Completing the lessons and passing the <strong>final assessment</strong> is the "
        "first step towards a facilitator certificate.</p>"
        "<p>The fee pays for the training team and keeps meetings free. If it would keep you "
        "from taking part, apply for a scholarship on the checkout page: a low income is "
        "reason enough, and nobody is turned away for lack of money.</p>"
    ),
    estimated_hours=Decimal("8.0"),
    sequential=True,
    modules=[
        intro.MODULE,
        motivation.MODULE,
        urges.MODULE,
        thoughts.MODULE,
        balance.MODULE,
        meetings.MODULE,
    ],
    final_quiz=assessment.FINAL,
    cover="facilitator",
    fee=Decimal("40.00"),
    currency="USD",
)
