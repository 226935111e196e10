"""Previous and next links for a list shown a page at a time (``includes/pager.html``).

Built here rather than with ``{% querystring %}``: a page with two lists pages them under
two parameters, and the template tag cannot take the parameter's name from a variable.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page
from django.utils.translation import gettext


@dataclass(frozen=True)
class Pager:
    page: Page
    what: str  # what the pages are of, for screen readers: "Pages of staff", "Next page of staff"
    previous_url: str = ""
    next_url: str = ""

    @property
    def label(self) -> str:
        return gettext("Pages of %(what)s") % {"what": self.what}


def pager(request, page: Page, *, what: str, param: str = "page", fragment: str = "") -> Pager:
    """Links to the pages either side of ``page``. They keep the rest of the query string
    (the filters, another list's page) and change ``param`` only; ``fragment`` brings the
    reader back to the list rather than to the top of the page."""

    def link(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}" + (f"#{fragment}" if fragment else "")

    return Pager(
        page=page,
        what=what,
        previous_url=link(page.previous_page_number()) if page.has_previous() else "",
        next_url=link(page.next_page_number()) if page.has_next() else "",
    )
