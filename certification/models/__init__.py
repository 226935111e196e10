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
from .work import PendingWork

__all__ = [
    "Attestation",
    "AttestationAnswer",
    "Certificate",
    "CertificateEvent",
    "CodeOfConduct",
    "ConductAcceptance",
    "ExpiryReminder",
    "PendingWork",
    "PracticalItem",
    "PracticalSignoff",
    "Programme",
    "StatusListEntry",
]
