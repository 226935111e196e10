from .programme import Attestation, CodeOfConduct, PracticalItem, Programme
from .records import (
    AttestationAnswer,
    Certificate,
    CertificateEvent,
    ConductAcceptance,
    ExpiryReminder,
    PracticalSignoff,
)
from .status import StatusListEntry

__all__ = [
    "Attestation",
    "AttestationAnswer",
    "Certificate",
    "CertificateEvent",
    "CodeOfConduct",
    "ConductAcceptance",
    "ExpiryReminder",
    "PracticalItem",
    "PracticalSignoff",
    "Programme",
    "StatusListEntry",
]
