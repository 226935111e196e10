"""Reads for certification: certificates (the holder's own, by code), what a programme
asks and how much of it a learner has done, the verification page's cache, the
revocation lists as served, and a learner's practical record.

One module per part (``certificates``, ``requirements``, ``verification``,
``status_lists``, ``practical``); callers use this package's names
(``selectors.holder_certificates(...)``).
"""
from .certificates import (
    certificate_by_code,
    current_of,
    holder_certificate,
    holder_certificates,
    programmes_overview,
    public_facts,
)
from .practical import practical_items_offered, practical_record
from .requirements import (
    ProgrammeProgress,
    Requirement,
    current_code_of_conduct,
    programme_progress,
    renewal_progress,
)
from .status_lists import list_exists, revoked_indexes, served_status_list, signed_status_list, status_lists_changed
from .verification import (
    FACTS_SECONDS,
    cached_verification,
    cached_verification_with,
    chain_codes,
    invalidate_verification,
    store_verification_html,
    verification_entry,
    verification_view,
)

__all__ = [
    "FACTS_SECONDS",
    "ProgrammeProgress",
    "Requirement",
    "cached_verification",
    "cached_verification_with",
    "certificate_by_code",
    "chain_codes",
    "current_code_of_conduct",
    "current_of",
    "holder_certificate",
    "holder_certificates",
    "invalidate_verification",
    "list_exists",
    "practical_items_offered",
    "practical_record",
    "programme_progress",
    "programmes_overview",
    "public_facts",
    "renewal_progress",
    "revoked_indexes",
    "served_status_list",
    "signed_status_list",
    "status_lists_changed",
    "store_verification_html",
    "verification_entry",
    "verification_view",
]
