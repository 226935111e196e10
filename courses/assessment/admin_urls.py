"""Admin URLs for assessments, mounted at /admin/quiz-reviews/ by ``courses.wagtail_hooks``.

Other parts of the product link here by name (``quiz_reviews:index``,
``quiz_reviews:review``): keep the names and paths stable.
"""
from django.urls import path

from . import admin_views as views

app_name = "quiz_reviews"

urlpatterns = [
    path("", views.QueueView.as_view(), name="index"),
    path("<int:attempt_id>/", views.ReviewView.as_view(), name="review"),
    path("<int:attempt_id>/requeue/", views.RequeueView.as_view(), name="requeue"),
    path("quiz/<int:quiz_id>/stats/", views.StatsView.as_view(), name="stats"),
    path("quiz/<int:quiz_id>/stats.csv", views.StatsCsvView.as_view(), name="stats_csv"),
    path("quiz/<int:quiz_id>/regrade/", views.RegradeView.as_view(), name="regrade"),
]
