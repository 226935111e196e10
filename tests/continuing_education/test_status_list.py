"""A CE certificate's revocation as any verifier reads it: its credential names a place
(``BitstringStatusListEntry``) in the same lists as facilitator certificates; revoking
sets the bit, reinstating retires the place (the old credential stays revoked, the next
one gets a new place with a clear bit). Places are held by kind and id; one the site
cannot vouch for reads revoked. The list is read the way another verifier reads it
(``generic_status``: fetch, check the list's proof, decode the bitstring)."""
import json

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from certification import selectors as cert_selectors
from certification import services as cert_services
from certification.models import Programme, StatusListEntry
from continuing_education import services
from continuing_education.models import CECertificate
from continuing_education.services import staff
from tests.certification.test_credential_interop import safe_expand, schema_errors
from tests.certification.test_status_list import BASE, bits_of, generic_status, is_set
from tests.concurrency import run_together
from tests.factories import UserFactory

from .conftest import ready_learner

pytestmark = pytest.mark.django_db
KIND = CECertificate.STATUS_KIND


@pytest.fixture
def certificate(learner, course, approval):
    ready_learner(learner, course)
    services.ce_evaluate(user_id=learner.pk, course_id=course.pk)
    return CECertificate.objects.select_related("holder").get(holder=learner)


def issued(certificate) -> dict:
    return services.ce_credential_issue(certificate=CECertificate.objects.select_related("holder").get(pk=certificate.pk))


def set_bits(client, credential) -> int:
    listed = client.get(credential["credentialStatus"]["statusListCredential"].removeprefix(BASE)).json()
    return sum(bin(byte).count("1") for byte in bits_of(listed["credentialSubject"]["encodedList"]))


def test_the_credential_names_its_place_and_still_validates(certificate):
    document = issued(certificate)
    status = document["credentialStatus"]
    entry = StatusListEntry.objects.get(kind=KIND, object_id=certificate.pk)
    assert status == {
        "id": f"{BASE}/certificates/status/{entry.status_list}#{entry.index}", "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation", "statusListIndex": str(entry.index),
        "statusListCredential": f"{BASE}/certificates/status/{entry.status_list}",
    }
    assert entry.certificate_id is None and entry.retired_at is None
    # 1EdTech's AchievementCredential schema and a JSON-LD processor in safe mode accept it.
    assert schema_errors(document) == []
    text = json.dumps(safe_expand(document))
    assert "https://www.w3.org/ns/credentials/status#BitstringStatusListEntry" in text
    assert "https://www.w3.org/ns/credentials/status#statusListIndex" in text
    # A second download keeps the place; the signature covers it.
    assert issued(certificate)["credentialStatus"] == status
    assert StatusListEntry.objects.count() == 1
    from certification import issuer

    assert issuer.verify(document).verified
    moved = {**document, "credentialStatus": {**status, "statusListIndex": str(entry.index + 1)}}
    assert issuer.verify(moved).code == "signature"


def test_revoking_sets_the_bit_another_verifier_reads(client, certificate, django_capture_on_commit_callbacks):
    credential = issued(certificate)
    assert generic_status(client, credential) is False  # and the list is now cached

    with django_capture_on_commit_callbacks(execute=True):
        staff.ce_certificate_revoke(certificate_id=certificate.pk, by=UserFactory(), reason="error")
    assert generic_status(client, credential) is True
    assert set_bits(client, credential) == 1  # only that bit: the list says nothing of anyone else


def test_reinstating_gives_a_new_place_and_leaves_the_old_one_revoked(
    client, certificate, django_capture_on_commit_callbacks
):
    before = issued(certificate)
    by = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        staff.ce_certificate_revoke(certificate_id=certificate.pk, by=by, reason="error")
    with django_capture_on_commit_callbacks(execute=True):
        staff.ce_certificate_reinstate(certificate_id=certificate.pk, by=by, note="Revoked the wrong certificate.")

    after = issued(certificate)
    assert after["credentialStatus"]["statusListIndex"] != before["credentialStatus"]["statusListIndex"]
    assert generic_status(client, after) is False  # the new credential is valid everywhere
    assert generic_status(client, before) is True  # a published revocation is final
    old = StatusListEntry.objects.get(kind=KIND, object_id=certificate.pk, retired_at__isnull=False)
    assert str(old.index) == before["credentialStatus"]["statusListIndex"]

    # The site's own check says the certificate is valid, and what became of the old copy.
    page = client.post(reverse("certification:credential_check"), {"credential": json.dumps(before)}).content.decode()
    assert "<strong>✓ Valid.</strong>" in page and "since been reinstated" in page
    page = client.post(reverse("certification:credential_check"), {"credential": json.dumps(after)}).content.decode()
    assert "<strong>✓ Valid.</strong>" in page and "reinstated" not in page


def test_revoked_by_staff_again_the_new_place_is_set_too(client, certificate, django_capture_on_commit_callbacks):
    by = UserFactory()
    issued(certificate)
    with django_capture_on_commit_callbacks(execute=True):
        staff.ce_certificate_revoke(certificate_id=certificate.pk, by=by, reason="error")
        staff.ce_certificate_reinstate(certificate_id=certificate.pk, by=by, note="In error.")
    second = issued(certificate)
    with django_capture_on_commit_callbacks(execute=True):
        staff.ce_certificate_revoke(certificate_id=certificate.pk, by=by, reason="requirements")
    assert generic_status(client, second) is True and set_bits(client, second) == 2


def test_ce_and_facilitator_certificates_share_the_lists_without_touching_each_others_bits(
    client, learner, course, certificate, django_capture_on_commit_callbacks, django_assert_num_queries
):
    programme = Programme.objects.create(title="Meeting Facilitator", slug="meeting-facilitator", validity_months=24)
    facilitator, _ = cert_services.certificate_issue(user=learner, programme=programme, period=1, now=timezone.now())
    theirs = cert_services.credential_issue(certificate=facilitator)
    ours = issued(certificate)
    assert theirs["credentialStatus"]["statusListCredential"] == ours["credentialStatus"]["statusListCredential"]

    with django_capture_on_commit_callbacks(execute=True):
        staff.ce_certificate_revoke(certificate_id=certificate.pk, by=UserFactory(), reason="error")
    assert (generic_status(client, ours), generic_status(client, theirs)) == (True, False)
    with django_capture_on_commit_callbacks(execute=True):
        cert_services.certificate_revoke(certificate_id=facilitator.pk, by=UserFactory(), reason="conduct")
        staff.ce_certificate_reinstate(certificate_id=certificate.pk, by=UserFactory(), note="In error.")
    assert (generic_status(client, ours), generic_status(client, theirs)) == (True, True)  # ours: retired
    assert generic_status(client, issued(certificate)) is False

    # Built in one query whatever the kinds (the CE certificates in force are a subquery).
    with django_assert_num_queries(1):
        document = cert_selectors.signed_status_list(1)
    assert sum(bin(b).count("1") for b in bits_of(document["credentialSubject"]["encodedList"])) == 2


def test_a_place_the_site_cannot_vouch_for_reads_revoked(certificate, learner, course):
    issued(certificate)
    entry = StatusListEntry.objects.get(kind=KIND, object_id=certificate.pk)
    # A CE certificate deleted outright (it never is by the product) must not look valid again.
    CECertificate.objects.filter(pk=certificate.pk).delete()
    # And a place of a kind no app answers for (an app removed) reads revoked too.
    stray = StatusListEntry.objects.create(kind="retired_kind", object_id=1, status_list=1, index=(entry.index + 1) % 131_072)
    bits = bits_of(cert_selectors.signed_status_list(1)["credentialSubject"]["encodedList"])
    assert is_set(bits, entry.index) and is_set(bits, stray.index)


def test_the_database_refuses_a_place_held_twice_or_by_two_things(certificate, learner):
    programme = Programme.objects.create(title="Meeting Facilitator", slug="meeting-facilitator", validity_months=24)
    facilitator, _ = cert_services.certificate_issue(user=learner, programme=programme, period=1, now=timezone.now())
    StatusListEntry.objects.create(kind=KIND, object_id=certificate.pk, status_list=1, index=5)
    for bad in (
        {"kind": KIND, "object_id": certificate.pk, "index": 6},  # a second live place
        {"kind": KIND, "object_id": certificate.pk + 1, "index": 5},  # the same bit
        {"kind": KIND, "index": 7},  # held by nothing
        {"kind": KIND, "object_id": certificate.pk + 1, "certificate": facilitator, "index": 8},  # by two things
        {"object_id": certificate.pk + 1, "certificate": facilitator, "index": 9},  # a facilitator one with an id
        {"kind": "", "object_id": certificate.pk + 1, "index": 10},  # no kind
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            StatusListEntry.objects.create(status_list=1, **bad)
    assert StatusListEntry.objects.count() == 1
    with pytest.raises(ValueError, match="registered"):
        cert_services.status_entry_ensure_for(kind="made_up", object_id=1)
    with pytest.raises(ValueError, match="reserved"):
        cert_selectors.register_status_kind(StatusListEntry.CERTIFICATE, in_force=lambda: CECertificate.objects.none())


def test_a_revoked_certificate_gets_no_credential_and_no_place(certificate):
    staff.ce_certificate_revoke(certificate_id=certificate.pk, by=UserFactory(), reason="error")
    certificate.refresh_from_db()
    with pytest.raises(ValueError):
        services.ce_credential_issue(certificate=certificate)
    assert not StatusListEntry.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_downloads_share_one_place(learner, course, approval):
    ready_learner(learner, course)
    services.ce_evaluate(user_id=learner.pk, course_id=course.pk)
    certificate = CECertificate.objects.get(holder=learner)
    results, errors = run_together(
        8, lambda _: cert_services.status_entry_ensure_for(kind=KIND, object_id=certificate.pk).pk
    )
    assert errors == [] and len(set(results)) == 1
    assert StatusListEntry.objects.filter(kind=KIND, object_id=certificate.pk).count() == 1
