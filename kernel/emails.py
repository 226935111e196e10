"""Rendering and sending the platform's own emails (allauth renders its own).

Every email is written in its recipient's language and time zone: the ones saved on their
profile (kernel/i18n.py), found from the person given as ``recipient`` or else from the
address it goes to; where they saved none, those already active (the site's defaults in a
Celery task). Callers and tasks need do nothing more.
"""
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from . import i18n
from .site import site_name_lazy


def send_message(*, subject: str, body: str, to: list[str], html: str | None = None) -> None:
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def recipient_choices(*, to: list[str], recipient: int | None = None) -> tuple[str, str]:
    """(language, time zone) to write to ``recipient`` (a user's id), or to the account of
    the single address in ``to``; "" for each where there is none (the site's defaults)."""
    if recipient is not None:
        return i18n.saved_choices(recipient)
    if len(to) == 1:
        return i18n.saved_choices_for_address(to[0])
    return "", ""


def send_templated(*, template: str, context: dict, to: list[str], recipient: int | None = None) -> None:
    """Send ``<template>_subject.txt`` / ``<template>.txt`` rendered with ``context``, as
    plain text: the "text" template engine escapes nothing (an HTML-escaped "&amp;" or
    "O&#x27;Brien" is what a mail reader would show). Subject and body are rendered in the
    recipient's language and time zone (see ``recipient_choices``)."""
    context = {
        "base_url": settings.WAGTAILADMIN_BASE_URL,
        "site_name": site_name_lazy(),
        "organisation_name": settings.ORGANISATION_NAME,
        **context,
    }
    language, time_zone = recipient_choices(to=to, recipient=recipient)
    with i18n.as_person(language=language, time_zone=time_zone):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context, using="text").split())
        body = render_to_string(f"{template}.txt", context, using="text")
    send_message(subject=subject, body=body, to=to)
