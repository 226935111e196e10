"""The course evaluation: what a learner fills in (``form``, ``views``), what is kept
(``services``: one submission and one anonymous set of answers per learner and course),
what pages ask about it (``selectors``) and what staff read (``results``)."""
