"""Reads for certification: certificates (the holder's own, by code), what a programme
asks and how much of it a learner has done, the verification page's cache, the
revocation lists as served, a learner's practical record, and the language and zone a
holder reads in.

One module per part (``certificates``, ``requirements``, ``verification``,
``status_lists``, ``practical``, ``holders``); callers use this package's names
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
from .holders import HolderLocale, holder_locale
from .practical import practical_items_offered, practical_record
from .requirements import (
    ProgrammeProgress,
    Requirement,
    current_code_of_conduct,
    programme_progress,
    renewal_progress,
)
from .status_lists import (
    list_exists,
    register_status_kind,
    revoked_indexes,
    served_status_list,
    signed_status_list,
    status_kinds,
    status_lists_changed,
)
from .verification import (
    FACTS_SECONDS,
    cached_page,
    cached_verification,
    cached_verification_with,
    chain_codes,
    invalidate_verification,
    page_variant,
    register_verification_lookup,
    store_verification_html,
    verification_entry,
    verification_view,
)

__all__ = [
    "FACTS_SECONDS",
    "HolderLocale",
    "ProgrammeProgress",
    "Requirement",
    "cached_page",
    "cached_verification",
    "cached_verification_with",
    "certificate_by_code",
    "chain_codes",
    "current_code_of_conduct",
    "current_of",
    "holder_certificate",
    "holder_certificates",
    "holder_locale",
    "invalidate_verification",
    "list_exists",
    "practical_items_offered",
    "practical_record",
    "page_variant",
    "register_status_kind",
    "register_verification_lookup",
    "programme_progress",
    "programmes_overview",
    "public_facts",
    "renewal_progress",
    "revoked_indexes",
    "served_status_list",
    "signed_status_list",
    "status_kinds",
    "status_lists_changed",
    "store_verification_html",
    "verification_entry",
    "verification_view",
]
