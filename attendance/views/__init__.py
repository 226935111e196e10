"""The attendance pages: the facilitator's (signed in) and the participant's request (no
sign-in). Thin: parse, authorise, call a service, render or return the PDF."""
