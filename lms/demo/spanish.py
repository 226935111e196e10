"""The demo in Spanish: the Family & Friends course and the site's pages, made as
wagtail-localize translations of the English ones (``courses.demo.translate``).

The Spanish words are data with the English pages' exact structure: the course in
``courses/demo/family_es/`` (``COURSE``, as ``courses/demo/family/``) and the site's pages
in ``lms/demo/about_es.py`` (``TITLE``, ``SEARCH_DESCRIPTION`` and ``BODY`` for the about
page, as ``about.py``; ``HOME_TITLE``, ``HOME_INTRO``, ``CATALOGUE_TITLE`` and
``CATALOGUE_INTRO`` for the home page and the catalogue). Until that data is present the
demo is seeded in English only.
"""
from dataclasses import dataclass
from importlib import import_module

from courses.demo import markup


@dataclass
class SpanishDemo:
    family: markup.Course
    about: dict  # the about page's translated fields
    home: dict  # the home page's translated fields (title, intro)
    catalogue: dict  # the catalogue's translated fields (title, intro)


def spanish_demo() -> SpanishDemo | None:
    """The Spanish demo data, or None while it is not written yet."""
    try:
        family_es = import_module("courses.demo.family_es")
        about_es = import_module("lms.demo.about_es")
    except ImportError:  # not written yet
        return None
    return SpanishDemo(
        family=family_es.COURSE,
        about={"title": about_es.TITLE, "search_description": about_es.SEARCH_DESCRIPTION, "body": about_es.BODY},
        home={"title": about_es.HOME_TITLE, "intro": about_es.HOME_INTRO},
        catalogue={"title": about_es.CATALOGUE_TITLE, "intro": about_es.CATALOGUE_INTRO},
    )
