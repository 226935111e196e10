from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("courses/<int:course_id>/lessons/<int:lesson_id>/complete/", views.complete_lesson, name="complete"),
    path("courses/<int:course_id>/lessons/<int:lesson_id>/heartbeat/", views.heartbeat, name="heartbeat"),
    path("courses/<int:course_id>/lessons/<int:lesson_id>/reflection/", views.save_reflection, name="reflection"),
]
