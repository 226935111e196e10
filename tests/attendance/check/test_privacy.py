"""THE privacy test: a participant's name is kept nowhere on the server.

Slips are issued for a distinctive name through every path this code base has, including
the failing ones, the name is checked right and wrong, too often and with a broken
request; then the whole database (pg_dump), Redis, the logs and console output, the
email outbox and the media folder are searched for the name, its normalised form and its
surname alone, and nothing is found. A control plants the name in each place first and
proves the search finds it there.
"""
import json
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from attendance.models import Slip
from attendance.names import normalise as normalise_name
from attendance.services import issuing
from attendance.tasks import attendance_retention_task

from .privacy_search import found_in, unique_prefix
from .slips import make_slip

# Transactional like the other multi-connection tests: serialized_rollback puts back the
# migrations' rows (content types, the site, groups) that the flush at the end removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NAME = "Zyxwvut Qqqbrightmoor-Ñandú"
# The surname alone in plain ASCII too: JSON (task arguments, API bodies) writes "Ñ" as
# "\u00d1", which a search for the whole name would not find.
TERMS = [NAME, normalise_name(NAME), "Qqqbrightmoor", "brightmoor-nandu", "brightmoor-ñandú"]
PAGE = "/attendance/check/"
JSON = "/attendance/check.json"


@pytest.fixture
def places(settings, caplog, capfd):
    """The shared Redis cache (as in production) under a prefix of this test's own, every
    log record at DEBUG with SQL statements logged, and the mail outbox; yields a search."""
    prefix = unique_prefix()
    settings.CACHES = {
        "default": {"BACKEND": "kernel.cache.DegradingRedisCache", "LOCATION": settings.REDIS_URL, "KEY_PREFIX": prefix}
    }
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True  # every SQL statement and its parameters in the log
    mail.outbox = []

    def search() -> list[str]:
        captured = capfd.readouterr()
        logs = "\n".join(
            [caplog.text, captured.out, captured.err]
            + [repr(r.args) + repr(getattr(r, "request", "")) for r in caplog.records]
        )
        return found_in(TERMS, logs=logs, redis_url=settings.REDIS_URL)

    yield search
    connection.force_debug_cursor = False
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)


def test_the_search_finds_the_name_wherever_it_is_planted(places, facilitator):
    """The control: the same search over the same places finds the name once it is there."""
    get_user_model().objects.filter(pk=facilitator.pk).update(first_name=NAME)
    cache.set("planted", {"who": NAME})
    logging.getLogger("attendance").info("planted %s", normalise_name(NAME))
    mail.send_mail("Planted", f"Hello {NAME}", "from@example.org", ["to@example.org"])
    default_storage.save("planted/slip.txt", ContentFile(NAME.encode()))
    found = places()
    for place in ("database", "redis", "logs", "outbox", "media"):
        assert any(f.startswith(place) for f in found), (place, found)


def issue_through_the_service(meeting, name) -> None:
    """The issuing service's own paths: the facilitator issuing a list and its PDF, a list
    refused for a bad line, a participant's request refused for a wrong meeting code."""
    from attendance import selectors
    from attendance.errors import Refused
    from attendance.pdf import render_slips

    now = timezone.now()
    day = selectors.issuable_dates(meeting, now)[0]
    facilitator = meeting.facilitator
    issued = issuing.slips_issue_by_facilitator(user=facilitator, meeting_id=meeting.pk, meeting_date=day, lines=[name, name.upper()], now=now)
    assert render_slips(issued).startswith(b"%PDF")
    with pytest.raises(Refused):
        issuing.slips_issue_by_facilitator(user=facilitator, meeting_id=meeting.pk, meeting_date=day, lines=[name, "x" * 500], now=now)
    with pytest.raises(Refused):
        issuing.slip_request(typed_code="ZZZZZZ", name=name, now=now)


def test_no_trace_of_a_participant_name_anywhere(places, client, meeting, certificate, settings, caplog):
    settings.ATTENDANCE_CHECK_RATE = "4/m"
    day = timezone.localdate() - timezone.timedelta(days=2)

    # Issuing: a slip as the issuing service keeps it, and its voided twin.
    slip = make_slip(meeting=meeting, certificate=certificate, name=NAME, day=day)
    make_slip(meeting=meeting, certificate=certificate, name=NAME, day=day, voided=True)
    issue_through_the_service(meeting, NAME)  # the real service
    # A failed issue (the code taken): rolled back, nothing kept.
    with pytest.raises(IntegrityError), transaction.atomic():
        make_slip(meeting=meeting, certificate=certificate, name=NAME, day=day, code=slip.code)

    # Checking: a match, as printed and as typed, on the page (and in Spanish) and in JSON.
    assert client.post(PAGE, {"code": slip.code, "name": NAME}).status_code == 200
    assert client.post("/es" + PAGE, {"code": slip.code, "name": normalise_name(NAME)}).status_code == 200
    ok = client.post(JSON, json.dumps({"code": slip.code, "name": NAME.upper()}), content_type="application/json")
    assert ok.json()["match"] is True
    # The check failing inside (the database gone): the 500's log and error report.
    failing = Client(raise_request_exception=False)
    original = Slip.objects.select_related
    Slip.objects.select_related = lambda *a: (_ for _ in ()).throw(RuntimeError("database gone"))
    try:
        assert failing.post(JSON, json.dumps({"code": slip.code, "name": NAME}), content_type="application/json").status_code == 500
    finally:
        Slip.objects.select_related = original
    # Misses: a guessed code with the name, an overlong name, until the limit refuses.
    for code, name in [("ABCDEFGHJKMNPQRSTVWX", NAME), (slip.code, NAME * 10), ("bad", NAME), (slip.code, NAME + "x")]:
        client.post(JSON, json.dumps({"code": code, "name": name}), content_type="application/json")
    refused = client.post(PAGE, {"code": slip.code, "name": NAME})
    assert refused.status_code == 429
    # Broken requests: a body that is not JSON, a name in the address, a form without its token.
    client.post(JSON, f"{{name: {NAME}", content_type="application/json")
    client.get(PAGE, {"code": slip.code, "name": NAME})
    Client(enforce_csrf_checks=True).post(PAGE, {"code": slip.code, "name": NAME})

    # The nightly task, run twice.
    attendance_retention_task.delay().get()
    attendance_retention_task.delay().get()

    assert Slip.objects.count() >= 2  # the slips are there, the name is not
    # The logs searched are real: every statement was logged, and the failure with its traceback.
    assert 'INSERT INTO "attendance_slip"' in caplog.text and "RuntimeError: database gone" in caplog.text
    assert places() == []
