"""The project's URLs plus a hello-world view: the floor for a Django request here."""
from django.http import HttpResponse
from django.urls import path

from lms import urls as project_urls


def hello(request):
    return HttpResponse("Hello, world")


# The project's list itself rather than include(): Django allows i18n_patterns (the pages
# under /es/) only in the root URLconf.
urlpatterns = [path("bench/hello/", hello), *project_urls.urlpatterns]
