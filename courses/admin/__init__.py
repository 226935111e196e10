"""The courses app's staff pages in the Wagtail admin (registered by ``courses.wagtail_hooks``).

- ``viewsets``: enrolments (list, export and inspect; read-only) and question banks;
- ``reviews``: the review queue, reviewing one attempt's written answers, sending an
  attempt whose grading failed back; its menu item;
- ``quizzes``: a quiz's question statistics (and their CSV) and regrading its attempts;
  the links to them from the page explorer and editor;
- ``forms``: the queue's filter and the review form; ``urls``: mounted at
  ``/admin/quiz-reviews/`` (``quiz_reviews:...``).
"""
