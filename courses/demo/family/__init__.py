"""The demo "Family & Friends Facilitator Training" course: a shorter, open-order course."""
from decimal import Decimal

from ..markup import Course, Lesson, Module, bullets, h2, p, reflect, tip, warning
from . import communication, wellbeing

RUNNING = Lesson(
    "Running a Family & Friends meeting",
    slug="running-family-meetings",
    minutes=20,
    body=[
        p(
            "Family & Friends meetings follow the same shape as other meetings in our network: "
            "opening, check-in, a working part and check-out. A few differences help them "
            "serve their participants well.",
        ),
        h2("Keeping the focus on the participant"),
        p(
            "It is natural for participants to spend time describing what their loved one has "
            "done. Listen with empathy, then bring the focus back: “That sounds exhausting. What "
            "would help you this week?” The tools work on what participants can change: their "
            "own thoughts, actions and wellbeing.",
        ),
        h2("Confidentiality protects the absent too"),
        p(
            "The people being discussed are not in the room. Remind the group that "
            "confidentiality protects them as well: no names, no identifying details, and "
            "nothing repeated outside the meeting. Invite participants to describe situations "
            "in general terms.",
        ),
        h2("Venting and blame"),
        p(
            "Anger and grief need space, and a short time to let off steam can be a relief. If a "
            "meeting becomes a long list of complaints, acknowledge the feelings and invite the "
            "group to choose one tool to try. Gently question blame, whether it is aimed at "
            "others or at the participant themselves.",
        ),
        bullets(
            "Useful topics for the working part include:",
            "self-care while a loved one is in crisis;",
            "preparing a conversation using positive communication;",
            "planning and keeping a boundary;",
            "coping with holidays and family events;",
            "what to say to children or other relatives.",
        ),
        warning(
            "When safety is at risk",
            "If a participant describes violence, threats or a risk to a child, speak with them "
            "privately after the meeting and help them reach local support or emergency "
            "services.",
        ),
        tip(
            "Know the wider network",
            "Keep details of meetings for people with addictive behaviours, so participants can "
            "pass them on if their loved one asks.",
        ),
        reflect(
            "How would you bring a meeting back to its participants when the conversation has "
            "focused on absent loved ones for a long time?"
        ),
    ],
)

FACILITATING = Module(
    "Facilitating a Family & Friends meeting",
    slug="family-meetings",
    intro="How a Family & Friends meeting differs from other meetings, and how to keep it "
    "focused, confidential and safe.",
    items=[RUNNING],
)

COURSE = Course(
    "Family & Friends Facilitator Training",
    slug="family-and-friends-facilitator-training",
    summary="Learn to facilitate meetings for the family and friends of people with addictive "
    "behaviours: self-care, positive communication, boundaries, and a focused, safe meeting.",
    audience="Volunteers and professionals who would like to facilitate Family & Friends "
    "meetings.\nMany facilitators have supported someone close to them; no previous training "
    "is needed.",
    outcomes=[
        "Describe the experience of family and friends without blame or labels.",
        "Explain why participants' own wellbeing comes first, and suggest self-care steps.",
        "Teach CRAFT-informed positive communication and the use of natural consequences.",
        "Help participants plan boundaries they can keep.",
        "Keep a Family & Friends meeting focused on its participants, confidential and safe.",
    ],
    description=(
        "<p>A short course for facilitators of Family &amp; Friends meetings. It can be "
        "taken in any order, and builds on the 4-Point Program tools taught in the main "
        "facilitator training.</p>"
        "<p>Each lesson takes about 15 minutes and ends with a private reflection question. "
        "A short check of your understanding follows the module on communication and "
        "boundaries.</p>"
    ),
    estimated_hours=Decimal("3.0"),
    sequential=False,
    modules=[wellbeing.MODULE, communication.MODULE, FACILITATING],
    cover="family",
    # Earlier versions of the demo had an empty "Final assessment" here; the course now
    # has one module check instead (in ``communication``).
    retired_quizzes=("final-assessment",),
)
