"""The learner's licence form and CE transcript: thin, and only ever the signed-in
learner's own (no id in any address: nobody can ask for another's)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from ..models import ProfessionalLicence
from ..selectors import transcript_for
from ..services import licence_save
from . import files
from .forms import LicenceForm, PeriodForm


def _next_url(request: HttpRequest) -> str | None:
    """Where to go after saving (a page that sent the learner here), if it is ours."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return None


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def licence(request: HttpRequest) -> HttpResponse:
    current = ProfessionalLicence.objects.filter(user=request.user).first()
    form = LicenceForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        licence_save(user=request.user, **{name: form.cleaned_data[name] for name in LicenceForm.Meta.fields})
        messages.success(request, _("Your licence details are saved. They are printed on your CE certificates."))
        return redirect(_next_url(request) or "continuing_education:licence")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "licence": current, "next": _next_url(request) or ""}
    return TemplateResponse(request, "continuing_education/licence.html", context, status=status)


def _period(request: HttpRequest) -> PeriodForm:
    return PeriodForm(request.GET if ("since" in request.GET or "until" in request.GET) else None)


@login_required
@never_cache
@require_GET
def transcript(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    since, until = period.period()
    context = {
        "period": period,
        "transcript": transcript_for(user=request.user, since=since, until=until),
        "query": request.GET.urlencode() if period.is_bound and period.is_valid() else "",
    }
    return TemplateResponse(request, "continuing_education/transcript.html", context, status=400 if period.errors else 200)


def _bad_period(period: PeriodForm) -> HttpResponse:
    errors = "; ".join(str(e) for field_errors in period.errors.values() for e in field_errors)
    return HttpResponse(_("The period could not be read: %(errors)s") % {"errors": errors}, status=400,
                        content_type="text/plain; charset=utf-8")


@login_required
@never_cache
@require_GET
def transcript_pdf(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    if period.is_bound and not period.is_valid():
        return _bad_period(period)
    since, until = period.period()
    response = HttpResponse(files.transcript_pdf(user=request.user, since=since, until=until), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, "ce-transcript.pdf")
    return response


@login_required
@never_cache
@require_GET
def transcript_csv(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    if period.is_bound and not period.is_valid():
        return _bad_period(period)
    since, until = period.period()
    transcript = transcript_for(user=request.user, since=since, until=until)
    response = StreamingHttpResponse(files.transcript_csv(transcript=transcript), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "ce-transcript.csv")
    return response
