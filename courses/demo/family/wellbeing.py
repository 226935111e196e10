"""Module 1 of the Family & Friends course: the family's experience and self-care."""
from ..markup import Lesson, Module, bullets, h2, key, p, reflect, tip, warning

IMPACT = Lesson(
    "When someone you love has an addictive behaviour",
    slug="impact-on-family",
    minutes=15,
    body=[
        p(
            "Family members and friends of people with addictive behaviours often carry a heavy "
            "load quietly. They may feel worry, anger, guilt, fear, embarrassment and love, "
            "sometimes all in the same day. They may have covered for their loved one, taken on "
            "extra responsibilities or stopped seeing friends. Many believe they should have "
            "been able to prevent the problem.",
        ),
        h2("What Family & Friends meetings offer"),
        p(
            "Family & Friends meetings give these participants a place to talk with others who "
            "understand, and to learn science-informed tools for looking after themselves and "
            "for relating to their loved one in ways that are more likely to help. The meeting "
            "is for the participant: it helps whether or not their loved one is ready to change.",
        ),
        bullets(
            "Participants come with different hopes:",
            "Some want their loved one to accept help.",
            "Some want to cope better with a situation that is not changing.",
            "Some have decided to step back from the relationship and want support with that.",
            "Some are grieving, or rebuilding after a relationship has ended.",
        ),
        key(
            "The participant is the focus",
            "Keep the conversation on the person in the room: their feelings, choices and next "
            "steps. Stories about the loved one are part of that, but the meeting cannot change "
            "someone who is not there.",
        ),
        h2("Avoiding blame"),
        p(
            "Participants sometimes arrive feeling blamed, or blaming themselves. Our approach "
            "avoids blame on all sides. Addictive behaviours develop for many reasons, and "
            "family members did not cause them. At the same time, family members can have a "
            "real, positive influence, which the next module explores.",
        ),
        tip(
            "Welcome without labels",
            "Avoid calling anyone “codependent” or an “enabler”. Like other labels, these can "
            "shame people and get in the way of change.",
        ),
        reflect(
            "Think of someone you care about who is struggling. What feelings come up for you, "
            "and which of them do you rarely say out loud?"
        ),
    ],
)

SELF_CARE = Lesson(
    "Self-care comes first",
    slug="self-care",
    minutes=15,
    body=[
        p(
            "People supporting a loved one often put their own needs last for months or years. "
            "Exhaustion, poor sleep, isolation and constant worry make it harder to think "
            "clearly and respond calmly. Self-care is not selfish: it is what makes lasting "
            "support possible.",
        ),
        h2("Areas of self-care"),
        bullets(
            None,
            "<strong>Body</strong>: sleep, food, movement, and health appointments that may "
            "have slipped.",
            "<strong>Connection</strong>: people who are good company, and conversations that "
            "are not about the addictive behaviour.",
            "<strong>Enjoyment</strong>: activities that bring pleasure or calm, planned rather "
            "than left to chance.",
            "<strong>Support</strong>: a meeting, a counsellor, a doctor or a trusted friend to "
            "talk things through with.",
        ),
        h2("Using the 4-Point tools for yourself"),
        p(
            "Many tools from the main facilitator course work just as well for family members. "
            "A cost-benefit analysis can help someone decide whether to change how they respond "
            "to their loved one. The ABC model can reveal beliefs such as “If they drink again, "
            "it's my fault” or “I can't stand this”, which can then be disputed. Lifestyle "
            "balance helps people reclaim parts of life they have given up.",
        ),
        key(
            "You matter too",
            "A participant's wellbeing is a goal in its own right, not only a way of helping "
            "their loved one.",
        ),
        warning(
            "Safety first",
            "If a participant is afraid of their loved one, or is being harmed, their safety "
            "comes first. Encourage them to contact local domestic-abuse or emergency services, "
            "and never suggest communication techniques as a way to handle danger.",
        ),
        tip(
            "One small step",
            "At check-out, invite each participant to name one act of self-care they will do "
            "before the next meeting.",
        ),
        reflect(
            "What is one thing you stopped doing for yourself during a stressful time, and what "
            "would it take to start again?"
        ),
    ],
)

MODULE = Module(
    "Understanding the family's experience",
    slug="family-experience",
    intro="What family members and friends go through, what a Family & Friends meeting offers "
    "them, and why their own wellbeing comes first.",
    items=[IMPACT, SELF_CARE],
)
