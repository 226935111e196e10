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
from .translations import CodeOfConductTranslation, ProgrammeTranslation, ProgrammeWords
from .work import PendingWork

__all__ = [
    "Attestation",
    "AttestationAnswer",
    "Certificate",
    "CertificateEvent",
    "CodeOfConduct",
    "CodeOfConductTranslation",
    "ConductAcceptance",
    "ExpiryReminder",
    "PendingWork",
    "PracticalItem",
    "PracticalSignoff",
    "Programme",
    "ProgrammeTranslation",
    "ProgrammeWords",
    "StatusListEntry",
]
