"""Admin URLs for assessments, mounted at /admin/quiz-reviews/ by ``courses.wagtail_hooks``.

Other parts of the product link here by name (``quiz_reviews:index``,
``quiz_reviews:review``): keep the names and paths stable.
"""
from django.urls import path

from . import quizzes, reviews

app_name = "quiz_reviews"

urlpatterns = [
    path("", reviews.QueueView.as_view(), name="index"),
    path("<int:attempt_id>/", reviews.ReviewView.as_view(), name="review"),
    path("<int:attempt_id>/requeue/", reviews.RequeueView.as_view(), name="requeue"),
    path("quiz/<int:quiz_id>/stats/", quizzes.StatsView.as_view(), name="stats"),
    path("quiz/<int:quiz_id>/stats.csv", quizzes.StatsCsvView.as_view(), name="stats_csv"),
    path("quiz/<int:quiz_id>/regrade/", quizzes.RegradeView.as_view(), name="regrade"),
]
