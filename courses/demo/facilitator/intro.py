"""Module 1 of the facilitator course: welcome, our approach, the facilitator's role."""
from ..markup import (
    Lesson, Module, Quiz, bullets, h2, key, multiple, p, reflect, right, short_text, single, tip,
    true_false, warning, wrong,
)

WELCOME = Lesson(
    "Welcome and how this course works",
    slug="welcome",
    minutes=15,
    body=[
        h2("Welcome"),
        p(
            "Thank you for choosing to train as a facilitator. Meetings in our network are run "
            "by volunteers, many of them people who have changed their own addictive behaviour, "
            "and by treatment professionals who host meetings where they work. Whatever brings "
            "you here, you bring something valuable: the willingness to hold a space where "
            "people can help themselves and each other.",
            "This course prepares you to facilitate mutual-help meetings that follow the "
            "4-Point Program. It will not turn you into a counsellor, and it does not expect you "
            "to have all the answers. It helps you understand the tools participants use, and "
            "how to guide a group conversation so that everyone can take part.",
        ),
        h2("How the course is organised"),
        bullets(
            "The course has six modules:",
            "An introduction to our approach and to the facilitator's role.",
            "One module for each point of the 4-Point Program: building and maintaining "
            "motivation; coping with urges; managing thoughts, feelings and behaviours; and "
            "living a balanced life.",
            "A practical module on running a meeting, from the opening words to the check-out, "
            "including the difficult moments.",
        ),
        p(
            "Lessons open in order: you complete one to unlock the next. A few lessons are "
            "marked optional; they add depth but you do not need them to finish. Each module "
            "ends with a short check of your understanding, which you pass to open the next "
            "module, and a final assessment closes the course. Expect to spend about eight hours "
            "in total, at whatever pace suits your life.",
        ),
        key(
            "Learn by doing",
            "The tools in this course work best when you try them on something in your own "
            "life. You do not need to have had an addictive behaviour to do that: everybody has "
            "habits they would like to change, urges they give in to and thoughts that get in "
            "their way.",
        ),
        h2("Your reflections are private"),
        p(
            "Most lessons end with a reflection question, with a box to type an answer. Only you "
            "can see what you write: trainers do not read it, and it is never part of your "
            "assessment. Writing a few lines helps you remember, and gives you examples to draw "
            "on when you facilitate.",
        ),
        tip(
            "Take breaks",
            "Your progress is saved as you go. If a lesson brings up something painful, it is "
            "fine to stop, look after yourself and come back later.",
        ),
        reflect(
            "What made you want to become a facilitator, and what do you hope participants will "
            "feel when they leave one of your meetings?"
        ),
    ],
)

APPROACH = Lesson(
    "Our approach: self-empowerment, science and choice",
    slug="our-approach",
    minutes=15,
    body=[
        h2("Self-empowerment"),
        p(
            "Our network is built on the idea that people can learn to manage their own "
            "behaviour. Participants are not powerless, and they are not broken. They are people "
            "who have developed a habit that now costs them more than it gives them, and who can "
            "learn skills to change it. The meeting's job is to help them find and strengthen "
            "those skills.",
            "That belief shapes how facilitators talk. We speak about “addictive behaviours” "
            "rather than calling people “addicts”; labels can make change feel impossible and "
            "push people away. Participants may describe themselves however they like, but a "
            "facilitator never puts a label on anyone.",
        ),
        h2("Informed by science"),
        p(
            "The tools of the 4-Point Program come from approaches that have been studied and "
            "refined over decades, above all cognitive-behavioural therapy (CBT), rational "
            "emotive behaviour therapy (REBT) and motivational interviewing. As research "
            "develops, the tools develop too. Being science-informed also means staying humble: "
            "no single method works for everyone, and a facilitator never promises results.",
        ),
        h2("Choice"),
        bullets(
            "Choice runs through everything we do:",
            "Participants choose their own goals. Some aim to stop a behaviour completely; "
            "others are still deciding. The meeting welcomes both.",
            "Participants choose which tools to try. A facilitator suggests and explains, but "
            "does not prescribe.",
            "Participants may use other support alongside our meetings: treatment, medication "
            "prescribed by a doctor, faith communities or other mutual-help groups. We respect "
            "those choices and do not compete with them.",
        ),
        key(
            "Respect for the person",
            "You can disagree with what someone plans to do and still respect their right to "
            "decide. Our role is to help people think clearly about their choices, not to make "
            "the choices for them.",
        ),
        h2("Mutual help"),
        p(
            "Meetings are led by peers. The facilitator is a guide, not a guru, and participants "
            "often learn as much from each other as from any worksheet. Your task is to create "
            "the conditions in which that exchange can happen safely.",
        ),
        reflect(
            "Think of a time someone helped you change something without telling you what to "
            "do. What did they do that worked?"
        ),
    ],
)

ROLE = Lesson(
    "The facilitator's role",
    slug="facilitator-role",
    minutes=15,
    body=[
        p(
            "A facilitator makes a meeting easier to take part in. You open and close the "
            "meeting, keep time, invite people to speak, introduce tools, and keep the "
            "conversation focused and respectful. You share the group's commitment to learning "
            "and change, but you hold the structure so that others can do the work.",
        ),
        h2("What a facilitator is not"),
        bullets(
            "It helps to be clear about what the role does not include:",
            "<strong>Not a therapist.</strong> Treatment professionals step out of the "
            "therapist role when they facilitate. Facilitators do not diagnose, assess, treat "
            "or give clinical advice, and meetings are not therapy sessions.",
            "<strong>Not a sponsor.</strong> Some other mutual-help groups pair newer members "
            "with a sponsor who guides them personally. Our meetings do not use sponsors: "
            "participants support one another within the meeting and choose for themselves "
            "whom to stay in touch with.",
            "<strong>Not an expert on anyone's life.</strong> Participants are the experts on "
            "their own experience. You bring curiosity and tools, not verdicts.",
        ),
        h2("What a facilitator does"),
        bullets(
            None,
            "Welcomes newcomers and explains how the meeting works.",
            "Keeps the meeting focused on the 4-Point Program and its tools.",
            "Uses open questions and reflective listening to help participants think things "
            "through.",
            "Makes sure everyone who wants to speak has the chance, and that no one is "
            "pressured to.",
            "Protects confidentiality and the safety of the group.",
            "Knows where to point people for help that a meeting cannot give, such as medical "
            "care or crisis support.",
        ),
        warning(
            "Know your limits",
            "If someone needs more than a meeting can offer, for example medical help to stop "
            "a substance safely or support in a crisis, your job is to encourage them to reach "
            "the right service, not to provide that help yourself. Module 6 covers this in "
            "detail.",
        ),
        h2("Sharing your own story"),
        p(
            "Facilitators with their own experience of change may share it briefly when it "
            "helps the group: a short example of using a tool can make it real. Keep the focus "
            "on the participants, and share only what you are comfortable having heard. You "
            "never have to disclose your own history.",
        ),
        reflect(
            "Which part of the facilitator role feels most natural to you, and which part do "
            "you expect to find hardest?"
        ),
    ],
)

CHECK = Quiz(
    "Check your understanding: the facilitator's role",
    slug="introduction-check",
    intro="<p>Four questions on our approach and on what a facilitator does. After each "
    "attempt you will see which answers were right, with a short explanation. Try again as "
    "often as you like.</p>",
    pass_mark=75,
    questions=(
        single(
            "role",
            "Which of these best describes a facilitator in our network?",
            right(
                "A guide who holds the structure of the meeting so that participants can help "
                "themselves and each other",
                "Yes. You open and close the meeting, keep time and introduce tools; the group "
                "does the work.",
            ),
            wrong(
                "A counsellor who assesses participants and recommends treatment",
                "Facilitators do not diagnose, assess or treat. Treatment professionals step out "
                "of that role when they facilitate.",
            ),
            wrong(
                "A sponsor who guides newer members personally between meetings",
                "Our meetings do not use sponsors: participants support one another and choose "
                "for themselves whom to stay in touch with.",
            ),
            wrong(
                "An expert who tells each participant which goal to choose",
                "Participants are the experts on their own lives and choose their own goals.",
            ),
            explanation="A facilitator is a guide, not a guru: the role is to make the meeting "
            "easier to take part in, not to treat or direct anyone.",
        ),
        multiple(
            "duties",
            "Which of these are part of a facilitator's role?",
            right("Welcoming newcomers and explaining how the meeting works"),
            right("Making sure everyone who wants to speak has the chance, and no one is pressured to"),
            right(
                "Knowing where to point people for help a meeting cannot give",
                "Yes: for example medical help to stop a substance safely, or crisis support.",
            ),
            wrong(
                "Advising a participant on which medication to take",
                "That is clinical advice. Encourage the person to talk to a doctor or health "
                "service instead.",
            ),
            wrong(
                "Deciding whether a participant should aim to stop completely or cut down",
                "Participants choose their own goals; the meeting welcomes both.",
            ),
            scoring="partial",
            points=2,
            explanation="Facilitators welcome, guide, protect the group and signpost; they do "
            "not give clinical advice or choose goals for people.",
        ),
        true_false(
            "labels",
            "A facilitator should encourage participants to call themselves “addicts”, because "
            "accepting the label is the first step to change.",
            False,
            explanation="Labels can make change feel impossible and push people away. "
            "Participants may describe themselves however they like, but a facilitator never "
            "puts a label on anyone.",
        ),
        short_text(
            "science",
            "The tools of the 4-Point Program come from approaches that have been studied for "
            "decades. Name one of them (an abbreviation is fine).",
            [
                "CBT", "cognitive behavioural therapy", "cognitive-behavioural therapy",
                "cognitive behavioral therapy", "cognitive-behavioral therapy", "REBT",
                "rational emotive behaviour therapy", "rational emotive behavior therapy",
                "motivational interviewing", "MI",
            ],
            explanation="Above all cognitive-behavioural therapy (CBT), rational emotive "
            "behaviour therapy (REBT) and motivational interviewing.",
        ),
    ),
)

MODULE = Module(
    "Introduction: facilitating in our network",
    slug="introduction",
    intro="How the course works, what our network believes about change, and what a "
    "facilitator does (and does not do).",
    items=[WELCOME, APPROACH, ROLE, CHECK],
)
