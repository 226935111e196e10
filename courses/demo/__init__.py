"""Demo course content for ``manage.py seed_demo`` (assembled in ``lms/demo``).

- ``markup``: helpers to write lessons, modules and courses as data.
- ``facilitator`` and ``family``: the two demo courses (one file per module).
- ``media``: a worksheet, an urge log and cover banners, generated in code.
- ``people``: the demo accounts.
- quizzes live with their modules; the facilitator course's final assessment and its
  question bank in ``facilitator/assessment.py``.
- ``build``: turns the descriptions into published pages, idempotently.
- ``large``: the generated "Benchmark Course" for benchmarks.
- ``progress``: learners' progress through the real services, for the demo learners of
  the apps above (certification, organisations).
"""
