"""The site's name as people read it: ``SITE_NAME`` (``WAGTAIL_SITE_NAME``) in the current
language, for page titles, the header, emails and PDFs alike."""
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop

# The default name, here so that the catalogue holds it. A deployment that names itself
# otherwise adds its own name to the catalogue to have it translated; untranslated, the
# name is shown as set.
DEFAULT_SITE_NAME = gettext_noop("Facilitator Training")


def site_name() -> str:
    """The site's name in the current language."""
    return gettext(settings.WAGTAIL_SITE_NAME)


# For a context built before the language is chosen (an email rendered later in the
# recipient's language): read when it is shown.
site_name_lazy = lazy(site_name, str)
