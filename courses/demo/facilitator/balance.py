"""Module 5 of the facilitator course: Point 4, living a balanced life."""
from ..markup import (
    Lesson, Module, Quiz, bullets, h2, key, multiple, p, reflect, right, short_text, single, steps,
    tip, true_false, warning, wrong,
)

LIFESTYLE = Lesson(
    "Lifestyle balance",
    slug="lifestyle-balance",
    minutes=20,
    body=[
        p(
            "When an addictive behaviour takes up a large part of someone's life, stopping it "
            "leaves a gap: hours to fill, needs to meet, and sometimes friendships to rebuild. "
            "Point 4 helps participants build a life that is satisfying enough that the old "
            "behaviour has less to offer.",
        ),
        h2("Looking at the whole of life"),
        bullets(
            "A simple way to begin is to list the main areas of life and rate satisfaction "
            "with each, for example from 1 to 10:",
            "family and relationships;",
            "friends and social life;",
            "work, study or volunteering;",
            "physical health, sleep and exercise;",
            "emotional wellbeing;",
            "leisure, creativity and fun;",
            "money and housing;",
            "meaning, spirituality or community.",
        ),
        p(
            "Some participants like to draw the areas as slices of a pie, sized by how much time "
            "or energy each takes. The picture often shows one area crowding out the others, "
            "and another that has been neglected for years.",
        ),
        key(
            "Balance is personal",
            "There is no ideal balance that suits everyone. The question is what balance would "
            "feel satisfying to this person, in their circumstances, now.",
        ),
        h2("Healthy pleasures"),
        p(
            "Change is hard to sustain without enjoyment. Encourage participants to find "
            "activities that give some of what the old behaviour gave, such as relaxation, "
            "excitement, connection or a sense of reward, without the costs. For some that is "
            "sport or music; for others it is gardening, volunteering, learning or simply rest.",
        ),
        tip(
            "Small and regular",
            "A twenty-minute walk three times a week is more likely to last than an ambitious "
            "plan. Suggest one small, pleasant activity to try before the next meeting.",
        ),
        warning(
            "Not everything is within reach",
            "Money, health, caring duties and discrimination limit people's options. "
            "Acknowledge real constraints, and avoid suggesting that balance is simply a matter "
            "of effort.",
        ),
        reflect(
            "If you rated the areas of your own life today, which one would you most like to "
            "raise by a point or two, and what small step would do it?"
        ),
    ],
)

PLANNING = Lesson(
    "The hierarchy of values and planning for change",
    slug="values-and-planning",
    minutes=20,
    body=[
        p(
            "In Module 2 you used values to strengthen motivation. In Point 4, values become a "
            "compass for planning. The hierarchy of values is a tool for seeing what matters "
            "most and checking whether day-to-day life reflects it.",
        ),
        h2("Building a hierarchy of values"),
        steps(
            "A participant can build their hierarchy in a few steps:",
            "List what is most important in their life: people, qualities, activities, beliefs.",
            "Rank the items, with the most important at the top.",
            "Beside each item, note how much time and attention it receives at the moment.",
            "Mark where the addictive behaviour fits, both as it is now and as they would like "
            "it to be.",
        ),
        p(
            "The exercise often shows a mismatch: the behaviour has climbed high in practice, "
            "even though it sits low among the person's stated values. Seeing that in their own "
            "handwriting can be a turning point.",
        ),
        h2("From values to a change plan"),
        bullets(
            "A change plan turns intentions into steps. It usually answers:",
            "What change do I want to make, and why does it matter to me?",
            "What steps will I take, and when?",
            "Who can support me, and how?",
            "What might get in the way, and what will I do then?",
            "How will I know the plan is working?",
        ),
        tip(
            "Make goals specific",
            "Goals work best when they are specific, measurable, realistic and have a time "
            "frame: “join the walking group on Saturday mornings for the next month” rather "
            "than “get fitter”.",
        ),
        h2("Lapses and setbacks"),
        p(
            "Plans meet real life. A lapse, a return to the behaviour after a period of change, "
            "is common, and it can be a source of learning rather than proof of failure. "
            "Encourage participants to treat a lapse as information: what led to it, which "
            "tools could help next time, and what to add to the plan.",
        ),
        key(
            "Progress, not perfection",
            "Lasting change is rarely a straight line. What matters most is coming back to the "
            "plan, and to the meeting.",
        ),
        reflect(
            "Write one goal for the next month that would bring your life closer to your top "
            "value. What is the first step, and when will you take it?"
        ),
    ],
)

CHECK = Quiz(
    "Check your understanding: a balanced life",
    slug="balance-check",
    intro="<p>Four questions on lifestyle balance, values, change plans and setbacks. After "
    "each attempt you will see which answers were right, with a short explanation.</p>",
    pass_mark=75,
    questions=(
        single(
            "goal",
            "Which goal is written the way the lesson suggests?",
            right(
                "Join the walking group on Saturday mornings for the next month",
                "Yes: specific, measurable, realistic and with a time frame.",
            ),
            wrong("Get fitter", "A good direction, but not specific enough to act on."),
            wrong("Never feel bored again", "Neither realistic nor measurable."),
            wrong("Sort my whole life out by the summer", "Too broad to know where to start."),
            explanation="Goals work best when they are specific, measurable, realistic and "
            "have a time frame.",
        ),
        multiple(
            "plan",
            "Which questions does a change plan usually answer?",
            right("What steps will I take, and when?"),
            right("Who can support me, and how?"),
            right("What might get in the way, and what will I do then?"),
            wrong(
                "How does my progress compare with other participants'?",
                "Change is personal; comparing with others is not part of the plan.",
            ),
            scoring="partial",
            points=2,
            explanation="A change plan also asks what change the person wants and why it "
            "matters, and how they will know it is working.",
        ),
        true_false(
            "lapse",
            "A lapse after a period of change shows that the person's change plan has failed.",
            False,
            explanation="Lapses are common. Treated as information (what led to it, what could "
            "help next time), a lapse improves the plan.",
        ),
        short_text(
            "hierarchy",
            "Point 4 uses a tool that ranks what matters most to a person and checks how much "
            "time each item gets. Complete its name: the hierarchy of …",
            ["values", "values tool"],
            explanation="The hierarchy of values: it often shows the behaviour has climbed "
            "high in practice while sitting low among the person's stated values.",
        ),
    ),
)

MODULE = Module(
    "Point 4: Living a balanced life",
    slug="balanced-life",
    intro="Building a life that the old behaviour has less to offer: lifestyle balance, the "
    "hierarchy of values, change plans and learning from setbacks.",
    items=[LIFESTYLE, PLANNING, CHECK],
)
