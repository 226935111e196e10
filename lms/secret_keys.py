"""Is a SECRET_KEY good enough for production? (production settings refuse to start
when it is not; Django's own ``check --deploy`` only warns.)

Pure: no Django, no settings, so the settings module can call it while it loads. A key is
refused when it is short, made of few different characters, one block repeated, low in
entropy as estimated from its own letter frequencies, Django's ``django-insecure-`` kind,
or one of the non-secret keys written in this repository. A key from
``secrets.token_urlsafe(64)`` or Django's ``get_random_secret_key()`` always passes.
"""
import math
from collections import Counter

MIN_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 10
# A 50-character hex key (16 symbols) estimates at 160+ bits; one character repeated, or a
# long key of a few letters, far less.
MIN_ESTIMATED_BITS = 128
INSECURE_PREFIX = "django-insecure-"
# Keys published in this repository (development, tests, benchmarks): never secret.
KNOWN_KEYS = frozenset({
    "dev-only-insecure-key-do-not-use-in-production",
    "test-only-key",
    "bench-only-not-secret-" + "k" * 40,
})


def _estimated_bits(key: str) -> float:
    """Length times the Shannon entropy of the key's own character frequencies: an upper
    bound on what a random key of that shape holds, and low for repetitive keys."""
    counts = Counter(key)
    length = len(key)
    per_character = -sum(n / length * math.log2(n / length) for n in counts.values())
    return per_character * length


def _repeats_a_block(key: str) -> bool:
    """Whether the key is a shorter block written out again and again."""
    length = len(key)
    return any(key == (key[:period] * (length // period + 1))[:length] for period in range(1, length // 2 + 1))


def secret_key_problem(key: str) -> str | None:
    """What is wrong with ``key`` for production, in words for the operator (without the
    key itself), or None when it is fine."""
    if key in KNOWN_KEYS:
        return "it is a development or test key published with the source code"
    if len(key) < MIN_LENGTH:
        return f"it has fewer than {MIN_LENGTH} characters"
    if key.startswith(INSECURE_PREFIX):
        return f"it starts with '{INSECURE_PREFIX}' (a key Django generated for development)"
    if len(set(key)) < MIN_UNIQUE_CHARACTERS:
        return f"it has fewer than {MIN_UNIQUE_CHARACTERS} different characters"
    if _repeats_a_block(key):
        return "it repeats a shorter block of characters"
    if _estimated_bits(key) < MIN_ESTIMATED_BITS:
        return f"it holds less than about {MIN_ESTIMATED_BITS} bits of randomness"
    return None
