"""Module 6 of the facilitator course: running a meeting."""
from ..markup import (
    Lesson, Module, Quiz, bullets, h2, h3, key, multiple, p, reflect, right, short_text, single,
    steps, tip, true_false, warning, wrong,
)

FORMAT = Lesson(
    "The shape of a meeting",
    slug="meeting-format",
    minutes=20,
    body=[
        p(
            "Meetings in our network follow a familiar shape, whether they are held in a "
            "community hall, a treatment centre or online. A predictable structure helps "
            "participants feel safe and lets newcomers settle in quickly. Most meetings last "
            "about ninety minutes.",
        ),
        h2("Opening"),
        p(
            "Start on time with a short welcome. Read the opening statement your meeting uses: "
            "a brief description of the network, the 4-Point Program and the meeting's "
            "guidelines, including confidentiality. If there are newcomers, explain in a minute "
            "how the meeting works and reassure them that they are welcome simply to listen.",
        ),
        h2("Check-in"),
        p(
            "Each participant who wishes to speaks briefly, often for a minute or two: how their "
            "week has gone, successes or difficulties, and anything they would like to work on "
            "today. Listen for themes that could shape the discussion, and keep check-ins short "
            "so there is time for the main work.",
        ),
        h2("The working part"),
        p(
            "This is the heart of the meeting, usually about forty-five minutes. The group works "
            "on one or two topics raised at check-in, using the tools of the 4-Point Program. "
            "The next lesson looks at how to choose them.",
        ),
        h2("Check-out"),
        p(
            "Close with a round in which each person says what they are taking away, or one "
            "thing they plan to do before the next meeting. Remind people when the next meeting "
            "is, thank everyone for coming, and end on time.",
        ),
        tip(
            "Prepare a one-page plan",
            "Keep the opening statement, the timings, a short list of tools and local support "
            "contacts on a single page. It keeps you calm when a meeting gets busy.",
        ),
        key(
            "Structure serves the group",
            "The format is a support, not a script. Adapt the timings to the size of the group, "
            "but keep the opening, check-in, working part and check-out in every meeting.",
        ),
        h3("Online meetings"),
        p(
            "Online, explain how to mute, use the chat and raise a hand, and agree how people "
            "will take turns. Ask participants to join from a private space if they can. Never "
            "record a meeting.",
        ),
        reflect(
            "Picture the first five minutes of a meeting you facilitate. What would you say to "
            "help a nervous newcomer feel welcome?"
        ),
    ],
)

AGENDA = Lesson(
    "Choosing the agenda and guiding discussion",
    slug="agenda-and-discussion",
    minutes=20,
    body=[
        p(
            "After check-in you usually have more possible topics than time. Choosing what to "
            "work on, and then guiding the discussion well, is the core skill of facilitation.",
        ),
        h2("Setting the agenda"),
        bullets(
            "A few principles help:",
            "Ask the group: “From what we've heard, what would be most useful to spend time on "
            "today?”",
            "Look for themes several people share, such as stress at work or an approaching "
            "holiday, so that more people benefit.",
            "Give priority to someone facing an immediate challenge, such as a difficult event "
            "in the next few days.",
            "Choose one or two topics and give them proper time, rather than touching on five.",
        ),
        h2("Matching tools to topics"),
        p(
            "Part of your role is to suggest a tool that fits. Someone torn about whether to "
            "change may benefit from a cost-benefit analysis; someone who acted on an urge "
            "after an argument might work through an ABC; someone who feels empty since "
            "stopping may explore lifestyle balance. Offer the tool, explain it briefly, and let "
            "the person decide whether to use it.",
        ),
        h2("Guiding the conversation"),
        bullets(
            "Helpful facilitator habits include:",
            "Open questions that invite thinking: “What did you notice?” “What might you try?”",
            "Reflective listening: summarising what you heard, so the person feels understood.",
            "Inviting others in: “Has anyone found something that helped with this?”",
            "Gently bringing the conversation back when it drifts.",
        ),
        tip(
            "Ask before advising",
            "If you have a suggestion, ask first: “Would it help if I shared an idea?” People "
            "are more open to ideas they have agreed to hear.",
        ),
        key(
            "The group does the work",
            "A good meeting is one where participants talk to, and learn from, each other. If "
            "you notice that you are speaking more than anyone else, step back.",
        ),
        reflect(
            "A participant says: “I did really well for three weeks and then blew it at my "
            "brother's birthday.” Which tool might you offer, and what open question would you "
            "ask first?"
        ),
    ],
)

DIFFICULT = Lesson(
    "Handling difficult moments",
    slug="difficult-moments",
    minutes=20,
    body=[
        p(
            "Most meetings run smoothly. Occasionally, though, something happens that needs the "
            "facilitator to step in. Calm, kind firmness is the aim: protect the group while "
            "respecting the person.",
        ),
        h2("Crosstalk"),
        p(
            "Crosstalk means interrupting, giving advice nobody asked for, or holding side "
            "conversations while someone is speaking. It can leave people feeling judged or "
            "unheard. Remind the group of the guideline lightly and without blame: “Let's give "
            "Sam the space to finish, and then we can hear other ideas.” If it continues, a "
            "quiet word at the break often works better than a public correction.",
        ),
        h2("One voice filling the room"),
        p(
            "Sometimes one participant talks at length, or returns to the same story every week. "
            "Acknowledge and summarise what they said, then open the floor: “Thank you. It "
            "sounds like this weekend was really hard. I'd like to hear from some others too.” "
            "Suggesting a time guide at check-in helps everyone.",
        ),
        h2("Disagreement and strong feelings"),
        p(
            "Participants may disagree about goals, methods or other support groups. Remind the "
            "group that everyone chooses their own path and that the meeting's focus is the "
            "4-Point tools. Tears or anger are not a problem in themselves: acknowledge them, "
            "allow a pause, and offer the person the choice to continue or take a break.",
        ),
        h2("Someone who seems intoxicated"),
        p(
            "A participant may arrive having used a substance. If they are calm and not "
            "disruptive, they may be able to stay and listen. If they are disruptive, speak to "
            "them privately and respectfully, and invite them to come back to a future meeting. "
            "Do not argue, lecture or diagnose.",
        ),
        warning(
            "Think about safety",
            "If the person seems very unwell or unable to look after themselves, call the local "
            "emergency number. Never let someone who seems intoxicated drive; help them find "
            "another way home if you can do so safely.",
        ),
        tip(
            "Agree a plan with your co-facilitator",
            "Decide in advance who will step out with a participant if needed, so that the "
            "meeting can continue.",
        ),
        reflect(
            "Which of these situations would you find hardest to handle, and what words could "
            "you practise in advance?"
        ),
    ],
)

CRISIS = Lesson(
    "Crisis, safety and confidentiality",
    slug="crisis-and-confidentiality",
    minutes=20,
    body=[
        p(
            "Facilitators are not crisis counsellors, but one day you may be the first person to "
            "hear that someone is in serious difficulty. Knowing what to do in advance makes it "
            "much easier to respond well.",
        ),
        h2("When someone is in crisis"),
        steps(
            "A participant may say that they are thinking of harming themselves or someone "
            "else, or that they are in danger. Take it seriously, every time:",
            "Stay calm and listen. Thank them for telling you.",
            "If there is immediate danger, call the local emergency number, or ask someone else "
            "to.",
            "If the danger is not immediate, talk with the person privately, ideally with a "
            "co-facilitator, and help them contact a crisis line, their doctor or another "
            "service they trust.",
            "Do not promise to keep a risk of serious harm secret.",
            "Afterwards, look after yourself and talk to your facilitator support contact.",
        ),
        tip(
            "Know your local numbers",
            "Before your first meeting, find the emergency number and at least one crisis line "
            "for your area. For online meetings, keep a list that covers the countries your "
            "participants join from.",
        ),
        h2("Confidentiality"),
        bullets(
            "Participants share difficult things because they trust that what is said in the "
            "meeting stays in the meeting. Protecting that trust is one of your most important "
            "duties:",
            "Do not repeat what participants say, or who attended, outside the meeting.",
            "Do not keep lists of participants' names or attendance. Our network keeps no "
            "permanent record of who attends meetings.",
            "Online, do not record meetings or take screenshots, and ask participants not to.",
            "If you meet a participant elsewhere, let them choose whether to acknowledge you.",
        ),
        key(
            "Safety comes first",
            "The one exception to confidentiality is a serious risk to someone's safety. "
            "Explain this limit in your opening statement so that no one is surprised by it.",
        ),
        warning(
            "Local rules still apply",
            "Laws and the rules of host organisations differ between countries. Treatment "
            "professionals also follow the duties of their profession and workplace.",
        ),
        reflect(
            "Where would you find the emergency and crisis contacts for your meeting, and how "
            "would you explain the limits of confidentiality to a newcomer?"
        ),
    ],
)

CHECK = Quiz(
    "Check your understanding: running a meeting",
    slug="meeting-check",
    intro="<p>Short scenarios from meetings: what would you do? Use it to "
    "see what to revisit before the final assessment.</p>",
    pass_mark=75,
    questions=(
        single(
            "late-newcomer",
            "What do you do?",
            right(
                "Welcome them briefly, say they are welcome simply to listen, and carry on "
                "with check-in",
                "Yes: a short, warm welcome, and no pressure to speak.",
            ),
            wrong(
                "Pause the meeting and ask them to introduce themselves and say why they came",
                "No one is pressured to speak, least of all a nervous newcomer.",
            ),
            wrong(
                "Ask them to come back next week, as the meeting has already started",
                "Newcomers are welcome whenever they arrive.",
            ),
            wrong(
                "Say nothing until the break, so as not to disturb the group",
                "A brief welcome takes seconds and helps a nervous person settle.",
            ),
            scenario="A newcomer arrives ten minutes late, looks nervous and sits near the door "
            "while check-in is under way.",
            explanation="Welcome newcomers and reassure them that listening is enough.",
        ),
        multiple(
            "crosstalk",
            "Which responses fit what the course suggests?",
            right("Lightly remind the group of the guideline on crosstalk, without blame"),
            right("If it carries on, have a quiet word at the break"),
            wrong(
                "Name the two participants in front of the group and tell them off",
                "A public correction can leave people feeling judged; keep it light.",
            ),
            wrong("End the meeting early", "Crosstalk calls for a reminder, not an ending."),
            scenario="During the working part, two participants start a side conversation, and "
            "one of them interrupts a share to give advice nobody asked for.",
            scoring="partial",
            points=2,
            explanation="Calm, kind firmness: a light reminder to the group first, and a quiet "
            "word in private if it continues.",
        ),
        true_false(
            "attendance",
            "To help with follow-up, a facilitator may keep a private list of who attended each "
            "meeting.",
            False,
            explanation="Our network keeps no permanent record of who attends meetings. Never "
            "keep lists of participants' names or attendance.",
        ),
        short_text(
            "check-out",
            "Every meeting has the same four parts: the opening, the check-in, the working "
            "part and the …",
            ["check-out", "checkout", "check out"],
            explanation="Check-out: each person says what they are taking away, or one thing "
            "they plan to do before the next meeting.",
        ),
    ),
)

MODULE = Module(
    "Running a meeting",
    slug="running-a-meeting",
    intro="The shape of a meeting, choosing an agenda and tools, guiding discussion, and "
    "handling difficult moments with calm and care.",
    items=[FORMAT, AGENDA, DIFFICULT, CRISIS, CHECK],
)
