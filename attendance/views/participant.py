"""A participant requests their slip with the meeting code, on their own phone, without
signing in. The name goes to the PDF and nowhere else: the form posts (a query string
would be in access logs), error reports mask it, the rate limit counts by client address
only, and a refusal stores nothing."""
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from .. import services
from ..errors import Refused
from ..forms import RequestForm
from .common import pdf_response

RATE_GROUP = "attendance-request"


@sensitive_post_parameters("name")
@require_http_methods(["GET", "POST"])
def request_slip(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None, initial={"code": request.GET.get("code", "")[:20]})
    status = 200
    if request.method == "POST":
        # Every attempt counts, by client address (kernel.client_ip): guessing codes needs many.
        if is_ratelimited(request, group=RATE_GROUP, key="ip", rate=settings.ATTENDANCE_REQUEST_RATE, increment=True):
            form.is_valid()
            form.add_error(None, gettext("Too many requests from your connection. Please wait a minute and try again."))
            return TemplateResponse(request, "attendance/request.html", {"form": form}, status=429)
        if form.is_valid():
            try:
                issued = services.slip_request(typed_code=form.cleaned_data["code"], name=form.cleaned_data["name"])
            except Refused as refused:
                form.add_error(None, refused.message)
            else:
                return pdf_response([issued])
        status = 400
    return TemplateResponse(request, "attendance/request.html", {"form": form}, status=status)
