"""CSV that is safe to open in a spreadsheet program.

Exports carry text that people typed (names, emails, course titles, question prompts).
A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and
a leading tab or carriage return can hide such a start, so one of those typed as a name
could fetch a URL or run a command on the reader's machine (OWASP "CSV injection").
Every exporter goes through ``csv_safe``: one rule, kept in one place.
"""
import csv
from collections.abc import Iterable, Iterator
from datetime import tzinfo

from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """The cell as text a spreadsheet shows and never runs: a leading apostrophe before
    a formula start (OWASP's advice; spreadsheets hide the apostrophe). ``None`` is empty."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Echo:
    """A file-like object whose ``write`` returns the line, so that ``csv.writer`` can
    feed a ``StreamingHttpResponse`` one row at a time."""

    def write(self, value):
        return value


CHUNK_CHARS = 16_384


def csv_stream(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """Yield CSV text, the header first, with every cell made safe: a few lines at a time
    (about ``CHUNK_CHARS``), since a server writes each piece it is given to the socket
    separately and a thousand one-line writes cost more than the rows themselves.

    The rows are made in the time zone active when this is called (the person's, in a
    view): a streamed response is read after the request's middleware has put the site's
    zone back, and times written then would be the site's, not the reader's."""
    return _chunks(header, rows, timezone.get_current_timezone())


def _chunks(header: list[str], rows: Iterable[Iterable], zone: tzinfo) -> Iterator[str]:
    with timezone.override(zone):
        writer = csv.writer(Echo())
        lines, size = [writer.writerow([csv_safe(h) for h in header])], 0
        for row in rows:
            line = writer.writerow([csv_safe(cell) for cell in row])
            lines.append(line)
            size += len(line)
            if size >= CHUNK_CHARS:
                yield "".join(lines)
                lines, size = [], 0
        if lines:
            yield "".join(lines)
