from django.urls import path

from . import views
from .assessment import views as quiz_views

app_name = "courses"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("courses/<int:course_id>/lessons/<int:lesson_id>/complete/", views.complete_lesson, name="complete"),
    path("courses/<int:course_id>/lessons/<int:lesson_id>/heartbeat/", views.heartbeat, name="heartbeat"),
    path("courses/<int:course_id>/lessons/<int:lesson_id>/reflection/", views.save_reflection, name="reflection"),
    path("quizzes/<int:quiz_id>/start/", quiz_views.start, name="quiz_start"),
    path("attempts/<int:attempt_id>/", quiz_views.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/save/", quiz_views.save_answers, name="attempt_save"),
    path("attempts/<int:attempt_id>/heartbeat/", quiz_views.heartbeat, name="attempt_heartbeat"),
    path("attempts/<int:attempt_id>/submit/", quiz_views.submit, name="attempt_submit"),
    path("attempts/<int:attempt_id>/result/", quiz_views.result, name="attempt_result"),
    path("attempts/<int:attempt_id>/status/", quiz_views.status, name="attempt_status"),
]
