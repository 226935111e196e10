"""The courses app's permission names, for its services, selectors, views, admin and emails."""

# Review written answers, send attempts whose grading failed back, see a quiz's question
# statistics and regrade its attempts (``QuizAttempt.Meta.permissions``; the assessment
# reviewers' group has it from ``lms`` migration 0005).
REVIEW = "courses.review_quizattempt"
