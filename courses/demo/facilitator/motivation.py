"""Module 2 of the facilitator course: Point 1, building and maintaining motivation."""
from ..markup import (
    Lesson, Module, Quiz, bullets, h2, h3, key, multiple, p, reflect, right, short_text, single,
    steps, tip, true_false, warning, worksheet, wrong,
)

AMBIVALENCE = Lesson(
    "Understanding motivation and ambivalence",
    slug="motivation-and-ambivalence",
    minutes=20,
    body=[
        p(
            "Motivation is not something a person either has or lacks. It changes from day to "
            "day, and even from hour to hour. Someone can feel determined to change on Monday "
            "morning and wonder why they bothered by Friday night. Facilitators who understand "
            "this are less likely to be surprised by it, and better able to help.",
        ),
        h2("Ambivalence is normal"),
        p(
            "Most people feel two ways about an addictive behaviour. It has real benefits for "
            "them, such as relief, pleasure, a way to cope or a social life, as well as costs. "
            "Feeling pulled in two directions is called ambivalence. It is a normal part of "
            "change, not a sign of weakness or a lack of commitment.",
            "When a participant says “part of me wants to stop, but…”, they are showing you both "
            "sides. Listen to both. If you argue only for change, the person often finds "
            "themselves defending the other side, and talks themselves out of it.",
        ),
        h2("Stages of change"),
        p(
            "Many people find it helpful to think of change as moving through stages: not yet "
            "considering change, thinking about it, preparing, taking action, and maintaining "
            "the change over time. People move back and forth between the stages, and a lapse "
            "does not erase what someone has learned. In a single meeting you may have "
            "participants at every stage.",
        ),
        key(
            "Meet people where they are",
            "Ask what the person wants, not what you think they should want. Someone who is "
            "still deciding needs room to weigh things up; someone taking action may want "
            "practical tools for the week ahead.",
        ),
        h2("Helping motivation grow"),
        bullets(
            "A few facilitator habits support motivation:",
            "Ask open questions: “What would be different if you made this change?”",
            "Reflect back what you hear, including the reasons for change the person gives.",
            "Notice and affirm effort and strengths, not only results.",
            "Avoid lectures, warnings and arguments; they tend to increase resistance.",
        ),
        tip(
            "Listen for change talk",
            "When participants talk about their own reasons, ability or plans to change, invite "
            "them to say more. People are more persuaded by what they hear themselves say than "
            "by anything we tell them.",
        ),
        reflect(
            "Think of a change you made, or tried to make. How did your motivation rise and fall "
            "along the way, and what kept you going?"
        ),
    ],
)

COST_BENEFIT = Lesson(
    "The cost-benefit analysis",
    slug="cost-benefit-analysis",
    minutes=20,
    body=[
        p(
            "The cost-benefit analysis (CBA) is one of the most widely used tools in our "
            "meetings. It helps a participant look honestly at an addictive behaviour and at the "
            "change they are considering, so that their decision rests on their own reasons.",
        ),
        h2("How it works"),
        bullets(
            "The worksheet has four boxes. The participant lists:",
            "the benefits of the behaviour: what they get from it;",
            "the costs of the behaviour: what it takes from them;",
            "the benefits of changing or stopping;",
            "the costs of changing or stopping: what they would lose or find hard.",
        ),
        p(
            "Listing the benefits of the behaviour often surprises people, yet it matters. If "
            "someone drinks to feel at ease with others, that need does not disappear when they "
            "stop, and they will need another way to meet it. Being honest about benefits makes "
            "the analysis believable.",
        ),
        h3("Short term and long term"),
        p(
            "Participants can then mark each item as short term (S) or long term (L). Many "
            "benefits of an addictive behaviour are immediate, while its costs build up over "
            "time. Seeing this pattern on paper often explains why a decision made in the moment "
            "differs from the one the person makes when thinking calmly.",
        ),
        worksheet(
            "cost-benefit",
            "A four-box worksheet to print or fill in on screen. Keep your answers private.",
        ),
        h2("Using the CBA in a meeting"),
        p(
            "Introduce the tool briefly, then build an example together as a group, or give "
            "people a few minutes to make a start on their own. Afterwards, ask what stood out "
            "for them. Participants never need to share what they wrote.",
        ),
        tip(
            "Revisit it",
            "A CBA is not a one-off. Suggest that participants keep theirs and read it when "
            "motivation dips or an urge arrives. The items often change as life changes.",
        ),
        warning(
            "It is their analysis",
            "Resist the temptation to add costs to someone's list or to argue with their "
            "benefits. The tool works because the conclusions are the participant's own.",
        ),
        reflect(
            "Choose a habit of your own. What is one benefit of keeping it, and one benefit of "
            "changing it, that you had not put into words before?"
        ),
    ],
)

VALUES = Lesson(
    "Values: the why behind change",
    slug="values",
    minutes=15,
    body=[
        p(
            "Motivation lasts longer when it is connected to what a person cares about most. A "
            "cost-benefit analysis shows the trade-offs; values explain why the trade-offs "
            "matter.",
        ),
        h2("What are values?"),
        p(
            "Values are the qualities a person wants their life to stand for: being a reliable "
            "parent, being honest, staying healthy, creating things, belonging to a community, "
            "being free to choose. Values are not goals to tick off; they are directions to keep "
            "moving in. Every person's list is different, and there are no right answers.",
        ),
        h2("Noticing the gap"),
        p(
            "Addictive behaviours often pull people away from their values. A person who values "
            "being present for their children may notice that their evenings are organised "
            "around the behaviour. Noticing this gap, without shame, can be a powerful source "
            "of motivation. The aim is not to make people feel bad, but to help them see what "
            "they are working towards.",
        ),
        key(
            "Values, not rules",
            "Changes that come from a person's own values tend to last longer than changes made "
            "to please someone else or to follow a rule.",
        ),
        h2("A simple values exercise"),
        steps(
            "You can guide the group through a short exercise:",
            "Ask each person to write down the five things that matter most in their life.",
            "Ask them to rank the five, if they can.",
            "Ask: “How does the behaviour you want to change fit with these?”",
            "Ask: “What is one small step this week that would move you closer to the first "
            "item on your list?”",
        ),
        p(
            "Leave time afterwards for anyone who wants to share. Some people find ranking their "
            "values difficult or emotional; that is fine, and useful information for them. "
            "Module 5 returns to values as a tool for planning a balanced life.",
        ),
        tip(
            "Keep steps small",
            "When a participant chooses a step, help them make it specific and realistic: “call "
            "my sister on Sunday” is easier to act on than “be a better sibling”.",
        ),
        reflect(
            "What are the three things that matter most to you right now, and how does the way "
            "you spend an ordinary week reflect them?"
        ),
    ],
)

CHECK = Quiz(
    "Check your understanding: motivation",
    slug="motivation-check",
    intro="<p>A few questions on ambivalence, the cost-benefit analysis and values. Use it to "
    "see what to revisit before the final assessment.</p>",
    pass_mark=75,
    questions=(
        single(
            "ambivalence",
            "What is the most helpful way to respond?",
            right(
                "Reflect both sides back, and ask what makes the change important to them",
                "Yes. Listening to both sides lets the person hear their own reasons for change.",
            ),
            wrong(
                "Explain the harm gambling is doing, so they can see they must stop",
                "Arguing for change tends to make people defend the other side, and talk "
                "themselves out of it.",
            ),
            wrong(
                "Suggest they come back when they are fully committed",
                "Ambivalence is a normal part of change. The meeting welcomes people who are "
                "still deciding.",
            ),
            wrong(
                "Move on quickly: mixed feelings show a lack of commitment",
                "Feeling two ways is normal, not a sign of weakness. It is worth exploring.",
            ),
            scenario="At check-in a participant says: “Part of me really wants to stop "
            "gambling, but part of me thinks it's the only fun I have left.”",
            explanation="Ambivalence is normal. Reflecting both sides and inviting the "
            "person's own reasons supports motivation better than a lecture.",
        ),
        multiple(
            "cba-boxes",
            "Which of these are boxes of the cost-benefit analysis?",
            right("The benefits of the behaviour"),
            right("The costs of the behaviour"),
            right("The benefits of changing or stopping"),
            right(
                "The costs of changing or stopping",
                "Yes: being honest about what change will cost makes the analysis believable.",
            ),
            wrong(
                "The reasons other people want them to change",
                "The analysis rests on the participant's own reasons, not on anyone else's.",
            ),
            points=2,
            explanation="Four boxes: the benefits and costs of the behaviour, and the benefits "
            "and costs of changing it.",
        ),
        true_false(
            "honest-benefits",
            "When a participant lists benefits of their addictive behaviour, the facilitator "
            "should point out that those benefits are not real.",
            False,
            explanation="The benefits are real to the person, and the needs behind them will "
            "need meeting another way. It is their analysis: resist arguing with it.",
        ),
        short_text(
            "long-term",
            "Participants can mark each item of their cost-benefit analysis as short term or "
            "long term. Which letter marks a long-term item?",
            ["L", "long term", "long-term"],
            explanation="S for short term, L for long term. Many benefits of a behaviour are "
            "immediate, while its costs build up over time.",
        ),
    ),
)

MODULE = Module(
    "Point 1: Building and maintaining motivation",
    slug="building-motivation",
    intro="Why motivation rises and falls, and two tools that help participants connect change "
    "to what matters to them: the cost-benefit analysis and values.",
    items=[AMBIVALENCE, COST_BENEFIT, VALUES, CHECK],
)
