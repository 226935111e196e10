from django.urls import path

app_name = "organisations"

urlpatterns = [
    # Filled in by views/orgs.py, views/seats.py, views/invitations.py, views/dashboard.py.
]
