"""Revocation any verifier can check (W3C Bitstring Status List v1.0): the list the site
serves, read the way another verifier reads it; places allocated once and at random,
under concurrency too; revoking sets the bit, reinstating moves the certificate to a new
place while the old one stays revoked; the list is cached and rebuilt on a change.
"""
import base64
import gzip
import itertools
import json
import threading
from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from certification import credential_check, issuer, selectors, services, signing, status_list
from certification.services import status_entries
from certification.models import Certificate, StatusListEntry
from tests.concurrency import run_together
from tests.factories import UserFactory

BASE = "http://testserver"


def bits_of(encoded: str) -> bytes:
    """Decode an encodedList by the standard's words, not with the code under test:
    multibase base64url without padding ('u' prefix) of a GZIP stream."""
    assert encoded.startswith("u") and "=" not in encoded
    assert set(encoded[1:]) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    compressed = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    assert compressed[:2] == b"\x1f\x8b"  # GZIP
    return gzip.decompress(compressed)


def is_set(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))  # index 0 is the left-most bit


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def generic_status(client, credential: dict) -> bool:
    """What another verifier does with our credential's status: fetch the list it names,
    check the list's proof with the key our DID document publishes, check it is ours,
    current and for the same purpose, then read the bit. True means revoked."""
    status = credential["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    response = client.get(status["statusListCredential"].removeprefix(BASE))
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    listed = response.json()
    did = client.get("/.well-known/did.json").json()
    published = {
        method["id"]: signing.public_key_from_multibase(method["publicKeyMultibase"])
        for method in did["verificationMethod"] if method["id"] in did["assertionMethod"]
    }
    assert signing.verify_proof(listed, resolve_key=published.get).verified
    assert listed["id"] == status["statusListCredential"]
    assert "BitstringStatusListCredential" in listed["type"]
    assert listed["issuer"] == credential["issuer"]["id"] == did["id"]
    assert parse_time(listed["validFrom"]) <= timezone.now() < parse_time(listed["validUntil"])
    subject = listed["credentialSubject"]
    assert subject["type"] == "BitstringStatusList" and subject["statusPurpose"] == status["statusPurpose"]
    assert subject["ttl"] == status_list.TTL_SECONDS * 1000
    assert f"max-age={subject['ttl'] // 1000}" in response["Cache-Control"]
    bits = bits_of(subject["encodedList"])
    assert len(bits) * 8 >= 131_072  # the standard's minimum, for herd privacy
    return is_set(bits, int(status["statusListIndex"]))


@pytest.fixture
def certificate(db, programme):
    holder = UserFactory(certificate_name="Grace Hopper")
    certificate, _ = services.certificate_issue(user=holder, programme=programme, period=1, now=timezone.now())
    return certificate


def issued(certificate) -> dict:
    return services.credential_issue(certificate=Certificate.objects.select_related("programme", "holder").get(pk=certificate.pk))


# --- the bitstring ----------------------------------------------------------------------------


def test_the_encoded_list_follows_the_standard():
    encoded = status_list.encode_list([0, 7, 8, 131_071])
    bits = bits_of(encoded)
    assert len(bits) == 16_384
    assert bits[0] == 0b1000_0001 and bits[1] == 0b1000_0000 and bits[-1] == 0b0000_0001
    assert sum(bin(byte).count("1") for byte in bits) == 4
    assert status_list.decode_list(encoded) == bits
    assert status_list.encode_list([]) == status_list.encode_list([])  # the same bits, the same text
    assert len(status_list.encode_list([])) < 200  # an empty list compresses to almost nothing


# --- revoking and reinstating, as another verifier sees it ---------------------------------------


@pytest.mark.django_db
def test_revoking_sets_the_bit_another_verifier_reads(client, certificate, django_capture_on_commit_callbacks):
    credential = issued(certificate)
    assert generic_status(client, credential) is False

    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(certificate_id=certificate.pk, by=UserFactory(), reason="conduct")
    assert generic_status(client, credential) is True
    # Only that bit: the list says nothing about anyone else.
    listed = client.get(credential["credentialStatus"]["statusListCredential"].removeprefix(BASE)).json()
    bits = bits_of(listed["credentialSubject"]["encodedList"])
    assert sum(bin(byte).count("1") for byte in bits) == 1


@pytest.mark.django_db
def test_reinstating_gives_a_new_place_and_leaves_the_old_one_revoked(
    client, certificate, django_capture_on_commit_callbacks
):
    before = issued(certificate)
    staff = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(certificate_id=certificate.pk, by=staff, reason="error")
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_reinstate(certificate_id=certificate.pk, by=staff, note="Revoked the wrong certificate.")

    certificate.refresh_from_db()
    assert certificate.status() == "valid" and certificate.pdf  # the PDF is made anew
    after = issued(certificate)
    assert after["credentialStatus"]["statusListIndex"] != before["credentialStatus"]["statusListIndex"]
    assert generic_status(client, after) is False  # the new credential is valid everywhere
    assert generic_status(client, before) is True  # a published revocation is final
    old = StatusListEntry.objects.get(certificate=certificate, retired_at__isnull=False)
    assert str(old.index) == before["credentialStatus"]["statusListIndex"]
    assert certificate.events.filter(kind="reinstated", actor=staff).exists()

    # The site's own check agrees about the certificate and says what happened to the old copy.
    check = credential_check.check_credential(json.dumps(before))
    assert check.valid and any("since been reinstated" in note for note in check.notes)
    check = credential_check.check_credential(json.dumps(after))
    assert check.valid and not any("reinstated" in note for note in check.notes)
    page = client.get(f"/certificates/verify/{certificate.code}/").content.decode()
    assert "Revoked." not in page


@pytest.mark.django_db
def test_reinstating_refuses_what_is_not_revoked_and_needs_a_reason(certificate):
    staff = UserFactory()
    with pytest.raises(services.CertificationError, match="not revoked"):
        services.certificate_reinstate(certificate_id=certificate.pk, by=staff, note="Why not")
    services.certificate_revoke(certificate_id=certificate.pk, by=staff, reason="error")
    with pytest.raises(services.CertificationError, match="Say why"):
        services.certificate_reinstate(certificate_id=certificate.pk, by=staff, note="   ")
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and not certificate.events.filter(kind="reinstated").exists()


@pytest.mark.django_db
def test_an_expired_certificate_keeps_its_bit_clear(client, holder_expired):
    # Expiry is the credential's validUntil, not a status bit: the list is for revocation.
    credential = issued(holder_expired)
    assert parse_time(credential["validUntil"]) < timezone.now()
    assert generic_status(client, credential) is False


@pytest.fixture
def holder_expired(db, programme):
    long_ago = timezone.now() - timedelta(days=365 * 3)
    certificate, _ = services.certificate_issue(user=UserFactory(), programme=programme, period=1, now=long_ago)
    return certificate


# --- places ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_place_is_allocated_once_at_random(programme):
    now = timezone.now()
    certificates = [services.certificate_issue(user=UserFactory(), programme=programme, period=1, now=now)[0] for _ in range(6)]
    indexes = [int(issued(c)["credentialStatus"]["statusListIndex"]) for c in certificates]
    assert len(set(indexes)) == 6
    assert max(indexes) > 100  # not handed out in issue order (chance of failing: (100/131072)^6)
    # A second download keeps the place.
    assert [int(issued(c)["credentialStatus"]["statusListIndex"]) for c in certificates] == indexes
    assert StatusListEntry.objects.count() == 6


@pytest.mark.django_db
def test_a_full_list_opens_the_next_one(client, programme, monkeypatch):
    monkeypatch.setattr(status_entries, "LIST_FILL", 2)
    now = timezone.now()
    certificates = [services.certificate_issue(user=UserFactory(), programme=programme, period=1, now=now)[0] for _ in range(3)]
    lists = [issued(c)["credentialStatus"]["statusListCredential"] for c in certificates]
    assert lists == [f"{BASE}/certificates/status/1"] * 2 + [f"{BASE}/certificates/status/2"]
    assert generic_status(client, issued(certificates[2])) is False
    assert client.get("/certificates/status/3").status_code == 404
    assert client.get("/certificates/status/0").status_code == 404


@pytest.mark.django_db
def test_the_database_refuses_a_place_taken_twice_or_outside_a_list(certificate, programme):
    other, _ = services.certificate_issue(user=UserFactory(), programme=programme, period=1, now=timezone.now())
    StatusListEntry.objects.create(certificate=certificate, status_list=1, index=5)
    for bad in (
        {"certificate": other, "status_list": 1, "index": 5},  # the same bit
        {"certificate": certificate, "status_list": 1, "index": 6},  # a second live place
        {"certificate": other, "status_list": 1, "index": 131_072},  # past the end
        {"certificate": other, "status_list": 0, "index": 1},  # no list 0
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            StatusListEntry.objects.create(**bad)
    assert StatusListEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_downloads_share_one_place_and_colliding_indexes_retry(programme, monkeypatch):
    now = timezone.now()
    one = services.certificate_issue(user=UserFactory(), programme=programme, period=1, now=now)[0]
    results, errors = run_together(8, lambda _: services.status_entry_ensure(certificate=one).pk)
    assert errors == [] and len(set(results)) == 1
    assert StatusListEntry.objects.filter(certificate=one).count() == 1

    # Eight certificates whose first random pick is the same index: one gets it, the
    # others meet the unique constraint and pick again.
    many = [services.certificate_issue(user=UserFactory(), programme=programme, period=1, now=now)[0] for _ in range(8)]
    real = status_entries.secrets.randbelow
    first_pick = threading.local()

    def randbelow(n):
        if not getattr(first_pick, "done", False):
            first_pick.done = True
            return 4242
        return real(n)

    monkeypatch.setattr(status_entries.secrets, "randbelow", randbelow)
    results, errors = run_together(8, lambda i: services.status_entry_ensure(certificate=many[i]).index)
    assert errors == []
    assert len(set(results)) == 8 and results.count(4242) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_revocations_lose_no_bit(client, programme):
    now = timezone.now()
    certificates = [services.certificate_issue(user=UserFactory(), programme=programme, period=1, now=now)[0] for _ in range(6)]
    documents = [issued(c) for c in certificates]
    assert not any(generic_status(client, d) for d in documents)  # and the list is cached now
    staff = UserFactory()
    results, errors = run_together(
        6, lambda i: services.certificate_revoke(certificate_id=certificates[i].pk, by=staff, reason="conduct").pk
    )
    assert errors == [] and len(results) == 6
    assert all(generic_status(client, d) for d in documents)


# --- serving ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_is_served_from_the_cache_until_a_change_commits(
    client, certificate, django_assert_num_queries, django_capture_on_commit_callbacks
):
    url = issued(certificate)["credentialStatus"]["statusListCredential"].removeprefix(BASE)
    index = int(StatusListEntry.objects.get(certificate=certificate).index)
    with django_assert_num_queries(1):  # built: the list's set bits, in one query
        first = client.get(url)
    with django_assert_num_queries(0):  # cached
        assert client.get(url).content == first.content

    # A change not announced yet is not seen (the cache answers)...
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now(), revocation_reason="error")
    assert not is_set(bits_of(client.get(url).json()["credentialSubject"]["encodedList"]), index)
    # ...once its transaction commits, the next request builds the list again.
    with django_capture_on_commit_callbacks(execute=True):
        selectors.status_lists_changed()
    with django_assert_num_queries(1):
        fresh = client.get(url).json()
    assert is_set(bits_of(fresh["credentialSubject"]["encodedList"]), index)


@pytest.mark.django_db
def test_building_a_list_costs_the_same_queries_whatever_its_size(programme, django_assert_num_queries):
    now = timezone.now()
    for i in range(12):
        certificate = services.certificate_issue(user=UserFactory(), programme=programme, period=1, now=now)[0]
        services.status_entry_ensure(certificate=certificate)
        if i % 3 == 0:
            Certificate.objects.filter(pk=certificate.pk).update(revoked_at=now, revocation_reason="error")
    with django_assert_num_queries(1):
        document = selectors.signed_status_list(1)
    assert sum(bin(b).count("1") for b in bits_of(document["credentialSubject"]["encodedList"])) == 4


@pytest.mark.django_db
def test_a_forged_or_changed_list_does_not_verify(client, certificate):
    listed = client.get(issued(certificate)["credentialStatus"]["statusListCredential"].removeprefix(BASE)).json()
    assert issuer.verify(listed).verified
    changed = {**listed, "credentialSubject": {**listed["credentialSubject"], "encodedList": status_list.encode_list(range(10))}}
    assert issuer.verify(changed).code == "signature"


@pytest.mark.django_db
def test_the_list_answers_only_safe_methods(client, certificate):
    issued(certificate)
    assert client.post("/certificates/status/1").status_code == 405
    assert client.head("/certificates/status/1").status_code == 200


def test_allocation_gives_up_rather_than_loop_forever(monkeypatch, db, programme):
    certificate = services.certificate_issue(user=UserFactory(), programme=programme, period=1, now=timezone.now())[0]
    holder = services.certificate_issue(user=UserFactory(), programme=programme, period=1, now=timezone.now())[0]
    StatusListEntry.objects.create(certificate=holder, status_list=1, index=7)
    tries = itertools.count()

    def always_the_taken_bit(n):
        next(tries)
        return 7

    monkeypatch.setattr(status_entries.secrets, "randbelow", always_the_taken_bit)
    with pytest.raises(RuntimeError, match="No free place"):
        services.status_entry_ensure(certificate=certificate)
    assert next(tries) == status_entries.ALLOCATION_TRIES
    assert not StatusListEntry.objects.filter(certificate=certificate).exists()
