from django.urls import path

from .learner import views as learner_views

app_name = "continuing_education"
urlpatterns = [
    path("licence/", learner_views.licence, name="licence"),
    path("transcript/", learner_views.transcript, name="transcript"),
    path("transcript/ce-transcript.pdf", learner_views.transcript_pdf, name="transcript_pdf"),
    path("transcript/ce-transcript.csv", learner_views.transcript_csv, name="transcript_csv"),
]
