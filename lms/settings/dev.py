"""The zero-setup demo and local development: SQLite, tasks in-process, console email."""
import os

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# Read as written: django-environ would take a value starting with "$" for the name of
# another variable, and Django's own get_random_secret_key() may start with one.
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
