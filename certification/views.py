"""Certificates for their holders, public verification for everyone else.

Thin: parse, authorise, call a selector or service, render. A holder's certificate asked
for by anyone else is a 404, exactly like one that does not exist.
"""
import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from kernel.translated import reading_language

from . import codes, credentials, issuer, selectors, services, status_list, throttle
from . import credential_check as checker  # the module: credential_check is also a view below
from . import pdf as certificate_pdf
from .models import Attestation, Certificate, Programme


def _lookup(request: HttpRequest, stored: str | None) -> tuple[dict | None, bool]:
    """The verification cache entry for a stored code (None when there is no code or no
    entry yet), and whether this client is refused (too many lookups: see throttle.py).

    Every lookup reads the client's counter, in the same cache round trip as the cached
    page; only those that miss (an unknown or malformed code, or a code not cached yet)
    are counted, before the database is asked."""
    limit = throttle.window(request)
    entry, prefetched = selectors.cached_verification_with(stored, [limit.key] if limit.in_default_cache else [])
    if limit.exhausted(limit.used(prefetched)):
        return None, True
    if entry is None or entry["data"] is None:
        if throttle.count(request):
            return None, True
        if entry is None and stored:
            entry = selectors.verification_entry(stored)
    return entry, False


def _too_many_message() -> str:
    return gettext("Too many certificate checks from your connection. Please wait a minute and try again.")


def _too_many(request: HttpRequest, *, as_json: bool) -> HttpResponse:
    message = _too_many_message()
    if as_json:
        return JsonResponse({"error": message}, status=429)
    return TemplateResponse(request, "certification/verify.html", {"error": message}, status=429)


def _not_found(request: HttpRequest, typed: str) -> HttpResponse:
    # Say what is wrong (a mistyped or unknown code), not a generic "page not found".
    return TemplateResponse(
        request, "certification/verify.html",
        {"typed": typed, "error": gettext("We found no certificate with that code. Please check it and try again.")},
        status=404,
    )


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    """The lookup form; ?code=... looks a code up."""
    typed = request.GET.get("code", "").strip()
    if not typed:
        return TemplateResponse(request, "certification/verify.html", {})
    entry, refused = _lookup(request, codes.normalise(typed))
    if refused:
        return _too_many(request, as_json=False)
    view = entry["data"] if entry else None
    if view is None:
        return _not_found(request, typed)
    return redirect("certification:verify", view["code"])


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    stored = codes.normalise(code)
    entry, refused = _lookup(request, stored)
    if refused:
        return _too_many(request, as_json=False)
    view = entry["data"] if entry else None
    if view is None:
        return _not_found(request, code)
    if view["code"] != code:
        return redirect("certification:verify", view["code"])
    # A visitor with no session sees exactly the same page as any other: it is kept with
    # the cached facts and served as it is (the page holds no form token).
    # Kept once for each language and time zone it is shown in.
    shareable = not (set(request.COOKIES) & {settings.SESSION_COOKIE_NAME, "messages"})
    if shareable and (page := selectors.cached_page(entry)) is not None:
        return HttpResponse(page)
    context = {
        "view": view, "facts": view["facts"], "programme": _programme_name(view["facts"]),
        "current_status": _status_word(view["facts"].get("current_status")),
    }
    response = TemplateResponse(request, "certification/verify.html", context)
    if shareable:
        response.render()
        selectors.store_verification_html(stored, entry, response.content)
    return response


def _programme_name(facts: dict) -> str:
    """The programme's title in the reader's language where staff gave it, else its source's."""
    # Other kinds of certificate on this page (CE certificates) name a course, not a programme.
    return (facts.get("programme_names") or {}).get(reading_language()) or facts.get("programme", "")


def _status_word(status: str | None) -> str:
    """A renewed certificate's status as the verification page words it ("valid")."""
    words = {
        "valid": pgettext("certificate status in a sentence", "valid"),
        "expired": pgettext("certificate status in a sentence", "expired"),
        "revoked": pgettext("certificate status in a sentence", "revoked"),
    }
    return words.get(status or "", status or "")


@require_GET
def verify_json(request: HttpRequest, code: str) -> HttpResponse:
    entry, refused = _lookup(request, codes.normalise(code))
    if refused:
        return _too_many(request, as_json=True)
    view = entry["data"] if entry else None
    if view is None:
        return JsonResponse({"error": gettext("No certificate has this code.")}, status=404)
    return JsonResponse(view["facts"])


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    certificates = list(selectors.holder_certificates(user=request.user))
    for certificate in certificates:
        certificate.linkedin_url = _linkedin_url(request, certificate)
    context = {
        "certificates": certificates,
        "programmes": selectors.programmes_overview(user=request.user),
        "code_of_conduct": selectors.current_code_of_conduct(),
    }
    return TemplateResponse(request, "certification/mine.html", context)


def _linkedin_url(request: HttpRequest, certificate: Certificate) -> str:
    # LinkedIn's documented "Add to profile" link for certifications.
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.programme.words().title,
        "organizationName": settings.WAGTAIL_SITE_NAME,
        "issueYear": certificate.issued_at.year,
        "issueMonth": certificate.issued_at.month,
        "certUrl": certificate_pdf.verification_url(certificate),  # the address printed on the PDF
        "certId": certificate.display_code,
    }
    if certificate.expires_at:
        params["expirationYear"] = certificate.expires_at.year
        params["expirationMonth"] = certificate.expires_at.month
    return "https://www.linkedin.com/profile/add?" + urlencode(params)


@login_required
@require_GET
def pdf(request: HttpRequest, code: str) -> FileResponse:
    certificate = selectors.holder_certificate(user=request.user, code=code)
    if certificate is None or certificate.revoked_at:
        raise Http404("No certificate PDF here.")
    if not certificate_pdf.is_current(certificate):
        # Not made yet, made before a reissue, or made for another site address: made
        # now (the same idempotent service as the task), so what is handed out is current.
        services.certificate_render(certificate_id=certificate.pk)
        certificate.refresh_from_db(fields=["pdf", "pdf_revision", "pdf_base_url", "pdf_language", "revoked_at"])
    if certificate.revoked_at or not certificate.pdf:
        raise Http404("No certificate PDF here.")
    filename = f"{certificate.programme.slug}-certificate-{certificate.display_code}.pdf"
    return FileResponse(certificate.pdf.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")


@login_required
@require_POST
def accept_conduct(request: HttpRequest) -> HttpResponse:
    code = selectors.current_code_of_conduct()
    if code is None or str(code.pk) != request.POST.get("code"):
        messages.warning(
            request, gettext("The code of conduct has changed since you opened the page. Please read the current version.")
        )
        return redirect("certification:mine")
    if request.POST.get("agree") != "yes":
        messages.warning(request, gettext("Please tick the box to say you accept the code of conduct."))
        return redirect("certification:mine")
    services.conduct_accept(user=request.user, code=code)
    messages.success(request, gettext("Thank you: you have accepted the code of conduct."))
    return redirect("certification:mine")


@login_required
@require_POST
def attest(request: HttpRequest, attestation_id: int) -> HttpResponse:
    attestation = get_object_or_404(Attestation.objects.filter(programme__active=True), pk=attestation_id)
    answer = request.POST.get("answer")
    if answer not in ("yes", "no"):
        messages.warning(request, gettext("Please answer yes or no."))
        return redirect("certification:mine")
    services.attestation_answer(user=request.user, attestation=attestation, answer=answer == "yes")
    messages.success(request, gettext("Your answer is saved."))
    return redirect("certification:mine")


# --- digital credentials (Open Badges 3.0, signed) -----------------------------------------


@require_GET
def credential(request: HttpRequest, code: str) -> HttpResponse:
    """The holder's signed credential as a download. Anyone else (signed in or not), or a
    revoked certificate, gets the same 404 as a code that does not exist."""
    certificate = selectors.holder_certificate(user=request.user, code=code)
    if certificate is None or certificate.revoked_at:
        raise Http404("No credential here.")
    document = services.credential_issue(certificate=certificate)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2) + "\n", content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, credentials.credential_filename(certificate))
    response["Cache-Control"] = "private, no-store"
    return response


def _credential_page(request: HttpRequest, context: dict, *, status: int = 200) -> HttpResponse:
    return TemplateResponse(request, "certification/verify_credential.html", context, status=status)


def _uploaded_text(request: HttpRequest) -> tuple[str | bytes | None, str | None]:
    """The pasted text or the uploaded file's bytes, or a reason code (too big, empty)."""
    limit = checker.MAX_CREDENTIAL_BYTES
    upload = request.FILES.get("file")
    if upload is not None and upload.size:
        if upload.size > limit:
            return None, "too_big"
        return upload.read(limit + 1), None
    text = request.POST.get("credential", "")
    if len(text.encode("utf-8")) > limit:
        return None, "too_big"
    if not text.strip():
        return None, "empty"
    return text, None


@require_http_methods(["GET", "POST"])
def credential_check(request: HttpRequest) -> HttpResponse:
    """Check a pasted or uploaded credential: our signature, unchanged, and the
    certificate's status now. Rate limited like the code lookups."""
    if request.method == "GET":
        return _credential_page(request, {})
    # Refuse an oversized body before reading it (the form's overhead is small).
    if int(request.META.get("CONTENT_LENGTH") or 0) > 2 * checker.MAX_CREDENTIAL_BYTES:
        return _credential_page(request, {"credential_error": checker.reason("too_big")}, status=413)
    # Always counted: a check does signature work whatever it finds.
    if throttle.count(request):
        return _credential_page(
            request, {"credential_error": _too_many_message()},
            status=429,
        )
    raw, problem = _uploaded_text(request)
    if problem:
        return _credential_page(
            request, {"credential_error": checker.reason(problem)}, status=413 if problem == "too_big" else 400
        )
    check = checker.check_credential(raw)
    status = 400 if {"not_json", "duplicate", "not_credential"} & set(check.reason_codes) else 200
    programme = _programme_name(check.facts) if check.facts else ""
    return _credential_page(request, {"credential_check": check, "programme": programme}, status=status)


@require_safe
def did_document(request: HttpRequest) -> HttpResponse:
    """did:web: the platform's public signing key, for anyone verifying a credential."""
    response = JsonResponse(issuer.did_document(), content_type="application/did+json")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def status_list_credential(request: HttpRequest, number: int) -> HttpResponse:
    """A revocation list (W3C Bitstring Status List) for any verifier: signed, cached,
    rebuilt once a certificate is revoked or reinstated (see selectors/status_lists.py)."""
    body = selectors.served_status_list(number)
    if body is None:
        return JsonResponse({"error": gettext("There is no status list with this number.")}, status=404)
    # JSON-LD: what generic document loaders and JSON clients all accept (the standard
    # allows it beside application/vc, which some JSON clients refuse to parse).
    response = HttpResponse(body, content_type="application/ld+json")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={status_list.TTL_SECONDS}"
    return response


@require_safe
def badge(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The programme's badge, the image of the achievement in its credentials."""
    programme = get_object_or_404(Programme.objects.only("title", "colour_primary", "colour_accent"), pk=programme_id)
    response = HttpResponse(render_to_string("certification/badge.svg", {"programme": programme}), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    response["Access-Control-Allow-Origin"] = "*"
    # Opened on its own, the image may do nothing but draw itself.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response
