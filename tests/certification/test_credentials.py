"""Digital credentials: Open Badges 3.0 / W3C VC 2.0 signed with an eddsa-jcs-2022 Data
Integrity proof; the did:web document; holder-only downloads; checking an uploaded
credential (valid, changed, not ours, revoked, expired, not JSON, too big).

The signing format is tested against the published test vector of "Data Integrity EdDSA
Cryptosuites v1.0" (W3C, appendix B.3 "Representation: eddsa-jcs-2022", identical in the
2025 Proposed Recommendation and Recommendation) byte for byte: canonical forms, both
SHA-256 hashes, the signature and the proofValue. Ed25519 itself is checked against
RFC 8032 section 7.1, test 1.
"""
import copy
import datetime
import hashlib
import json
import os
import socket
import subprocess
import sys
import types
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from certification import credential_check, issuer, keys, services, signing
from certification.models import Certificate
from kernel.when import day_text
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]

# --- the specification's test vector (vc-di-eddsa, appendix B.3) ----------------------------

SPEC_PUBLIC_KEY = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
SPEC_SECRET_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
SPEC_CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
SPEC_VERIFICATION_METHOD = f"did:key:{SPEC_PUBLIC_KEY}#{SPEC_PUBLIC_KEY}"
SPEC_PROOF_OPTIONS = {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-jcs-2022",
    "created": "2023-02-24T23:36:38Z",
    "verificationMethod": SPEC_VERIFICATION_METHOD,
    "proofPurpose": "assertionMethod",
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
}
SPEC_CANONICAL_CREDENTIAL = (
    '{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],'
    '"credentialSubject":{"alumniOf":"The School of Examples","id":"did:example:abcdefgh"},'
    '"description":"A minimum viable example of an Alumni Credential.",'
    '"id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33","issuer":"https://vc.example/issuers/5678",'
    '"name":"Alumni Credential","type":["VerifiableCredential","AlumniCredential"],"validFrom":"2023-01-01T00:00:00Z"}'
)
SPEC_CREDENTIAL_HASH = "59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19"
SPEC_CANONICAL_PROOF_OPTIONS = (
    '{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],'
    '"created":"2023-02-24T23:36:38Z","cryptosuite":"eddsa-jcs-2022","proofPurpose":"assertionMethod",'
    '"type":"DataIntegrityProof","verificationMethod":"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2'
    '#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}'
)
SPEC_PROOF_OPTIONS_HASH = "66ab154f5c2890a140cb8388a22a160454f80575f6eae09e5a097cabe539a1db"
SPEC_SIGNATURE_HEX = (
    "407cd12654b33d718ecbb99179a1506daaa849450bf3fc523cce3e1c96f8b803"
    "51da3f253d725c6f00b07c9e5448d50b3ef78012b9ab54255116d069c6dd2808"
)
SPEC_PROOF_VALUE = "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"


def spec_key_resolver(method):
    return signing.public_key_from_multibase(SPEC_PUBLIC_KEY) if method == SPEC_VERIFICATION_METHOD else None


def test_spec_key_pair_is_read_as_multikey():
    private = signing.private_key_from_multibase(SPEC_SECRET_KEY)
    assert signing.public_key_multibase(private.public_key()) == SPEC_PUBLIC_KEY
    assert signing.private_key_multibase(private) == SPEC_SECRET_KEY
    assert keys.parse_private_key(SPEC_SECRET_KEY).public_key().public_bytes_raw() == private.public_key().public_bytes_raw()


def test_spec_vector_canonical_forms_hashes_and_signature():
    transformed = signing.transform(SPEC_CREDENTIAL, SPEC_PROOF_OPTIONS)
    assert transformed.decode() == SPEC_CANONICAL_CREDENTIAL
    assert hashlib.sha256(transformed).hexdigest() == SPEC_CREDENTIAL_HASH
    canonical_options = signing.proof_configuration(SPEC_PROOF_OPTIONS)
    assert canonical_options.decode() == SPEC_CANONICAL_PROOF_OPTIONS
    assert hashlib.sha256(canonical_options).hexdigest() == SPEC_PROOF_OPTIONS_HASH
    data = signing.hash_data(transformed, canonical_options)
    assert data.hex() == SPEC_PROOF_OPTIONS_HASH + SPEC_CREDENTIAL_HASH
    signature = signing.private_key_from_multibase(SPEC_SECRET_KEY).sign(data)
    assert signature.hex() == SPEC_SIGNATURE_HEX
    assert signing.multibase_encode(signature) == SPEC_PROOF_VALUE


def test_spec_vector_signed_credential_is_reproduced_and_verifies():
    signed = signing.add_proof(
        SPEC_CREDENTIAL,
        private_key=signing.private_key_from_multibase(SPEC_SECRET_KEY),
        verification_method=SPEC_VERIFICATION_METHOD,
        created="2023-02-24T23:36:38Z",
    )
    assert signed["proof"] == {**SPEC_PROOF_OPTIONS, "proofValue": SPEC_PROOF_VALUE}
    assert {k: v for k, v in signed.items() if k != "proof"} == SPEC_CREDENTIAL
    result = signing.verify_proof(signed, resolve_key=spec_key_resolver)
    assert result.verified and result.document == SPEC_CREDENTIAL

    changed = copy.deepcopy(signed)
    changed["credentialSubject"]["alumniOf"] = "The School of Forgeries"
    assert signing.verify_proof(changed, resolve_key=spec_key_resolver).code == "signature"
    # The proof's @context must begin the document's, in order (step 4 of Verify Proof).
    reordered = copy.deepcopy(signed)
    reordered["@context"] = list(reversed(reordered["@context"]))
    assert signing.verify_proof(reordered, resolve_key=spec_key_resolver).code == "context"
    # ... but may go on: what is verified (and returned) is the document with the proof's @context.
    extended = copy.deepcopy(signed)
    extended["@context"].append("https://example.org/more-terms/v1")
    result = signing.verify_proof(extended, resolve_key=spec_key_resolver)
    assert result.verified and result.document == SPEC_CREDENTIAL
    assert signing.verify_proof(signed, resolve_key=lambda m: None).code == "unknown_key"


def test_ed25519_matches_rfc8032_test_1():
    private = Ed25519PrivateKey.from_private_bytes(
        bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    )
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert public.hex() == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    assert private.sign(b"").hex() == (
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555"
        "fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )


def test_proof_creation_refuses_other_suites_and_bad_dates():
    options = {**SPEC_PROOF_OPTIONS, "cryptosuite": "eddsa-rdfc-2022"}
    with pytest.raises(signing.ProofError):
        signing.proof_configuration(options)
    with pytest.raises(signing.ProofError):
        signing.proof_configuration({**SPEC_PROOF_OPTIONS, "created": "24 Feb 2023"})


# --- the platform key -----------------------------------------------------------------------

SEED = bytes(range(32))


def test_signing_key_forms_are_read(settings):
    import base64

    expected = Ed25519PrivateKey.from_private_bytes(SEED).public_key().public_bytes_raw()
    pem = Ed25519PrivateKey.from_private_bytes(SEED).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    for form in (
        base64.b64encode(SEED).decode(),
        base64.urlsafe_b64encode(SEED).decode().rstrip("="),
        signing.multibase_encode(b"\x80\x26" + SEED),
        pem,
    ):
        assert keys.parse_private_key(form).public_key().public_bytes_raw() == expected
        settings.CREDENTIAL_SIGNING_KEY = form
        assert keys.public_key().public_bytes_raw() == expected
    for bad in ("not a key!", base64.b64encode(SEED[:16]).decode(), "z" + "1" * 50, "-----BEGIN PRIVATE KEY-----\nxx\n"):
        with pytest.raises(ImproperlyConfigured):
            keys.parse_private_key(bad)


def test_development_key_is_derived_from_the_secret_key(settings):
    settings.CREDENTIAL_SIGNING_KEY = ""
    settings.SECRET_KEY = "one installation"
    first = keys.public_key_multibase()
    assert keys.public_key_multibase() == first  # stable
    settings.SECRET_KEY = "another installation"
    assert keys.public_key_multibase() != first
    assert keys.public_key_multibase().startswith("z6Mk")  # an Ed25519 Multikey


def _manage_production(env_extra):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE", "CREDENTIAL_SIGNING_KEY")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "lms.settings.production", "SECRET_KEY": "s" * 30 + "-production-like-secret-key-0123456789",
        "ALLOWED_HOSTS": "training.example.org", "REDIS_URL": "redis://127.0.0.1:6379/13", **env_extra,
    })
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_a_readable_signing_key():
    result = _manage_production({})
    assert result.returncode != 0 and "CREDENTIAL_SIGNING_KEY must be set" in result.stderr
    result = _manage_production({"CREDENTIAL_SIGNING_KEY": "too-short"})
    assert result.returncode != 0 and "CREDENTIAL_SIGNING_KEY" in result.stderr


# --- the DID document -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "base_url, did",
    [
        ("http://testserver", "did:web:testserver"),
        ("https://training.example.org/", "did:web:training.example.org"),
        ("https://training.example.org:443", "did:web:training.example.org"),
        ("http://127.0.0.1:8000", "did:web:127.0.0.1%3A8000"),
        ("https://Training.Example.org:8443", "did:web:training.example.org%3A8443"),
    ],
)
def test_issuer_did_follows_the_base_url(settings, base_url, did):
    settings.WAGTAILADMIN_BASE_URL = base_url
    assert issuer.issuer_did() == did


def test_did_document_publishes_the_public_key(client, settings):
    settings.CREDENTIAL_SIGNING_KEY = signing.multibase_encode(b"\x80\x26" + SEED)
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/did+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    document = json.loads(response.content)
    public = signing.public_key_multibase(Ed25519PrivateKey.from_private_bytes(SEED).public_key())
    method = f"did:web:testserver#{public}"
    assert document == {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": "did:web:testserver",
        "verificationMethod": [
            {"id": method, "type": "Multikey", "controller": "did:web:testserver", "publicKeyMultibase": public}
        ],
        "assertionMethod": [method],
    }
    raw = signing.multibase_decode(public)
    assert raw[:2] == b"\xed\x01" and len(raw) == 34
    assert "private" not in response.content.decode().lower()


# --- credentials ----------------------------------------------------------------------------

HOLDER_ID = 987_123_456


@pytest.fixture
def holder(db):
    return UserFactory(
        id=HOLDER_ID, email="Grace.Private@Example.org", first_name="Privatefirst", last_name="Privatelast",
        certificate_name="Grace Hopper-Murray",
    )


@pytest.fixture
def certificate(holder, programme):
    certificate, _ = services.certificate_issue(user=holder, programme=programme, period=1, now=timezone.now())
    return certificate


@pytest.fixture(autouse=True)
def no_outside_network(monkeypatch):
    """Signing and checking never fetch a JSON-LD context or a DID: any connection other
    than to this machine (PostgreSQL, Redis) fails the test."""
    real_connect = socket.socket.connect

    def connect(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if sock.family == socket.AF_UNIX or host in ("127.0.0.1", "::1", "localhost"):
            return real_connect(sock, address)
        raise AssertionError(f"outside network access to {address!r}")

    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host not in ("127.0.0.1", "::1", "localhost", None):
            raise AssertionError(f"outside name lookup for {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def signed(certificate, **kwargs) -> dict:
    return services.credential_issue(
        certificate=Certificate.objects.select_related("programme", "holder").get(pk=certificate.pk), **kwargs
    )


def text(document) -> str:
    return json.dumps(document)


@pytest.mark.django_db
def test_credential_is_an_open_badge_with_nothing_else_about_the_person(certificate, holder, programme):
    document = signed(certificate)
    assert document["@context"] == [
        "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    ]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["id"] == f"http://testserver/certificates/verify/{certificate.code}/"
    assert document["name"] == "Meeting Facilitator certificate"
    assert document["issuer"] == {
        "id": "did:web:testserver", "type": ["Profile"], "name": "Facilitator Training", "url": "http://testserver/"
    }
    assert document["validFrom"] == certificate.issued_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert document["validUntil"] == certificate.expires_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    subject = document["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    name, email = subject["identifier"]
    assert name == {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": "Grace Hopper-Murray"}
    assert email["identityType"] == "emailAddress" and email["hashed"] is True and len(email["salt"]) == 32
    # The holder can prove the address is theirs: sha256 of the lower-cased address + salt.
    expected = hashlib.sha256(("grace.private@example.org" + email["salt"]).encode()).hexdigest()
    assert email["identityHash"] == f"sha256${expected}"
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"] and achievement["name"] == "Meeting Facilitator"
    assert achievement["id"].startswith("urn:uuid:") and achievement["achievementType"] == "Certification"
    assert "Meeting Basics" in achievement["criteria"]["narrative"]
    entry = certificate.status_entries.get()
    list_url = f"http://testserver/certificates/status/{entry.status_list}"
    assert document["credentialStatus"] == {
        "id": f"{list_url}#{entry.index}", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
        "statusListIndex": str(entry.index), "statusListCredential": list_url,
    }
    [proof] = document["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == "eddsa-jcs-2022"
    assert proof["verificationMethod"] == issuer.verification_method_id()
    assert proof["proofPurpose"] == "assertionMethod" and proof["@context"] == document["@context"]
    whole = text(document).lower()
    for private in ("grace.private", "example.org\"", str(HOLDER_ID), "privatefirst", "privatelast"):
        assert private not in whole, private


@pytest.mark.django_db
def test_sign_then_check_round_trip(certificate):
    document = signed(certificate)
    check = credential_check.check_credential(text(document))
    assert check.valid and check.signature_valid and check.reasons == []
    assert check.certificate == certificate and check.facts["holder_name"] == "Grace Hopper-Murray"
    # Any JSON layout of the same content verifies: JCS canonicalises key order and spacing.
    shuffled = json.dumps(dict(reversed(list(document.items()))), indent=4, ensure_ascii=False)
    assert credential_check.check_credential(shuffled.encode("utf-8")).valid


def _tamper(document, how):
    document = copy.deepcopy(document)
    if how == "name":
        document["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    elif how == "title":
        document["name"] = "Master Facilitator certificate"
    elif how == "date":
        document["validUntil"] = "2099-01-01T00:00:00Z"
    elif how == "proof value":
        value = document["proof"][0]["proofValue"]
        document["proof"][0]["proofValue"] = value[:-3] + ("2" if value[-3] != "2" else "3") + value[-2:]
    elif how == "created":
        document["proof"][0]["created"] = "2020-01-01T00:00:00Z"
    elif how == "added field":
        document["credentialSubject"]["achievement"]["creditsAvailable"] = 60
    elif how == "context":
        document["@context"][1] = "https://example.org/evil-context.json"
    elif how == "verification method":
        document["proof"][0]["verificationMethod"] = "did:web:evil.example#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    elif how == "issuer":
        document["issuer"]["id"] = "did:web:evil.example"
    elif how == "cryptosuite":
        document["proof"][0]["cryptosuite"] = "eddsa-rdfc-2022"
    elif how == "no proof":
        del document["proof"]
    return document


CHANGED = "The credential was changed after it was signed: its signature does not match its content."
NOT_OURS = "This credential was not signed by us"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "how, reason",
    [
        ("name", CHANGED), ("title", CHANGED), ("date", CHANGED), ("proof value", CHANGED), ("created", CHANGED),
        ("added field", CHANGED), ("context", CHANGED),
        ("verification method", NOT_OURS), ("issuer", NOT_OURS), ("cryptosuite", NOT_OURS),
        ("no proof", "The credential has no signature"),
    ],
)
def test_tampered_credentials_fail_with_their_reason(certificate, how, reason):
    check = credential_check.check_credential(text(_tamper(signed(certificate), how)))
    assert check.outcome == "invalid" and not check.signature_valid
    assert len(check.reasons) == 1 and check.reasons[0].startswith(reason), check.reasons
    assert check.certificate is None and check.facts is None  # nothing looked up for a forgery


@pytest.mark.django_db
def test_a_credential_signed_with_another_key_is_not_ours(certificate, settings):
    document = signed(certificate)
    settings.CREDENTIAL_SIGNING_KEY = signing.multibase_encode(b"\x80\x26" + SEED)  # our key changed since
    check = credential_check.check_credential(text(document))
    assert not check.valid and check.reasons[0].startswith(NOT_OURS)
    # A forger who copies our verificationMethod but signs with their own key: changed.
    forged = signing.add_proof(
        {k: v for k, v in document.items() if k != "proof"},
        private_key=Ed25519PrivateKey.generate(), verification_method=issuer.verification_method_id(),
    )
    assert credential_check.check_credential(text(forged)).reasons == [CHANGED]


@pytest.mark.django_db
def test_revoked_and_expired_certificates_are_reported(certificate, holder, programme):
    document = signed(certificate)
    services.certificate_revoke(certificate_id=certificate.pk, by=UserFactory(), reason="conduct")
    check = credential_check.check_credential(text(document))
    assert check.outcome == "revoked" and check.signature_valid
    assert check.reasons == [
        f"The certificate has been revoked on {day_text(timezone.now())}. It is not valid."
    ]

    long_ago = timezone.now() - relativedelta(years=3)
    old, _ = services.certificate_issue(user=holder, programme=programme, period=2, now=long_ago)
    check = credential_check.check_credential(text(signed(old)))
    assert check.outcome == "expired" and check.signature_valid
    assert check.reasons[0].startswith("The certificate expired on ")


@pytest.mark.django_db
def test_a_reissued_name_is_noted_not_failed(certificate):
    document = signed(certificate)
    Certificate.objects.filter(pk=certificate.pk).update(holder_name="Grace B. Hopper", revision=2)
    check = credential_check.check_credential(text(document))
    assert check.valid and "reissued with a new name" in check.notes[0]
    assert check.facts["holder_name"] == "Grace B. Hopper"


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("", "Paste the credential"),
        ("{not json", "This is not a digital credential: the text is not valid JSON."),
        (b"\xff\xfe{", "This is not a digital credential: the text is not valid JSON."),
        ('{"a": NaN}', "This is not a digital credential: the text is not valid JSON."),
        ("[" * 100_000, "This file is too big"),
        ("[" * 30_000 + "]" * 30_000, "This is not a digital credential: the text is not valid JSON."),
        ('{"type": ["VerifiableCredential"], "type": ["x"]}', "This credential is not well-formed: a field appears twice"),
        ('{"hello": "world"}', "This is not a digital credential: it is JSON, but not a verifiable credential."),
        ("[1, 2]", "This is not a digital credential: it is JSON, but not a verifiable credential."),
    ],
)
def test_what_is_not_a_credential_says_so(raw, reason, db):
    check = credential_check.check_credential(raw)
    assert check.outcome == "invalid" and check.reasons[0].startswith(reason)


# --- download -------------------------------------------------------------------------------


def credential_url(certificate):
    return reverse("credentials:credential", args=[certificate.code])


@pytest.mark.django_db
def test_holder_downloads_their_credential(client, certificate, holder):
    client.force_login(holder)
    response = client.get(credential_url(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="meeting-facilitator-credential-{certificate.display_code}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    assert credential_check.check_credential(response.content).valid
    page = client.get(reverse("certification:mine")).content.decode()
    assert f'href="{credential_url(certificate)}"' in page and "Download digital credential" in page


@pytest.mark.django_db
def test_nobody_else_gets_the_credential(client, certificate):
    assert client.get(credential_url(certificate)).status_code == 404  # anonymous
    client.force_login(UserFactory())
    assert client.get(credential_url(certificate)).status_code == 404  # another learner
    assert client.get(reverse("credentials:credential", args=["0" * 20])).status_code == 404
    assert client.post(credential_url(certificate)).status_code == 405


@pytest.mark.django_db
def test_a_revoked_certificate_has_no_credential(client, certificate, holder):
    services.certificate_revoke(certificate_id=certificate.pk, by=UserFactory(), reason="error")
    client.force_login(holder)
    assert client.get(credential_url(certificate)).status_code == 404
    with pytest.raises(ValueError):
        signed(certificate)


# --- the check on the verification page ---------------------------------------------------------

CHECK_URL = "/certificates/verify/credential/"


def post_check(client, **data):
    return client.post(reverse("certification:credential_check"), data)


@pytest.mark.django_db
def test_verification_page_links_to_the_check(client):
    # The check has its own page: the verification page carries no form token, so it
    # sets no cookie and can be served from the cache.
    lookup = client.get(reverse("certification:lookup"))
    assert f'href="{CHECK_URL}"' in lookup.content.decode() and "csrftoken" not in lookup.cookies
    page = client.get(CHECK_URL).content.decode()
    assert 'id="check-credential"' in page and f'action="{CHECK_URL}"' in page
    assert 'enctype="multipart/form-data"' in page and "csrfmiddlewaretoken" in page
    assert 'href="/.well-known/did.json"' in page


@pytest.mark.django_db
def test_check_a_pasted_valid_credential(client, certificate):
    response = post_check(client, credential=text(signed(certificate)))
    page = response.content.decode()
    assert response.status_code == 200
    assert "✓ Valid." in page and "<strong>valid</strong> (signed with our key and unchanged)" in page
    assert escape("Grace Hopper-Murray") in page and certificate.display_code in page
    assert "Privatefirst" not in page and "grace.private" not in page.lower()


@pytest.mark.django_db
def test_check_an_uploaded_credential_file(client, certificate):
    upload = SimpleUploadedFile("credential.json", json.dumps(signed(certificate)).encode(), "application/json")
    response = client.post(reverse("certification:credential_check"), {"file": upload})
    assert response.status_code == 200 and "✓ Valid." in response.content.decode()


@pytest.mark.django_db
def test_check_a_tampered_credential(client, certificate):
    response = post_check(client, credential=text(_tamper(signed(certificate), "name")))
    page = response.content.decode()
    assert response.status_code == 200
    assert "✗ Not valid." in page and escape(CHANGED) in page and "<strong>not valid</strong>" in page
    assert escape("Grace Hopper-Murray") not in page  # nothing looked up for a forgery


@pytest.mark.django_db
def test_check_revoked_and_expired_credentials(client, certificate, holder, programme):
    document = signed(certificate)
    services.certificate_revoke(certificate_id=certificate.pk, by=UserFactory(), reason="conduct")
    page = post_check(client, credential=text(document)).content.decode()
    assert "✗ Revoked." in page and "The certificate has been revoked on" in page

    old, _ = services.certificate_issue(user=holder, programme=programme, period=2, now=timezone.now() - relativedelta(years=3))
    page = post_check(client, credential=text(signed(old))).content.decode()
    assert "Expired." in page and "The certificate expired on" in page


@pytest.mark.django_db
def test_check_refuses_what_is_not_json_or_too_big(client, certificate):
    response = post_check(client, credential="this is not json")
    assert response.status_code == 400
    assert escape("This is not a digital credential: the text is not valid JSON.") in response.content.decode()

    response = post_check(client, credential="")
    assert response.status_code == 400 and "Paste the credential" in response.content.decode()

    response = post_check(client, credential="x" * (64 * 1024 + 1))
    assert response.status_code == 413 and "too big" in response.content.decode()

    upload = SimpleUploadedFile("big.json", b" " * (64 * 1024 + 1), "application/json")
    response = client.post(reverse("certification:credential_check"), {"file": upload})
    assert response.status_code == 413

    upload = SimpleUploadedFile("huge.json", b" " * (300 * 1024), "application/json")
    response = client.post(reverse("certification:credential_check"), {"file": upload})
    assert response.status_code == 413


@pytest.mark.django_db
def test_check_needs_the_csrf_token(certificate):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("certification:credential_check"), {"credential": text(signed(certificate))})
    assert response.status_code == 403
    client.get(reverse("certification:credential_check"))  # the form page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("certification:credential_check"), {"credential": text(signed(certificate)), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200


@pytest.fixture
def frozen_ratelimit_clock(monkeypatch):
    import django_ratelimit.core

    now = 1_800_000_000.0
    monkeypatch.setattr(django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: now))


@pytest.mark.django_db
def test_checks_are_rate_limited_with_the_lookups(client, certificate, settings, frozen_ratelimit_clock):
    settings.CERTIFICATE_VERIFY_RATE = "3/m"
    document = text(signed(certificate))
    assert client.get(reverse("certification:verify", args=[certificate.code])).status_code == 200
    assert post_check(client, credential=document).status_code == 200
    assert post_check(client, credential=document).status_code == 200
    response = post_check(client, credential=document)
    assert response.status_code == 429 and "Too many certificate checks" in response.content.decode()
    assert escape("Grace Hopper-Murray") not in response.content.decode()


def test_the_network_guard_itself_works():
    with pytest.raises(AssertionError, match="outside"):
        socket.create_connection(("example.org", 443), timeout=1)
