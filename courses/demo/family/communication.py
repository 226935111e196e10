"""Module 2 of the Family & Friends course: positive communication and boundaries."""
from ..markup import (
    Lesson, Module, Quiz, bullets, h2, key, multiple, p, reflect, right, short_text, single, steps,
    tip, true_false, warning, wrong,
)

POSITIVE = Lesson(
    "Positive communication",
    slug="positive-communication",
    minutes=15,
    body=[
        p(
            "Conversations about addictive behaviour easily turn into arguments, silence or "
            "pleading. Community Reinforcement and Family Training (CRAFT) is an approach "
            "developed and studied by researchers to help family members communicate in ways "
            "that are more likely to be heard. Our Family & Friends meetings draw on its ideas.",
        ),
        h2("Principles of positive communication"),
        bullets(
            None,
            "<strong>Be positive</strong>: say what you would like, not only what you do not "
            "want. “I'd love to go for a walk with you on Sunday” rather than “You never do "
            "anything with me.”",
            "<strong>Be specific</strong>: describe a particular behaviour, not a character: "
            "“when you came home late last night” rather than “you always…”.",
            "<strong>Name your feelings</strong>: “I felt worried” is easier to hear than an "
            "accusation.",
            "<strong>Offer understanding</strong>: “I know work has been really stressful.”",
            "<strong>Share responsibility where it fits</strong>: “I know I've been "
            "short-tempered too.”",
            "<strong>Offer help</strong>: “Is there anything I can do?”",
        ),
        h2("Timing matters"),
        p(
            "Choose a calm moment, when neither person is rushed, angry or under the influence. "
            "A conversation that starts well is far more likely to go well.",
        ),
        tip(
            "Practise in the meeting",
            "Invite participants to rehearse a sentence they want to say, and let others "
            "suggest gentler or clearer wording. Practising aloud builds confidence.",
        ),
        key(
            "Influence, not control",
            "No one can make another person change. Positive communication can improve the "
            "relationship and the chance that a loved one will consider change; it cannot "
            "promise it.",
        ),
        reflect(
            "Think of a difficult conversation you have had more than once. How might you open "
            "it next time, using one or two of these principles?"
        ),
    ],
)

REWARDS = Lesson(
    "Encouraging change: rewards and natural consequences",
    slug="rewards-and-consequences",
    minutes=15,
    body=[
        p(
            "People tend to repeat what is rewarded. CRAFT suggests that family members can "
            "make time without the addictive behaviour more rewarding, and step back from "
            "shielding their loved one from the behaviour's consequences.",
        ),
        h2("Noticing positive moments"),
        p(
            "When a loved one spends an evening without the behaviour, or takes a step towards "
            "change, a family member can show appreciation: time together, a favourite meal, a "
            "warm word. Rewards need not be large; what matters is that they follow the "
            "behaviour the family member would like to see more of.",
        ),
        h2("Allowing natural consequences"),
        p(
            "Out of love, family members often rescue their loved one from problems the "
            "behaviour causes: phoning an employer with an excuse, paying debts, clearing up. "
            "Stepping back, when it is safe, lets the loved one experience those consequences, "
            "which can become a reason to change.",
        ),
        warning(
            "Only when it is safe",
            "Stepping back must never put anyone at risk. Children's needs and everyone's "
            "safety come before any strategy.",
        ),
        h2("Inviting support"),
        p(
            "Some family members hope their loved one will try a meeting or treatment. Good "
            "moments often come when the loved one is worried about the behaviour's effects, or "
            "asks a question about it. Having information ready makes it easy to act when that "
            "moment comes.",
        ),
        tip(
            "Keep a list ready",
            "Encourage participants to prepare a short list of meetings and services in "
            "advance, so that they can offer it calmly when the time is right.",
        ),
        reflect(
            "What is one positive moment with someone close to you that you could notice and "
            "appreciate this week?"
        ),
    ],
)

BOUNDARIES = Lesson(
    "Setting and keeping boundaries",
    slug="boundaries",
    minutes=15,
    body=[
        p(
            "A boundary is a decision about what you will and will not do, to protect your "
            "wellbeing and your values. Boundaries are about the participant's own actions, not "
            "rules imposed on someone else. They are not punishments either: a good boundary "
            "can be explained calmly and kept kindly, even when the other person is unhappy "
            "about it.",
        ),
        h2("Boundaries, not ultimatums"),
        p(
            "“Stop drinking, or else” tries to control the other person, and often leads to "
            "threats that are never carried out. A boundary sounds different: “I won't lend "
            "money any more.” “If you come home intoxicated, I'll stay at my sister's for the "
            "night.” The person setting it can keep it whatever the other person does.",
        ),
        h2("Making a boundary work"),
        steps(
            "Participants can plan a boundary in a meeting:",
            "Name the value it protects, such as safety, peace at home or financial security.",
            "Describe the action they will take, in one clear sentence.",
            "Choose a calm time to explain it, using positive communication.",
            "Plan how they will follow through, and who can support them.",
            "Review it after a few weeks: is it helping?",
        ),
        key(
            "Follow-through matters most",
            "A boundary that is stated but not kept teaches everyone that it is not real. One "
            "small boundary that is kept is worth more than several that are not.",
        ),
        tip(
            "Expect testing",
            "When someone sets a new boundary, others often push against it at first. That is "
            "normal, and it usually passes if the boundary is held calmly.",
        ),
        reflect(
            "Is there a situation in your life where a clear, kind boundary would protect "
            "something you value? What would you say?"
        ),
    ],
)

CHECK = Quiz(
    "Check your understanding: communication and boundaries",
    slug="communication-check",
    intro="<p>Four questions on positive communication, natural consequences and boundaries. "
    "After each attempt you will see which answers were right, with a short explanation.</p>",
    pass_mark=75,
    questions=(
        single(
            "positive",
            "Which opening follows the principles of positive communication?",
            right(
                "“I felt worried when you came home late last night. Could we talk about it "
                "over breakfast on Sunday?”",
                "Yes: specific, it names a feeling, and it picks a calm moment.",
            ),
            wrong(
                "“You always come home late. You never think about anyone else.”",
                "“Always” and “never” describe a character, not a behaviour, and invite an "
                "argument.",
            ),
            wrong(
                "“If you really cared about this family, you would stop.”",
                "An accusation is hard to hear. Say what you would like instead.",
            ),
            wrong(
                "“We need to talk right now, before you go out again.”",
                "Timing matters: choose a calm moment when neither person is rushed or upset.",
            ),
            explanation="Be positive and specific, name your feelings, and choose a calm time.",
        ),
        true_false(
            "boundary",
            "A boundary is a rule that a participant makes their loved one follow.",
            False,
            explanation="A boundary is about the participant's own actions (“I won't lend money "
            "any more”), so they can keep it whatever the other person does.",
        ),
        multiple(
            "consequences",
            "Which of these are ways of allowing natural consequences, when it is safe to do so?",
            right("No longer phoning their employer with an excuse"),
            right("No longer paying debts the behaviour has caused"),
            wrong(
                "Reminding them of every past mistake",
                "That is criticism, not a consequence, and it tends to start arguments.",
            ),
            wrong(
                "Threatening to leave unless they stop at once",
                "An ultimatum tries to control the other person; a boundary or a natural "
                "consequence does not.",
            ),
            scoring="partial",
            points=2,
            explanation="Stepping back from rescuing lets the loved one meet the consequences of "
            "the behaviour, but never at the cost of anyone's safety.",
        ),
        short_text(
            "craft",
            "Our Family & Friends meetings draw on an approach developed and studied by "
            "researchers to help family members communicate in ways that are more likely to be "
            "heard. What is it called? (Its five-letter abbreviation is fine.)",
            # One answer key for every language: the approach's Spanish name is accepted too.
            ["CRAFT", "Community Reinforcement and Family Training",
             "Community Reinforcement & Family Training",
             "Refuerzo Comunitario y Entrenamiento Familiar"],
            explanation="Community Reinforcement and Family Training (CRAFT).",
        ),
    ),
)

MODULE = Module(
    "Positive communication and boundaries",
    slug="communication-and-boundaries",
    intro="CRAFT-informed ways to talk, encourage change and set boundaries that protect the "
    "participant's own wellbeing.",
    items=[POSITIVE, REWARDS, BOUNDARIES, CHECK],
)
