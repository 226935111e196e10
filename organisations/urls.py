from django.urls import path

from .views import dashboard as dashboard_views
from .views import invitations, orgs, seats

app_name = "organisations"

urlpatterns = [
    path("<int:org_id>/", dashboard_views.staff_dashboard, name="dashboard"),
    path("<int:org_id>/staff.csv", dashboard_views.staff_csv, name="staff_csv"),
    # Filled in by views/orgs.py, views/seats.py, views/invitations.py, views/dashboard.py.
    # The person's own organisations (views/orgs.py).
    path("", orgs.mine, name="mine"),
    path("new/", orgs.create, name="create"),
    path("memberships/<int:membership_id>/leave/", orgs.leave, name="leave"),
    path("<int:org_id>/managers/<int:membership_id>/role/", orgs.manager_role, name="manager_role"),
    # Seats (views/seats.py). ``seats/orders/<id>/`` is where payments sends a seat order's
    # buyer back from Stripe; it finds the organisation and goes on to the page below it.
    path("<int:org_id>/seats/", seats.seats, name="seats"),
    path("<int:org_id>/seats/buy/", seats.buy, name="seats_buy"),
    path("<int:org_id>/seats/<int:seat_id>/release/", seats.release, name="seat_release"),
    path("<int:org_id>/seats/orders/<int:order_id>/", seats.order, name="seat_order"),
    path("seats/orders/<int:order_id>/", seats.order_landing, name="seat_order_landing"),
    # Invitations (views/invitations.py); ``invitation`` is the emailed link.
    path("<int:org_id>/invitations/", invitations.invitations, name="invitations"),
    path("<int:org_id>/invitations/preview/", invitations.preview, name="invitations_preview"),
    path("<int:org_id>/invitations/send/", invitations.send, name="invitations_send"),
    path("<int:org_id>/invitations/<int:invitation_id>/withdraw/", invitations.withdraw, name="invitation_withdraw"),
    path("<int:org_id>/invitations/<int:invitation_id>/resend/", invitations.resend, name="invitation_resend"),
    path("invitations/<str:token>/", invitations.accept, name="invitation"),
]
