"""The language and time zone a certificate holder reads in: their own choice, kept in
Wagtail's user profile (``preferred_language``, ``current_time_zone``, which the admin
follows too), else the site's default. Certificate PDFs are made in them."""
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from wagtail.users.models import UserProfile


@dataclass(frozen=True)
class HolderLocale:
    language: str
    time_zone: str


def holder_locale(*, user_id: int) -> HolderLocale:
    """One query. A language the site no longer offers, or a zone that is not a zone,
    falls back to the site's default rather than failing a certificate."""
    found = UserProfile.objects.filter(user_id=user_id).values_list("preferred_language", "current_time_zone").first()
    language, zone = found or ("", "")
    if language not in {code for code, _name in settings.LANGUAGES}:
        language = settings.LANGUAGE_CODE
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = settings.TIME_ZONE
    return HolderLocale(language=language, time_zone=zone)
