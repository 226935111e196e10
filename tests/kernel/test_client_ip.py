"""The client's address (kernel/client_ip.py): headers are read only from trusted proxies,
walked from the right; every rate limit counts by it."""
import pytest
from django.urls import reverse

from kernel.client_ip import client_ip, network_of, parse_trusted_proxies
from tests.factories import UserFactory

PROXY = "10.0.0.5"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "2001:db8:feed::/48"]
    return settings


def ip(rf, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(rf.get("/", **extra))


def test_without_trusted_proxies_the_header_is_never_read(rf, settings):
    settings.TRUSTED_PROXIES = []
    assert ip(rf, "198.51.100.7", "203.0.113.1") == "198.51.100.7"
    assert ip(rf, PROXY, "203.0.113.1") == PROXY


def test_a_forged_header_from_an_untrusted_peer_is_ignored(rf, behind_proxy):
    # A client that reaches the site directly names someone else, or a "trusted" chain.
    assert ip(rf, "198.51.100.7", "203.0.113.1") == "198.51.100.7"
    assert ip(rf, "198.51.100.7", f"203.0.113.1, {PROXY}") == "198.51.100.7"


def test_behind_trusted_proxies_the_first_untrusted_hop_from_the_right_is_the_client(rf, behind_proxy):
    assert ip(rf, PROXY, "203.0.113.1") == "203.0.113.1"
    # Two trusted hops (a load balancer, then nginx) are skipped.
    assert ip(rf, PROXY, "203.0.113.1, 10.0.0.9") == "203.0.113.1"
    # What the client wrote itself, left of the address the proxy saw, is never read.
    assert ip(rf, PROXY, "1.1.1.1, 8.8.8.8, 203.0.113.1") == "203.0.113.1"
    assert ip(rf, PROXY, "10.0.0.7, 203.0.113.1") == "203.0.113.1"


def test_malformed_entries(rf, behind_proxy):
    # Only the client's own part of the header can be malformed; the proxy's entry wins.
    assert ip(rf, PROXY, "not-an-ip, 203.0.113.1") == "203.0.113.1"
    assert ip(rf, PROXY, "203.0.113.1 , ") == PROXY  # an empty last entry: nothing to trust
    assert ip(rf, PROXY, "") == PROXY
    assert ip(rf, PROXY, " , , ") == PROXY
    assert ip(rf, PROXY, "unknown") == PROXY
    assert ip(rf, PROXY, "<script>alert(1)</script>") == PROXY
    assert ip(rf, PROXY, "999.1.1.1") == PROXY
    # Every hop trusted, then junk: the furthest trusted hop is the client.
    assert ip(rf, PROXY, "junk, 10.0.0.8") == "10.0.0.8"
    # Ports and quotes, as some proxies write them.
    assert ip(rf, PROXY, "203.0.113.1:4711") == "203.0.113.1"
    assert ip(rf, PROXY, '"[2001:db8::1]:443"') == "2001:db8::1"
    # An untrusted peer that is not an address at all is kept as given.
    assert client_ip(rf.get("/", REMOTE_ADDR="")) == ""


def test_ipv6_peers_clients_and_mapped_addresses(rf, behind_proxy):
    assert ip(rf, "2001:db8:feed::10", "2001:db8:1::abc") == "2001:db8:1::abc"
    assert ip(rf, "2001:db8:beef::10", "2001:db8:1::abc") == "2001:db8:beef::10"  # not a trusted network
    assert ip(rf, "::ffff:10.0.0.5", "::ffff:203.0.113.1") == "203.0.113.1"
    assert ip(rf, "2001:db8:feed::10", "203.0.113.1, 2001:db8:feed::11") == "203.0.113.1"
    # One IPv6 subscriber (a /64) is one rate-limit bucket; IPv4 addresses are their own.
    assert network_of("2001:db8:1::abc") == network_of("2001:db8:1:0:ffff::1") == "2001:db8:1::"
    assert network_of("2001:db8:1:1::1") != network_of("2001:db8:1::1")
    assert network_of("203.0.113.1") == "203.0.113.1"


def test_bad_trusted_proxies_are_refused_when_settings_load():
    assert [str(n) for n in parse_trusted_proxies([" 10.0.0.1 ", "10.1.0.0/16", "::1"])] == ["10.0.0.1/32", "10.1.0.0/16", "::1/128"]
    for bad in (["10.0.0.300"], ["proxy.example.org"], [""]):
        with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
            parse_trusted_proxies(bad)
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.dev", "TRUSTED_PROXIES": "10.0.0.0/8,nginx"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=Path(__file__).resolve().parents[2], env=env,
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "'nginx'" in result.stderr


# --- every rate limit counts by it --------------------------------------------------------


@pytest.mark.django_db
def test_certificate_lookups_from_two_clients_behind_the_proxy_are_counted_apart(client, behind_proxy):
    behind_proxy.CERTIFICATE_VERIFY_RATE = "3/m"
    url = reverse("certification:lookup")
    alice = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.1"}
    bob = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.2"}
    for _ in range(3):
        assert client.get(url, {"code": "0000000000000000000A"}, **alice).status_code == 404
    assert client.get(url, {"code": "0000000000000000000A"}, **alice).status_code == 429
    # Alice forging Bob's address in front of her own changes nothing.
    assert client.get(url, {"code": "0000000000000000000A"}, HTTP_X_FORWARDED_FOR="203.0.113.2, 203.0.113.1", REMOTE_ADDR=PROXY).status_code == 429
    assert client.get(url, {"code": "0000000000000000000A"}, **bob).status_code == 404


@pytest.mark.django_db
def test_failed_logins_from_two_clients_behind_the_proxy_are_counted_apart(client, behind_proxy):
    url = reverse("account_login")
    alice = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.1"}
    bob = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.2"}
    # Alice guesses at ten different accounts: her address is then throttled (10/m/ip).
    for n in range(10):
        response = client.post(url, {"login": f"someone{n}@example.org", "password": "guess"}, **alice)
        assert b"Too many" not in response.content
    response = client.post(url, {"login": "someone-else@example.org", "password": "guess"}, **alice)
    assert b"Too many failed" in response.content
    # Bob, behind the same proxy, signs in.
    bob_user = UserFactory(email="bob@example.org")
    response = client.post(url, {"login": bob_user.email, "password": "a-long-test-passphrase"}, **bob)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(bob_user.pk)


# --- through a real reverse proxy on loopback -----------------------------------------------


class ForwardingProxy:
    """A tiny reverse proxy on 127.0.0.1, as nginx with ``proxy_add_x_forwarded_for``: it
    appends the address its client connected from to X-Forwarded-For and passes the
    request on to the site from 127.0.0.1."""

    def __init__(self, upstream_port: int):
        import http.client
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "x-forwarded-for")}
                previous = self.headers.get("X-Forwarded-For")
                headers["X-Forwarded-For"] = f"{previous}, {self.client_address[0]}" if previous else self.client_address[0]
                upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30, source_address=("127.0.0.1", 0))
                upstream.request("GET", self.path, headers=headers)
                reply = upstream.getresponse()
                body = reply.read()
                upstream.close()
                self.send_response(reply.status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def http_get(port: int, path: str, *, source: str, forwarded: str | None = None) -> int:
    """GET from a given loopback address (127.0.0.2, 127.0.0.3, ...: separate clients)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    connection.request("GET", path, headers={"X-Forwarded-For": forwarded} if forwarded else {})
    status = connection.getresponse().status
    connection.close()
    return status


# serialized_rollback: the flush after a transactional test would otherwise take the
# migration-made site tree away from the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_through_a_real_proxy_hop_each_client_has_its_own_bucket_and_forgers_are_ignored(live_server, settings):
    from urllib.parse import urlsplit

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.CERTIFICATE_VERIFY_RATE = "3/m"
    site_port = urlsplit(live_server.url).port
    proxy = ForwardingProxy(site_port)
    path = reverse("certification:lookup") + "?code=0000000000000000000A"
    try:
        # Alice (127.0.0.2) uses up her allowance through the proxy, adding a forged
        # address in front of her own; Bob (127.0.0.3) behind the same proxy is not refused.
        assert [http_get(proxy.port, path, source="127.0.0.2", forwarded="127.0.0.3") for _ in range(4)] == [404, 404, 404, 429]
        assert http_get(proxy.port, path, source="127.0.0.3") == 404
        # Someone reaching the site directly (127.0.0.4, not a trusted proxy) and naming
        # Bob counts against their own address, never Bob's: after three, they are refused
        # and Bob is not.
        assert [http_get(site_port, path, source="127.0.0.4", forwarded="127.0.0.3") for _ in range(4)] == [404, 404, 404, 429]
        assert http_get(proxy.port, path, source="127.0.0.3") == 404
        # And naming Alice does not put them in her (exhausted) bucket.
        assert http_get(site_port, path, source="127.0.0.5", forwarded="127.0.0.2") == 404
    finally:
        proxy.close()
