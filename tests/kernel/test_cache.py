"""The cache degrades to "no cache" when Redis cannot be reached (kernel/cache.py).

Against real sockets on loopback: a port bound but not listening (connections refused),
and a listener that counts connections and hangs up at once. A live Redis that goes
away and comes back is in tests/integration/test_redis_down.py.
"""
import logging
import socket
import threading

import pytest
from django.core.cache import caches

from kernel import cache as degrading


@pytest.fixture(autouse=True)
def fresh_outages(monkeypatch):
    """Each test starts with no outage known (the state is kept per process)."""
    monkeypatch.setattr(degrading, "_outages", {})


@pytest.fixture
def refused_port():
    """A loopback port that refuses connections (bound, not listening: nothing else can
    listen there while the test runs)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


class HangUp:
    """Accepts connections, counts them and closes each at once."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            conn.close()

    def close(self):
        self.sock.close()


@pytest.fixture
def hang_up():
    server = HangUp()
    yield server
    server.close()


def use_cache(settings, port: int, **options):
    # A location of its own per test: the outage state is kept per process and location.
    settings.CACHES = {
        "default": {
            "BACKEND": "kernel.cache.DegradingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/3",
            "OPTIONS": options,
        }
    }
    return caches["default"]


def test_every_call_degrades_to_no_cache_when_redis_refuses(settings, refused_port):
    cache = use_cache(settings, refused_port, retry_after=0)

    assert cache.get("a") is None
    assert cache.get("a", "fallback") == "fallback"
    assert cache.set("a", 1) is None
    assert cache.add("a", 1) is True  # as DummyCache: a lock or counter built on it lets the request through
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1, "b": 2}) == []
    assert cache.delete("a") is False
    assert cache.delete_many(["a", "b"]) is None
    assert cache.touch("a") is False
    assert cache.has_key("a") is False and "a" not in cache
    assert cache.get_or_set("a", lambda: "built") == "built"
    # incr says what it says for a missing key, which callers already handle.
    with pytest.raises(ValueError):
        cache.incr("a")
    with pytest.raises(ValueError):
        cache.decr("a")


def test_plain_django_redis_cache_raises_where_this_one_degrades(refused_port):
    """The premise: Django's own backend answers a refused connection with an error (a
    500 on every page that touches the cache or the session)."""
    import redis
    from django.core.cache.backends.redis import RedisCache

    plain = RedisCache(f"redis://127.0.0.1:{refused_port}/3", {})
    with pytest.raises(redis.exceptions.ConnectionError):
        plain.get("a")


def test_after_a_failure_redis_is_left_alone_for_a_while(settings, hang_up):
    cache = use_cache(settings, hang_up.port, retry_after=3600)

    assert cache.get("a", "miss") == "miss"
    first = hang_up.accepted
    assert first >= 1
    for _ in range(50):
        cache.get("a")
        cache.set("a", 1)
    assert hang_up.accepted == first  # no connection attempted while it is known to be down


def test_once_the_wait_is_over_it_tries_again(settings, hang_up):
    cache = use_cache(settings, hang_up.port, retry_after=0)

    cache.get("a")
    first = hang_up.accepted
    cache.get("a")
    assert hang_up.accepted > first


def test_one_warning_per_minute_while_it_lasts(settings, refused_port, caplog):
    cache = use_cache(settings, refused_port, retry_after=0)

    with caplog.at_level(logging.WARNING, logger="kernel.cache"):
        for _ in range(20):
            cache.get("a")
    warnings = [r for r in caplog.records if r.name == "kernel.cache"]
    assert len(warnings) == 1
    assert "cannot be reached" in warnings[0].getMessage()
    assert f"127.0.0.1:{refused_port}" in warnings[0].getMessage()


def test_the_log_never_shows_the_password(settings, refused_port, caplog):
    settings.CACHES = {"default": {"BACKEND": "kernel.cache.DegradingRedisCache",
                                   "LOCATION": f"redis://:s3cret-pass@127.0.0.1:{refused_port}/3"}}
    with caplog.at_level(logging.WARNING, logger="kernel.cache"):
        caches["default"].get("a")
    assert f"redis://127.0.0.1:{refused_port}/3" in caplog.text and "s3cret" not in caplog.text


def test_keys_written_during_an_outage_are_bounded(settings, refused_port, monkeypatch):
    monkeypatch.setattr(degrading, "MAX_REMEMBERED", 5)
    cache = use_cache(settings, refused_port, retry_after=3600)

    cache.set_many({f"k{i}": i for i in range(8)})
    outage = cache._cache.outage
    assert len(outage.unwritten) == 5 and outage.overflow == 3
