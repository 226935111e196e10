"""The project's URLs plus a hello-world view: the floor for a Django request here."""
from django.http import HttpResponse
from django.urls import include, path


def hello(request):
    return HttpResponse("Hello, world")


urlpatterns = [
    path("bench/hello/", hello),
    path("", include("lms.urls")),
]
