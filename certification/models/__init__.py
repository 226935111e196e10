from .programme import Attestation, CodeOfConduct, PracticalItem, Programme
from .records import (
    AttestationAnswer,
    Certificate,
    CertificateEvent,
    ConductAcceptance,
    ExpiryReminder,
    PracticalSignoff,
)

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
]
