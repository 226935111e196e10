"""The shared kernel: small building blocks every app may use (rate-limit client address,
printable names, CSV safety, the cache that degrades, background jobs by name, admin
policies and menu items, migration helpers, view decorators, the site's name in the
current language).

It sits at the ground floor: it imports Django, Wagtail and Celery, never an app of this
project nor the project package (``lms``).
"""
