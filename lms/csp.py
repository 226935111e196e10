"""Content-Security-Policy: django-csp's middleware, with a second policy for the staff
admin.

The site's pages (``CONTENT_SECURITY_POLICY`` in settings) run only scripts and styles
from this origin or carrying the request's nonce (``<script nonce="{{ request.csp_nonce }}">``),
frame only the video hosts that lesson videos embed, and may not be framed. Wagtail's
admin (and Django's, at /django-admin/) writes inline scripts and styles throughout, so
paths under ``CSP_ADMIN_PATH_PREFIXES`` get ``CONTENT_SECURITY_POLICY_ADMIN`` instead:
the same origins, with inline code allowed and framing by this site allowed (the preview
panel). Staff are the only people there, signed in.

A page kept in a cache and served again as it is (the public certificate page) must not
hold a nonce: the next response's header would name another one.
"""
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        prefixes = tuple(getattr(settings, "CSP_ADMIN_PATH_PREFIXES", ()))
        if not report_only and parts.config is None and prefixes and request.path_info.startswith(prefixes):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        return parts
