"""Where settings come from: the environment (django-environ), and a local ``.env`` file
in development. Every settings module reads ``env`` from here."""
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env is convenient in development; production sets real variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def language_choices(codes: list[str]) -> list[tuple[str, str]]:
    """LANGUAGES from language codes ("en", "es"): each named in its own language, as a
    person looking for theirs reads it ("English", "Español"), from Django's LANG_INFO."""
    from django.conf.locale import LANG_INFO
    from django.core.exceptions import ImproperlyConfigured

    choices = []
    for code in (code.strip().lower() for code in codes):
        if not code:
            continue
        info = LANG_INFO.get(code)
        if info is None or "name_local" not in info:
            raise ImproperlyConfigured(f"LANGUAGES: Django knows no language {code!r}.")
        name = info["name_local"]
        choices.append((code, name[:1].upper() + name[1:]))
    if not choices:
        raise ImproperlyConfigured("LANGUAGES names no language.")
    return choices
