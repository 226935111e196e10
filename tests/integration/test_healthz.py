"""/healthz against the real broker: a live Redis, and a loopback port nothing listens on."""
import socket

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_healthz_ok_with_a_live_broker(client, celery_broker):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_503_when_the_broker_is_unreachable(client, celery_broker):
    # A port bound but not listening: connections to it are refused, and nothing else
    # can start listening there while the socket is held.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as closed:
        closed.bind(("127.0.0.1", 0))
        celery_broker.use(f"redis://127.0.0.1:{closed.getsockname()[1]}/0")

        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error: ")
