"""The public slip check: a court or probation officer types the slip code and the name
printed on the slip.

The name travels only in a POST body (never in an address, so never in access logs, the
browser's history or any HTTP cache), is used for one HMAC and is forgotten. Every
answer is marked not to be stored. A miss (unknown code, wrong name, expired slip) gets
the same words and status whatever the reason, and counts against the client's allowance
(throttle.py).
"""
import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from kernel.when import time_text

from . import selectors, throttle
from .models import Meeting

TEMPLATE = "attendance/check.html"
MAX_BODY = 16384


def _no_match() -> str:
    return gettext("No slip matches this code and name. Check both as printed on the slip and try again.")


def _too_many() -> str:
    return gettext("Too many slip checks from your connection. Please wait a minute and try again.")


@sensitive_variables("name")
def _check(request: HttpRequest, code: str, name: str) -> tuple[selectors.SlipFacts | None, bool]:
    """(facts or None, refused)."""
    if throttle.exhausted(request):
        return None, True
    facts = selectors.slip_check(code=code, name=name, today=timezone.localdate())
    if facts is None and throttle.count_miss(request):
        return None, True
    return facts, False


def _described(facts: selectors.SlipFacts) -> dict:
    with timezone.override(facts.time_zone):
        starts, ends = time_text(facts.starts_at), time_text(facts.ends_at)
    return {
        "kind": Meeting.Kind(facts.meeting_kind).label if facts.meeting_kind in Meeting.Kind.values else facts.meeting_kind,
        "mode": Meeting.Mode(facts.meeting_mode).label if facts.meeting_mode in Meeting.Mode.values else facts.meeting_mode,
        "date": facts.meeting_date, "starts": starts, "ends": ends, "time_zone": facts.time_zone,
        "certificate_current": facts.certificate_current, "voided": facts.voided,
    }


# An error report (a 500 mailed or sent to an error tracker) shows neither the name
# typed nor the local variables holding it.
@sensitive_post_parameters("name")
@sensitive_variables("name")
@never_cache
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        # ?code= from the slip's QR code fills in the code only: a code names nobody.
        return TemplateResponse(request, TEMPLATE, {"code": request.GET.get("code", "")[:40]})
    code, name = request.POST.get("code", ""), request.POST.get("name", "")
    facts, refused = _check(request, code, name)
    if refused:
        return TemplateResponse(request, TEMPLATE, {"error": _too_many(), "code": code[:40]}, status=429)
    if facts is None:
        return TemplateResponse(request, TEMPLATE, {"error": _no_match(), "code": code[:40]})
    return TemplateResponse(request, TEMPLATE, {"slip": _described(facts), "code": code[:40]})


@csrf_exempt  # no cookie or session is read: the body alone is the question
@never_cache
@sensitive_variables("name", "body")
@require_POST
def check_json(request: HttpRequest) -> HttpResponse:
    """POST {"code": ..., "name": ...}: 200 with the slip's facts, 404 for no match."""
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
            raise ValueError
        body = json.loads(request.body or b"{}")
        code, name = body.get("code"), body.get("name")
        if not isinstance(code, str) or not isinstance(name, str):
            raise ValueError
    except (ValueError, AttributeError):
        return JsonResponse({"error": gettext('Send a JSON object with "code" and "name" as text.')}, status=400)
    facts, refused = _check(request, code, name)
    if refused:
        return JsonResponse({"match": False, "error": _too_many()}, status=429)
    if facts is None:
        return JsonResponse({"match": False, "error": _no_match()}, status=404)
    return JsonResponse({
        "match": True, "code": facts.code, "meeting_kind": facts.meeting_kind, "meeting_mode": facts.meeting_mode,
        "date": facts.meeting_date.isoformat(), "starts_at": facts.starts_at.isoformat(),
        "ends_at": facts.ends_at.isoformat(), "time_zone": facts.time_zone,
        "facilitator_certificate_current": facts.certificate_current, "voided": facts.voided,
    })
