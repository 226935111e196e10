"""The demo "About this training" page, a ContentPage under the home page."""
from courses.demo.markup import bullets, h2, key, p, warning

SLUG = "about"
TITLE = "About this training"
SEARCH_DESCRIPTION = (
    "Free, self-paced training for facilitators of science-informed mutual-help meetings, "
    "and what we keep about you (only what training needs)."
)

BODY = [
    p(
        "This site trains the people who facilitate our free, science-informed mutual-help "
        "meetings for people with addictive behaviours, and for their family and friends. The "
        "meetings follow the 4-Point Program: building and maintaining motivation, coping with "
        "urges, managing thoughts, feelings and behaviours, and living a balanced life.",
    ),
    h2("Who the training is for"),
    p(
        "Volunteers, many of them people who have changed their own addictive behaviour, and "
        "treatment professionals who host meetings where they work. No previous qualification "
        "is needed. Courses are self-paced and work on a phone as well as a computer.",
    ),
    h2("How it works"),
    bullets(
        None,
        "Create a free account and confirm your email address.",
        "Enrol in a course and work through its lessons at your own pace.",
        "Answer the reflection questions for yourself: your answers are private.",
        "Complete the assessments to work towards a facilitator certificate that anyone can "
        "check is genuine.",
    ),
    h2("Your privacy"),
    key(
        "We keep only what training needs",
        "Your email address to sign in, the name you want printed on your certificates, your "
        "progress and your assessment results. Your reflections are visible to you alone.",
        "We keep no record of the people who attend meetings: no names, no list of who "
        "attended, no stories.",
    ),
    warning(
        "Please protect participants",
        "Never enter the name or details of a meeting participant anywhere on this site, "
        "including in your reflections. Describe situations in general terms instead. The one "
        "exception is an attendance slip, below, and even then the name is not kept.",
    ),
    h2("Attendance slips"),
    p(
        "Courts and probation officers sometimes ask a participant for proof that they "
        "attended meetings. A certified facilitator can give a participant who asks an "
        "attendance slip, and an officer can check the slip on this site by typing its code "
        "and the name printed on it. A slip says that the person attended, not how they took "
        "part.",
    ),
    key(
        "What we keep about a slip, and for how long",
        "The meeting (its kind, date and times), the facilitator, the slip's code, whether the "
        "facilitator withdrew it, and a scrambled fingerprint of the name (a keyed hash): it "
        "lets us tell whether a name typed by an officer matches, but the name cannot be read "
        "back from it.",
        "All of it is deleted when the slip stops being checkable: 12 months after the meeting "
        "unless the network sets another period. After that the check says no slip matches.",
        "For the network's reports we keep only numbers: how many slips each month, for each "
        "kind of meeting and each country.",
    ),
    key(
        "What we never keep",
        "The participant's name, email, phone number or address, their internet address, or "
        "anything they write. The name exists only while the slip is being made and on the "
        "slip handed to them; it is not in our database, our logs, our emails or our files. "
        "The same goes for the name an officer types to check a slip.",
    ),
    p(
        "You can ask for a copy of your data, or for your account to be deleted, at any time: "
        "write to the training team at the address at the foot of every page, or see your account page.",
    ),
]
