"""The digital credential as other people's software reads it: a JSON-LD processor that
refuses anything its contexts do not define, 1EdTech's published JSON schema for an
AchievementCredential, and the achievement's image.

The contexts and the schema are vendored copies (tests/certification/fixtures/SOURCES.md
says where from, with their hashes): a local document loader serves them, and any other
URL fails the test, so nothing is fetched.
"""
import copy
import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.utils import timezone
from jsonschema import Draft201909Validator, FormatChecker
from pyld import jsonld

from certification import credentials, services, status_list
from certification.models import Certificate
from tests.factories import UserFactory

FIXTURES = Path(__file__).parent / "fixtures"
CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": (
        "credentials-v2.jsonld", "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": (
        "ob-v3p0-context-3.0.3.json", "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761"
    ),
}
SCHEMA_FILE = ("ob_v3p0_achievementcredential_schema.json", "5753fb3ecf7d024ed273dd364bd683f483eb47257e718e6618832cf89eb2083a")
# What the v2 context once mapped undefined terms to (its @vocab, removed in 2024): a
# term that lands here is one no context defines.
ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"
# PyLD resolves a relative type or id against the base IRI (its default is
# http://example.org/base/); this base makes any such reference easy to spot.
RELATIVE = "https://relative-reference.invalid/"
UNDEFINED = (ISSUER_DEPENDENT, RELATIVE)


def _vendored(name: str, sha256: str) -> bytes:
    data = (FIXTURES / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha256, f"{name} is not the vendored copy"
    return data


def local_loader(url, options=None):
    if url not in CONTEXT_FILES:
        raise AssertionError(f"the processor asked for a document we do not vendor: {url}")
    return {"contextUrl": None, "documentUrl": url, "document": json.loads(_vendored(*CONTEXT_FILES[url]))}


class UndefinedTerm(AssertionError):
    pass


def _dropped(term):
    raise UndefinedTerm(f"the property {term!r} is defined by no context: a processor in safe mode rejects it")


def _check_expanded(node, path="$"):
    """Every property and type in the expanded form is an absolute IRI that a context
    defined (a relative @type or an issuer-dependent IRI is what safe mode refuses)."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            _check_expanded(item, f"{path}[{i}]")
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if not key.startswith("@") and (":" not in key or key.startswith(UNDEFINED)):
            raise UndefinedTerm(f"{path}: {key!r} is no defined term")
        if key in ("@type", "@id") and "@value" not in node:
            for iri in value if isinstance(value, list) else [value]:
                if ":" not in iri or iri.startswith(UNDEFINED):
                    raise UndefinedTerm(f"{path}: the {key[1:]} {iri.removeprefix(RELATIVE)!r} is defined by no context")
        _check_expanded(value, f"{path}.{key}")


def safe_expand(document: dict) -> list:
    """JSON-LD expansion that fails on any term its contexts do not define: PyLD reports
    each dropped property, and the expanded form is checked for relative types."""
    options = {"documentLoader": local_loader, "base": RELATIVE}
    expanded = jsonld.expand(copy.deepcopy(document), options, on_property_dropped=_dropped)
    _check_expanded(expanded)
    return expanded


def schema_errors(document: dict) -> list[str]:
    schema = json.loads(_vendored(*SCHEMA_FILE))
    validator = Draft201909Validator(schema, format_checker=FormatChecker())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]


@pytest.fixture
def certificate(db, programme):
    holder = UserFactory(email="ada@example.org", certificate_name="Ada Lovelace-Byron")
    certificate, _ = services.certificate_issue(user=holder, programme=programme, period=1, now=timezone.now())
    return Certificate.objects.select_related("programme", "holder").get(pk=certificate.pk)


# --- the checks themselves can fail ------------------------------------------------------------


def test_the_safe_expansion_refuses_undefined_terms_and_types():
    base = {"@context": list(credentials.CONTEXTS), "id": "urn:uuid:1", "type": ["VerifiableCredential"]}
    safe_expand(base)
    with pytest.raises(UndefinedTerm, match="madeUpTerm"):
        safe_expand({**base, "madeUpTerm": "x"})
    with pytest.raises(UndefinedTerm, match="MadeUpType"):
        safe_expand({**base, "type": ["VerifiableCredential", "MadeUpType"]})
    with pytest.raises(UndefinedTerm, match="CertificateStatusLookup"):
        safe_expand({**base, "credentialStatus": {"id": "https://example.org/s", "type": "CertificateStatusLookup"}})
    with pytest.raises(jsonld.JsonLdError) as refused:
        safe_expand({**base, "@context": [*base["@context"], "https://example.org/context.json"]})
    assert "do not vendor" in str(refused.value.__cause__)


def test_the_schema_check_finds_what_the_schema_forbids():
    errors = schema_errors({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]})
    assert errors  # no OB context, no OpenBadgeCredential, no subject, issuer or dates


# --- our credential ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_term_of_the_credential_expands_under_safe_mode(certificate):
    document = services.credential_issue(certificate=certificate)
    expanded = safe_expand(document)
    text = json.dumps(expanded)
    # The status entry and the image are there, with their defined types.
    assert "https://www.w3.org/ns/credentials/status#BitstringStatusListEntry" in text
    assert "https://www.w3.org/ns/credentials/status#statusListIndex" in text
    assert "https://purl.imsglobal.org/spec/vc/ob/vocab.html#Image" in text
    assert "https://w3id.org/security#DataIntegrityProof" in text


@pytest.mark.django_db
def test_the_credential_validates_against_1edtechs_achievement_credential_schema(certificate):
    document = services.credential_issue(certificate=certificate)
    assert schema_errors(document) == []
    assert isinstance(document["proof"], list) and len(document["proof"]) == 1
    # The schema is the published one: a single proof object, as we used to send, fails it.
    single = {**document, "proof": document["proof"][0]}
    assert any(error.startswith("proof:") for error in schema_errors(single))


@pytest.mark.django_db
def test_the_achievement_has_an_image_that_the_site_serves(certificate, client, programme):
    image = services.credential_issue(certificate=certificate)["credentialSubject"]["achievement"]["image"]
    assert image["type"] == "Image"
    assert image["caption"] == "Badge of the Meeting Facilitator programme"
    assert image["id"].startswith("http://testserver/")
    response = client.get(image["id"].removeprefix("http://testserver"))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert "max-age" in response["Cache-Control"]
    svg = ET.fromstring(response.content)
    assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("role") == "img"
    title = svg.find("{http://www.w3.org/2000/svg}title")
    assert title is not None and "Meeting Facilitator" in title.text
    assert programme.colour_primary.lower() in response.content.decode().lower()  # the programme's own colours
    assert not svg.findall(".//{http://www.w3.org/2000/svg}script")


@pytest.mark.django_db
def test_an_unknown_programmes_badge_is_not_found(client):
    assert client.get("/certificates/programmes/999999/badge.svg").status_code == 404


@pytest.mark.django_db
def test_a_programme_title_cannot_inject_markup_into_its_badge(client, programme):
    programme.title = 'Facilitator <script>alert(1)</script> & "friends"'
    programme.save()
    response = client.get(credentials.badge_url(programme).removeprefix("http://testserver"))
    svg = ET.fromstring(response.content)  # still well-formed XML
    assert not svg.findall(".//{http://www.w3.org/2000/svg}script")
    assert b"<script>" not in response.content


@pytest.mark.django_db
def test_the_status_list_credential_expands_under_safe_mode(client, certificate):
    document = services.credential_issue(certificate=certificate)
    url = document["credentialStatus"]["statusListCredential"]
    listed = client.get(url.removeprefix("http://testserver")).json()
    expanded = json.dumps(safe_expand(listed))
    assert "https://www.w3.org/ns/credentials/status#BitstringStatusListCredential" in expanded
    assert "https://www.w3.org/ns/credentials/status#encodedList" in expanded
    assert listed["credentialSubject"]["statusPurpose"] == status_list.STATUS_PURPOSE == "revocation"
