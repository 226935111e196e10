"""Module 4 of the facilitator course: Point 3, managing thoughts, feelings and behaviours."""
from ..markup import (
    Lesson, Module, Quiz, bullets, h2, key, multiple, p, reflect, right, single, tip, true_false,
    warning, wrong,
)

ABC = Lesson(
    "The ABC model",
    slug="abc-model",
    minutes=20,
    body=[
        p(
            "Point 3 draws on rational emotive behaviour therapy (REBT), developed by the "
            "psychologist Albert Ellis. Its central idea is simple and powerful: it is not only "
            "events that upset us, but also what we believe about them.",
        ),
        h2("A, B and C"),
        bullets(
            None,
            "<strong>A is the activating event</strong>: something that happens, or something "
            "we think about. For example, a friend cancels plans at the last minute.",
            "<strong>B is the belief</strong>: what we tell ourselves about A. For example, "
            "“She doesn't care about me. Nobody ever does.”",
            "<strong>C is the consequence</strong>: how we feel and what we do. For example, "
            "feeling hurt and worthless, and turning to the addictive behaviour to numb the "
            "feeling.",
        ),
        p(
            "Most people assume that A causes C directly: “She cancelled, so I drank.” The ABC "
            "model shows the belief in the middle. Another person, holding a different belief "
            "(“She must be exhausted; I'll suggest another day”), might feel disappointed but get "
            "through the evening without much difficulty.",
        ),
        key(
            "The belief is the lever",
            "We often cannot change the activating event, but we can learn to notice and "
            "question our beliefs about it. That is where participants gain room to choose how "
            "they respond.",
        ),
        h2("Healthy and unhealthy emotions"),
        p(
            "REBT does not ask people to feel nothing, or to pretend that bad events are good. "
            "Disappointment, sadness and concern are healthy responses to real difficulties. "
            "The aim is to reduce the extreme, self-defeating emotions, such as rage, despair or "
            "shame, that tend to drive harmful behaviour.",
        ),
        h2("Using the ABC in a meeting"),
        p(
            "Invite a participant to describe a recent situation in which they acted on an urge "
            "or felt overwhelmed. Write A, B and C on a whiteboard or shared screen and fill "
            "them in together, starting with A and C, which are usually easiest to see. Then "
            "look for B. Keep the tone curious and kind: the aim is understanding, not blame.",
        ),
        tip(
            "Start with C",
            "People usually notice the feeling or the behaviour first. Asking “What was going "
            "through your mind just before that?” is a gentle route to the belief.",
        ),
        reflect(
            "Think of a recent time you were upset. What was the A, what was the C, and what "
            "might the B have been?"
        ),
    ],
)

DISPUTING = Lesson(
    "Disputing unhelpful beliefs",
    slug="disputing-beliefs",
    minutes=20,
    body=[
        p(
            "Once a belief is visible, it can be examined. In REBT this step is called disputing "
            "(D), and it leads to an effective new belief (E). Disputing does not mean arguing "
            "with a participant; it means helping them question their own thinking.",
        ),
        h2("Spotting irrational beliefs"),
        bullets(
            "The beliefs that cause most trouble are rigid or extreme. Common patterns include:",
            "<strong>Demands</strong>: “I must succeed”, “People should treat me fairly”, "
            "“Life must be easy”.",
            "<strong>Awfulising</strong>: “It would be terrible if…”, “That would be the end "
            "of the world”.",
            "<strong>Low frustration tolerance</strong>: “I can't stand feeling like this”.",
            "<strong>Rating whole people</strong>: “I'm a failure”, “He's worthless”.",
        ),
        h2("Three disputing questions"),
        bullets(
            "Participants can test a belief with questions like these:",
            "<strong>Is it true?</strong> What is the evidence for and against it?",
            "<strong>Is it logical?</strong> Does it follow that because I want something, I "
            "must have it?",
            "<strong>Is it helpful?</strong> Does holding this belief help me reach my goals, "
            "or get in the way?",
        ),
        h2("Finding an effective belief"),
        p(
            "The new belief is usually a flexible preference rather than a demand: “I'd really "
            "like my friend to keep our plans, and I'm disappointed she didn't. I can cope with "
            "an evening on my own.” It should be something the person can actually believe, not "
            "a forced positive slogan.",
        ),
        key(
            "Preferences, not demands",
            "Changing “must” to “would prefer” is a small shift in words and a large shift in "
            "feeling. Participants often notice the difference straight away.",
        ),
        warning(
            "Dispute beliefs, never people",
            "Keep the focus on the thought, and let the participant do the questioning. "
            "Pointing out someone's “irrational” thinking in front of the group can feel like "
            "an attack and shut them down.",
        ),
        h2("In practice"),
        p(
            "Work through one example with the whole group before asking people to try their "
            "own. Remind participants that new beliefs feel unfamiliar at first. Like any skill, "
            "disputing becomes easier with practice, and writing it down helps.",
        ),
        reflect(
            "Take the belief you found in the previous lesson. Which disputing question "
            "challenges it most, and what might a more helpful belief sound like?"
        ),
    ],
)

SELF_ACCEPTANCE = Lesson(
    "Optional: unconditional self-acceptance",
    slug="self-acceptance",
    minutes=10,
    required=False,
    body=[
        p(
            "Many participants carry a heavy load of shame about past behaviour. REBT offers an "
            "idea that can lighten it: unconditional self-acceptance. This optional lesson "
            "introduces it so that you can recognise it when it comes up in meetings.",
        ),
        h2("Rating actions, not the person"),
        p(
            "Unconditional self-acceptance means accepting yourself as a fallible human being, "
            "whatever you have done. It does not mean approving of every action. A person can "
            "say “I did something harmful, and I want to make it right” without concluding “so "
            "I am a bad person”. Actions can be rated; a whole person is too complex to sum up "
            "in a single verdict.",
            "The difference matters. Shame (“I am worthless”) tends to feed addictive "
            "behaviour, while regret about a specific action (“That was a mistake”) can "
            "motivate change.",
        ),
        h2("Accepting others and life"),
        p(
            "REBT pairs self-acceptance with unconditional acceptance of other people, who are "
            "fallible too, and of life, which is sometimes unfair and difficult and still "
            "bearable. These ideas can help participants let go of resentments that act as "
            "triggers.",
        ),
        key(
            "Fallible, like everyone",
            "A phrase some participants find useful: “I am a fallible human being who sometimes "
            "behaves well and sometimes behaves badly, like everyone else.”",
        ),
        tip(
            "Model it yourself",
            "When you make a mistake as a facilitator, such as mixing up a name or running over "
            "time, acknowledge it lightly and move on. It shows the group what self-acceptance "
            "looks like.",
        ),
        reflect(
            "When you make a mistake, what do you tell yourself about it? How might you say the "
            "same thing with self-acceptance?"
        ),
    ],
)

CHECK = Quiz(
    "Check your understanding: thoughts, feelings and behaviours",
    slug="thoughts-check",
    intro="<p>Four questions on the ABC model and disputing. After each attempt you will see "
    "which answers were right, with a short explanation.</p>",
    pass_mark=75,
    questions=(
        single(
            "b",
            "In the ABC model, what does B stand for?",
            right("The belief: what we tell ourselves about the event"),
            wrong(
                "The behaviour that follows the event",
                "What we feel and do is C, the consequence.",
            ),
            wrong("The barrier that stands in the way of change"),
            wrong(
                "The benefits of the addictive behaviour",
                "Benefits belong to the cost-benefit analysis of Point 1.",
            ),
            explanation="A is the activating event, B the belief about it, C the consequence. "
            "The belief in the middle is where participants gain room to choose.",
        ),
        multiple(
            "disputing",
            "Which of these are questions for disputing a belief?",
            right("Is it true?"),
            right("Is it logical?"),
            right("Is it helpful?"),
            wrong(
                "Who is to blame for it?",
                "Disputing examines the thought, never the person, and looks for no one to blame.",
            ),
            wrong(
                "Would the rest of the group agree with it?",
                "The participant does the questioning; it is not put to a vote.",
            ),
            points=2,
            explanation="Is it true? Is it logical? Is it helpful? The participant tests their "
            "own belief with these questions.",
        ),
        true_false(
            "no-feelings",
            "The aim of REBT is for participants to feel nothing when something bad happens.",
            False,
            explanation="Disappointment, sadness and concern are healthy responses to real "
            "difficulties. The aim is to reduce extreme, self-defeating emotions such as rage, "
            "despair or shame.",
        ),
        single(
            "effective-belief",
            "Which would be a more effective belief for them?",
            right(
                "“I'd prefer not to make mistakes. When I do, I can learn from them; a mistake "
                "doesn't make me a failure.”",
                "Yes: a flexible preference the person can actually believe.",
            ),
            wrong(
                "“I will never make a mistake again.”",
                "That is still a demand, and an impossible one.",
            ),
            wrong(
                "“Mistakes don't matter at all.”",
                "Hard to believe: an effective belief is not a forced positive slogan.",
            ),
            wrong(
                "“Everyone at work makes more mistakes than I do.”",
                "This still rates whole people, only pointed at others.",
            ),
            scenario="A participant says: “I must never make a mistake at work. If I do, I'm a "
            "complete failure.”",
            explanation="Turning a demand (“I must”) into a preference (“I'd prefer”), and "
            "rating the action rather than the person, is the shift disputing aims for.",
        ),
    ),
)

MODULE = Module(
    "Point 3: Managing thoughts, feelings and behaviours",
    slug="thoughts-feelings-behaviours",
    intro="The ABC model from REBT, how to dispute unhelpful beliefs, and (optionally) the "
    "idea of unconditional self-acceptance.",
    items=[ABC, DISPUTING, SELF_ACCEPTANCE, CHECK],
)
