"""Module 3 of the facilitator course: Point 2, coping with urges."""
from ..markup import (
    Lesson, Module, Quiz, bullets, h2, key, multiple, p, reflect, right, short_text, single, steps,
    tip, true_false, warning, worksheet, wrong,
)

UNDERSTANDING = Lesson(
    "Understanding urges and triggers",
    slug="understanding-urges",
    minutes=20,
    body=[
        p(
            "An urge is a strong wish to do something, often felt in the body as well as the "
            "mind. Urges are a normal part of changing any habit; having one does not mean that "
            "change is failing. Urges are uncomfortable, but they are not dangerous in "
            "themselves, and they pass.",
        ),
        h2("How urges behave"),
        p(
            "Urges tend to rise, reach a peak and then fade, often within minutes, like a wave. "
            "Each time a person rides out an urge without acting on it, the link between the "
            "trigger and the behaviour weakens a little. Over weeks and months, most people find "
            "that urges come less often and less strongly, although they can still appear "
            "unexpectedly.",
        ),
        warning(
            "Stopping safely",
            "Stopping some substances suddenly, such as alcohol or certain medicines, can be "
            "risky to health. Encourage participants who are cutting down or stopping to talk "
            "to a doctor or health service about doing so safely. This is general information, "
            "not medical advice.",
        ),
        h2("Triggers"),
        p(
            "A trigger is anything that sets off an urge. Triggers can be external, such as a "
            "place, a person, a time of day, payday or an advertisement. They can also be "
            "internal, such as stress, boredom, loneliness, anger or even celebration.",
        ),
        bullets(
            "Helping participants map their triggers often starts with three questions:",
            "When did you last have a strong urge? Where were you, and who were you with?",
            "What were you feeling and thinking just before it?",
            "Which triggers can you avoid for now, and which will you need to cope with?",
        ),
        tip(
            "Keep an urge log",
            "Suggest that participants note each urge for a week: the time, the trigger, how "
            "strong it was from 1 to 10, and what they did. Patterns appear quickly, and the log "
            "itself shows that urges fade.",
        ),
        worksheet("urge-log", "A simple table to keep on paper or in a spreadsheet."),
        h2("In the meeting"),
        p(
            "Participants may feel embarrassed about having urges, especially after a period "
            "of change. Normalise them: everyone in the room has urges of some kind. Treat a "
            "report of an urge as useful information to work with, not as a confession.",
        ),
        reflect(
            "What are the most common triggers for a habit you would like to change, and which "
            "of them are internal?"
        ),
    ],
)

TOOLS = Lesson(
    "Tools for urges: DISARM, delay and distract",
    slug="urge-tools",
    minutes=20,
    body=[
        p(
            "Knowing that urges pass is helpful; having something to do while they pass is "
            "even better. This lesson introduces practical tools participants can try. "
            "Encourage people to experiment and keep what works for them.",
        ),
        h2("DISARM: talking back to the urge"),
        p(
            "DISARM stands for Destructive Imagery and Self-talk Awareness and Refusal Method. "
            "Urges often come with persuasive inner voices: “Just this once.” “You deserve it.” "
            "“You've had a terrible day.” DISARM invites participants to notice these thoughts, "
            "recognise them as the urge speaking, and refuse them firmly.",
        ),
        bullets(
            "Some participants give the urge a name or a character, which makes it easier to "
            "separate from themselves. They can then answer it:",
            "“I hear you, and I'm not doing it.”",
            "“That's the urge talking. It will pass.”",
            "“I made my decision when I was thinking clearly.”",
        ),
        key(
            "You are not your urge",
            "An urge is an experience, not an instruction. Separating the urge from the person "
            "opens up room to choose.",
        ),
        h2("Delay and distract"),
        p(
            "Many urges lose their force if a person waits. Suggest committing to a short delay, "
            "such as fifteen minutes, and filling it with something that absorbs attention: a "
            "walk, a call to a supportive person, a shower, a puzzle, cooking or music. A list of "
            "distractions prepared in advance is much easier to use than one invented in the "
            "moment.",
        ),
        h2("Escape and avoid"),
        p(
            "Sometimes the simplest tool is to leave the situation, or to avoid the trigger for "
            "now. Leaving a party early or taking a different route home is not failure; it is "
            "skilful planning.",
        ),
        h2("Urge surfing"),
        p(
            "Instead of fighting the urge, a participant can observe it with curiosity: where it "
            "is felt in the body, how strong it is, how it changes from moment to moment. Like a "
            "surfer riding a wave, they stay with it until it subsides. Urge surfing takes "
            "practice; the optional lesson that follows offers a short script for a meeting.",
        ),
        tip(
            "Rehearse before it matters",
            "Invite participants to write down two or three tools they will use for their next "
            "strong urge, and where they will keep the list.",
        ),
        reflect(
            "Which of these tools would you be most likely to use yourself, and what would you "
            "say back to the urge's most persuasive voice?"
        ),
    ],
)

URGE_SURFING = Lesson(
    "Optional: guiding an urge-surfing practice",
    slug="urge-surfing-practice",
    minutes=10,
    required=False,
    body=[
        p(
            "This optional lesson offers a short script you can adapt to lead urge surfing in a "
            "meeting. Some facilitators like to guide it; others prefer to describe the "
            "technique and let participants try it at home. Both approaches are fine.",
        ),
        h2("Before you begin"),
        p(
            "Explain what will happen and that taking part is optional: anyone can keep their "
            "eyes open, look at the floor or simply listen. Never ask people to recall a "
            "behaviour in vivid detail, which can be distressing. A mild urge, or even a craving "
            "for a snack, is enough for practice.",
        ),
        h2("A sample script"),
        steps(
            None,
            "“Settle into your seat and notice your breathing for a few moments.”",
            "“Think of a recent urge, not the strongest one. Notice where you feel it in your "
            "body: perhaps your chest, stomach, hands or mouth.”",
            "“Describe the feeling to yourself. Is it warm or cold, tight or restless? How "
            "strong is it, from one to ten?”",
            "“Breathe into that area. You do not need to change anything; just watch.”",
            "“Notice how the feeling shifts. Urges are like waves: they rise, peak and fall.”",
            "“When you are ready, bring your attention back to the room.”",
        ),
        p(
            "Afterwards, ask open questions: “What did you notice?” “Did the strength change?” "
            "Accept every answer. Some people notice the urge fading; others find it hard to "
            "concentrate. Both are useful experiences.",
        ),
        warning(
            "Watch the room",
            "If a participant becomes distressed, stop the exercise gently, invite everyone to "
            "look around the room and name a few things they can see, and check in with the "
            "person privately afterwards.",
        ),
        tip(
            "Keep it short",
            "Three to five minutes is plenty for a first practice. A short exercise that feels "
            "safe is better than a long one that overwhelms.",
        ),
        reflect(
            "How would you explain urge surfing to a newcomer, in two or three sentences of "
            "your own?"
        ),
    ],
)

CHECK = Quiz(
    "Check your understanding: urges",
    slug="urges-check",
    intro="<p>Four questions on urges, triggers and the tools for coping with them. After each "
    "attempt you will see which answers were right, with a short explanation.</p>",
    pass_mark=75,
    questions=(
        true_false(
            "wave",
            "If a person does not act on an urge, it usually rises, reaches a peak and then "
            "fades, often within minutes.",
            True,
            explanation="Urges behave like waves. Each one ridden out weakens the link between "
            "trigger and behaviour a little.",
        ),
        single(
            "disarm",
            "What does DISARM help a participant do?",
            right(
                "Notice the urge's persuasive self-talk, and refuse it firmly",
                "Yes: “That's the urge talking. It will pass.”",
            ),
            wrong(
                "Avoid every possible trigger for good",
                "Avoiding some triggers for now can help, but that is a different tool, and not "
                "every trigger can be avoided.",
            ),
            wrong(
                "Recall past episodes of the behaviour in vivid detail",
                "Vivid recall can be distressing, and it is not part of DISARM.",
            ),
            wrong(
                "Give in to small urges so that big ones lose their force",
                "Acting on urges strengthens the habit; riding them out weakens it.",
            ),
            explanation="DISARM (Destructive Imagery and Self-talk Awareness and Refusal "
            "Method) separates the urge's voice from the person, so they can answer it.",
        ),
        multiple(
            "internal-triggers",
            "Which of these are internal triggers?",
            right("Boredom"),
            right("Loneliness"),
            right("Stress after a long day"),
            wrong("Payday", "Payday is an external trigger: a time or event."),
            wrong("Walking past a favourite bar", "A place is an external trigger."),
            scoring="partial",
            points=2,
            explanation="Internal triggers are feelings and states, such as stress, boredom, "
            "loneliness, anger or celebration; external ones are places, people, times and "
            "events.",
        ),
        short_text(
            "surfing",
            "A participant observes an urge with curiosity, noticing where it sits in the body "
            "and how it changes, until it subsides. What is this technique called?",
            ["urge surfing", "urge-surfing", "surfing the urge", "surfing"],
            explanation="Urge surfing: like a surfer riding a wave, the person stays with the "
            "urge until it passes.",
        ),
    ),
)

MODULE = Module(
    "Point 2: Coping with urges",
    slug="coping-with-urges",
    intro="What urges are, how triggers work, and practical tools participants can use while "
    "an urge passes.",
    items=[UNDERSTANDING, TOOLS, URGE_SURFING, CHECK],
)
