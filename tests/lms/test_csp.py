"""Content-Security-Policy (django-csp, lms/csp.py): every page sends it; inline scripts
and styles carry the request's nonce; the staff admin has its own, looser policy."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


@pytest.mark.django_db
def test_site_pages_send_a_strict_policy(client):
    policy = directives(client.get(reverse("account_login")))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no nonce: this page has no inline script
    assert "'unsafe-inline'" not in policy["style-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert set(policy["frame-src"]) == {"https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"}
    assert set(policy["form-action"]) == {"'self'", "https://checkout.stripe.com"}
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["connect-src"] == ["'self'"]


@pytest.mark.django_db
def test_an_inline_style_carries_the_nonce_the_header_names(client):
    from decimal import Decimal

    from tests.factories import build_course

    course = build_course(title="Paid course", price=Decimal("40.00"))
    client.force_login(UserFactory())
    url = reverse("payments:checkout", args=[course.pk])
    response = client.get(url)  # the checkout page keeps a small inline style block
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", directives(response)["style-src"][1]).group(1)
    assert f'<style nonce="{nonce}">' in response.content.decode()
    # A new one for every response.
    again = client.get(url)
    assert nonce not in again["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_admin_has_its_own_policy(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    policy = directives(client.get("/admin/"))
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    # The site around it keeps the strict one.
    assert "'unsafe-inline'" not in directives(client.get("/courses/"))["script-src"]


TEMPLATES = ROOT / "templates"
# Not served under the site's policy: the staff admin's own templates, and the certificate
# PDF, which WeasyPrint renders (it is never a page in a browser).
# PDFs are rendered by WeasyPrint, never served to a browser: no policy applies to them.
EXEMPT = {"certificate_pdf.html", "transcript_pdf.html", "slip_pdf.html"}


def _site_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        if "admin" in path.relative_to(TEMPLATES).parts or path.name in EXEMPT:
            continue
        yield path


def test_site_templates_have_no_inline_code_without_the_nonce():
    """An inline script or style element needs the nonce; style="" attributes and on…=""
    handlers cannot have one, so there are none."""
    problems = []
    for path in _site_templates():
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", text):
            if "src=" not in tag and 'nonce="{{ request.csp_nonce }}"' not in tag:
                problems.append(f"{path.relative_to(ROOT)}: {tag}")
        for attribute in re.findall(r"""\s(style|on[a-z]+)=["']""", text):
            problems.append(f"{path.relative_to(ROOT)}: {attribute}= attribute")
    assert not problems, "\n".join(problems)


def test_production_sends_it():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "lms.settings.production", "SECRET_KEY": "x" * 30 + "-production-like-secret-key-0123456789",
        "ALLOWED_HOSTS": "training.example.org", "CREDENTIAL_SIGNING_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        "ATTENDANCE_KEYS": "k1:attendance-test-production-like-secret-0123456789abcdef",
        "REDIS_URL": "redis://127.0.0.1:6379/13",
    })
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print('lms.csp.ContentSecurityPolicyMiddleware' in settings.MIDDLEWARE, "
        "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['frame-ancestors'])"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["True", "[\"'none'\"]"], result.stderr
