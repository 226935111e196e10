"""Where settings come from: the environment (django-environ), and a local ``.env`` file
in development. Every settings module reads ``env`` from here."""
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env is convenient in development; production sets real variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
