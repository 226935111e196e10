"""The facilitator course's final assessment and its question bank, "Meeting situations".

Each attempt draws five of the bank's eight meeting situations at random and adds one
written response that a member of the training team marks against a rubric. The
situations describe made-up meetings: no real people, and nothing that could identify
anyone who attends a meeting.
"""
from ..markup import QuestionBank, Quiz, multiple, right, single, true_false, written, wrong

MEETING_SITUATIONS = QuestionBank(
    "Meeting situations",
    description="Short scenarios from meetings, for the facilitator course's final assessment. "
    "Each is worth 2 points; the assessment draws five of them at random.",
    questions=(
        single(
            "late-newcomer",
            "What is the most welcoming response?",
            right(
                "Greet them briefly, let them know they are welcome simply to listen, and offer "
                "them a moment to check in if they would like to",
                "Yes: warm, brief, and no pressure to speak.",
            ),
            wrong(
                "Ask them to describe their addictive behaviour, so the group knows how to help",
                "No one is asked to share, and a newcomer least of all. Listening is enough.",
            ),
            wrong(
                "Explain that the meeting has started and they are welcome next week",
                "Newcomers are welcome whenever they arrive.",
            ),
            wrong(
                "At the end, ask for their full name and phone number for your records",
                "We keep no record of who attends meetings, and never ask for one.",
            ),
            scenario="A newcomer arrives late and sits at the back without taking off their "
            "coat. Check-in is nearly over.",
            explanation="A predictable, gentle welcome helps newcomers settle. Nobody is "
            "pressured to speak, and nobody's details are recorded.",
            points=2,
        ),
        single(
            "calm-intoxicated",
            "What do you do?",
            right(
                "Let them stay and listen while they are calm, and keep an eye on how they are",
                "Yes: a calm person who is not disrupting the meeting may stay and listen.",
            ),
            wrong(
                "Ask them to leave straight away",
                "Not needed while they are calm and quiet; they may benefit from listening.",
            ),
            wrong(
                "Tell the group what you have noticed, so that everyone is aware",
                "That would embarrass them in front of the group. Any conversation is private.",
            ),
            wrong(
                "Ask them how much they have had to drink",
                "Facilitators do not question, lecture or diagnose.",
            ),
            scenario="A participant arrives smelling strongly of alcohol. They are calm and "
            "quiet, and say they would like to stay and listen.",
            explanation="Someone who seems intoxicated but is calm and not disruptive may be "
            "able to stay and listen. Watch for safety, and never let them drive home.",
            points=2,
        ),
        single(
            "disruptive",
            "What is the best response?",
            right(
                "Speak with them privately and respectfully, invite them to a future meeting, "
                "and make sure they have a safe way home",
                "Yes: protect the group while respecting the person.",
            ),
            wrong(
                "Challenge them in front of the group until they admit they have been drinking",
                "Arguing and public confrontation help no one. Speak privately.",
            ),
            wrong(
                "Carry on as if nothing is happening",
                "The group needs the facilitator to step in, calmly and kindly.",
            ),
            wrong(
                "Let them drive home if they promise to take it slowly",
                "Never let someone who seems intoxicated drive. Help them find another way home.",
            ),
            scenario="Midway through the working part, a participant becomes loud and keeps "
            "interrupting. They seem intoxicated, and others look uncomfortable.",
            explanation="Calm, kind firmness: a private word, an invitation to come back, and "
            "attention to their safety, including how they get home.",
            points=2,
        ),
        single(
            "crisis",
            "What do you do?",
            right(
                "Thank them, take it seriously, talk with them privately (ideally with your "
                "co-facilitator), explain that you cannot keep a risk of serious harm secret, "
                "and help them reach a crisis line, or call emergency services if the danger "
                "is immediate",
                "Yes. Safety is the one limit on confidentiality.",
            ),
            wrong(
                "Promise to keep it between the two of you, so that they keep trusting you",
                "Never promise to keep a risk of serious harm secret.",
            ),
            wrong(
                "Suggest they work through a cost-benefit analysis of it at home",
                "A crisis needs support now, not a worksheet.",
            ),
            wrong(
                "Move on quickly to protect the rest of the group",
                "Take it seriously, every time. A private conversation protects both the person "
                "and the group.",
            ),
            scenario="At check-in, a participant says quietly that they have been thinking "
            "about ending their life, and asks you not to tell anyone.",
            explanation="Stay calm, listen, and help the person reach the right service. Know "
            "your local emergency number and crisis lines before your first meeting. "
            "Afterwards, look after yourself and talk to your facilitator support contact.",
            points=2,
        ),
        multiple(
            "long-share",
            "Which of these fit the course's advice?",
            right("Thank them, and summarise what you heard"),
            right("Open the floor: “I'd like to hear from some others too.”"),
            right("Suggest a time guide for shares at the next check-in"),
            wrong(
                "Tell them their story is taking too long",
                "Acknowledge before you open the floor; bluntness can shut a person down.",
            ),
            wrong(
                "Let them carry on: interrupting a share is never allowed",
                "Gently making room for others is part of the role.",
            ),
            scenario="One participant has spoken for fifteen minutes about the same difficult "
            "weekend they described last week. Several others have not spoken yet.",
            explanation="Acknowledge and summarise, then invite others in. A time guide at "
            "check-in helps everyone.",
            scoring="partial",
            points=2,
        ),
        single(
            "other-programme",
            "How do you respond?",
            right(
                "Acknowledge their view, remind the group that everyone chooses their own path, "
                "and bring the focus back to the 4-Point tools",
                "Yes: respect their choice, and keep the meeting on its purpose.",
            ),
            wrong(
                "Explain why the other programme does not work",
                "We respect other forms of support and do not compete with them.",
            ),
            wrong(
                "Ask them not to come back",
                "Disagreement is not a reason to exclude anyone.",
            ),
            wrong(
                "Ask the group to vote on which approach is best",
                "Each person chooses their own path; it is not a matter for a vote.",
            ),
            scenario="A participant tells the group that another mutual-help programme is the "
            "only one that really works, and that the 4-Point tools are a waste of time.",
            explanation="Participants may use any support alongside our meetings. The meeting's "
            "focus stays on the 4-Point tools.",
            points=2,
        ),
        true_false(
            "recording",
            "It is fine to record an online meeting for a participant who asks, as long as the "
            "recording is deleted afterwards.",
            False,
            scenario="After an online meeting, a participant who joined late asks whether you "
            "could send them a recording of the first half.",
            explanation="Never record a meeting or take screenshots, and ask participants not "
            "to. What is said in the meeting stays in the meeting.",
            points=2,
        ),
        multiple(
            "lapse",
            "Which responses fit the 4-Point approach?",
            right("Treat the lapse as information: ask what led to it and what could help next time"),
            right("Offer to look at the belief “I'm useless” with the ABC model"),
            wrong(
                "Agree that three weeks does not count for much",
                "Three weeks of change is real progress; a lapse does not erase it.",
            ),
            wrong(
                "Advise them to stay away from family events from now on",
                "The choice of tools is theirs; a facilitator suggests, and does not prescribe.",
            ),
            scenario="A participant says: “I did really well for three weeks, then blew it at "
            "my brother's birthday. I'm useless.”",
            explanation="A lapse is common and a source of learning. Rating the action, not the "
            "whole person, helps: “That was a setback”, not “I'm useless”.",
            points=2,
        ),
    ),
)

FINAL = Quiz(
    "Final assessment",
    slug="final-assessment",
    intro="<p>The final assessment covers the whole course: the facilitator's role, the tools "
    "of the 4-Point Program and running a meeting. It opens with one written response, which "
    "a member of the training team reads and marks, usually within a few days. Then come five "
    "short meeting situations, drawn from a larger set, so each attempt is a little different.</p>"
    "<p>Take it when you have completed the lessons and module checks. If you do not pass, "
    "take a short break and look back over the course before trying again. You will see the "
    "right answers, with explanations, once you have passed.</p>",
    questions=(
        written(
            "handling-a-meeting",
            "Describe what you would say and do, from that moment until the end of the "
            "meeting, and why. A few sentences are enough.",
            ("Welcomes the newcomer and keeps the focus on their own choices, without labels "
             "or lectures", 2),
            ("Handles the other participant's advice calmly, without blame, using the "
             "meeting's guideline on crosstalk", 2),
            ("Takes the worry about tonight seriously: a private word after check-in, and help "
             "to reach suitable support", 2),
            min_length=150,
            scenario="A newcomer arrives late and joins the check-in. They say they used "
            "earlier today, feel ashamed, and are worried about going home tonight. Before "
            "you can respond, a regular participant says: “You just have to stop. It's that "
            "simple.”",
            explanation="A strong answer welcomes the newcomer warmly and without labels, "
            "gently reminds the group that advice waits until it is asked for, offers the "
            "newcomer a private conversation, and helps them find support for tonight (a "
            "crisis line, or emergency services if they are in danger).",
        ),
    ),
    bank=MEETING_SITUATIONS,
    draw_count=5,
    pass_mark=80,
    attempts_allowed=3,
    wait_minutes=10,
    time_limit_minutes=30,
    feedback="once_passed",
    shuffle_options=True,
)
