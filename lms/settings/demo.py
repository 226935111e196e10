"""``make demo``: the development settings (SQLite, tasks in-process, console email) with
DEBUG off, so the demo behaves like the real site: unknown addresses get the site's own
404 page and errors its 500 page, never Django's debug pages (which also show settings
and code to anyone).

With DEBUG off, ``runserver`` serves neither static files nor uploads, so:
- whitenoise serves static files straight from the apps' folders (no ``collectstatic``);
- ``DEMO_SERVE_MEDIA`` adds a route for uploaded files (``lms/urls.py``). Django's
  ``serve`` view is not made for production traffic, so production settings never turn
  it on (``lms/settings/production.py`` sets it off whatever this file says).

``make demo`` passes ``BASE_URL`` (from ``PORT``) so that every absolute link follows the
address the demo serves on.
"""
from .dev import *  # noqa: F401,F403

DEBUG = False
WHITENOISE_USE_FINDERS = True
# Nothing is collected for the demo: without a root, whitenoise does not warn that the
# folder is missing, and serves everything from the finders.
STATIC_ROOT = None
DEMO_SERVE_MEDIA = True
