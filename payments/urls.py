from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("courses/<int:course_id>/checkout/", views.checkout, name="checkout"),
    path("courses/<int:course_id>/scholarship/", views.scholarship_apply, name="scholarship_apply"),
    path("currency/", views.choose_currency, name="choose_currency"),
    path("orders/", views.my_orders, name="my_orders"),
    path("orders/<int:order_id>/return/", views.order_return, name="order_return"),
    path("orders/<int:order_id>/cancelled/", views.order_cancelled, name="order_cancelled"),
    path("orders/<int:order_id>/receipt/", views.receipt, name="receipt"),
]
