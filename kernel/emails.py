"""Rendering and sending the platform's own emails (allauth renders its own)."""
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .site import site_name_lazy


def send_message(*, subject: str, body: str, to: list[str], html: str | None = None) -> None:
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def send_templated(*, template: str, context: dict, to: list[str]) -> None:
    """Send ``<template>_subject.txt`` / ``<template>.txt`` rendered with ``context``, as
    plain text: the "text" template engine escapes nothing (an HTML-escaped "&amp;" or
    "O&#x27;Brien" is what a mail reader would show)."""
    context = {
        "base_url": settings.WAGTAILADMIN_BASE_URL,
        "site_name": site_name_lazy(),
        "organisation_name": settings.ORGANISATION_NAME,
        **context,
    }
    subject = " ".join(render_to_string(f"{template}_subject.txt", context, using="text").split())
    send_message(subject=subject, body=render_to_string(f"{template}.txt", context, using="text"), to=to)
