"""Continuing education's permission names ("app.codename"), for staff pages and the admin
menu alike."""

# Reading course evaluations' results: totals and anonymous comments (``EvaluationResponse``'s
# ``Meta.permissions``; the "Course publishers" and "Certification staff" groups hold it, migration 0002).
VIEW_EVALUATION_RESULTS = "continuing_education.view_evaluation_results"
