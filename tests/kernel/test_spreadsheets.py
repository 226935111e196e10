"""kernel.spreadsheets: a streamed CSV keeps the reader's time zone."""
from datetime import datetime, timezone as dt_timezone

from django.utils import timezone

from kernel.spreadsheets import csv_stream

MOMENT = datetime(2026, 12, 4, 23, 30, tzinfo=dt_timezone.utc)


def rows():
    yield [timezone.localtime(MOMENT).strftime("%Y-%m-%d %H:%M")]


def test_rows_are_made_in_the_zone_active_when_the_view_asked_for_them():
    with timezone.override("Europe/Madrid"):
        stream = csv_stream(["Last activity"], rows())
    # Read later, as a server reads a streamed response after the middleware put UTC back.
    with timezone.override("UTC"):
        text = "".join(stream)
    assert text == "Last activity\r\n2026-12-05 00:30\r\n"
