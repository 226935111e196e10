"""Failed sign-ins, counted so that a stranger cannot lock anyone out.

Three counters, all in allauth's rate limiter (``ACCOUNT_RATE_LIMITS``, in the cache):

- ``login_failed`` (allauth's own): per client address, taken before the password is
  checked and given back when it is right.
- ``login_failed_client_account``: per client address *and* account. A stranger guessing
  at one person's password is stopped after a few tries, from their address only; the
  person signs in from theirs.
- ``login_failed_account``: per account from anywhere, high enough that a person's own
  mistakes never reach it, low enough to stop slow guessing spread over many addresses.
  When it is reached nobody can use that account's password for a while, so the sign-in
  page offers a code by email (allauth's login by code) and a password reset, both of
  which work at once (they prove the person reads the account's email).

The last two are checked before the password is (without counting) and counted only when
it is wrong, so the owner's successful sign-ins never count. Requests racing each other
may count a few failures past a limit; the per-address limit bounds how many. Both are
cleared when the person proves they own the account: a sign-in (by password or by code)
or a password reset. Guesses for addresses with no account count the same, so the
answers tell nothing about who has an account.
"""
from collections.abc import Iterable

from allauth.core import ratelimit
from django.http import HttpRequest

from kernel.client_ip import client_ip, network_of

CLIENT_ACCOUNT = "login_failed_client_account"
ACCOUNT = "login_failed_account"


def _counters(request: HttpRequest, login: str) -> list[tuple[str, str]]:
    login = login.strip().lower()
    return [(CLIENT_ACCOUNT, f"{network_of(client_ip(request))} {login}"), (ACCOUNT, login)]


def password_login_allowed(request: HttpRequest, login: str) -> bool:
    """Whether a password may be tried for ``login`` from this client (counts nothing)."""
    return all(
        ratelimit.consume(request, action=action, key=key, dry_run=True) for action, key in _counters(request, login)
    )


def password_login_failed(request: HttpRequest, login: str) -> None:
    """Count one wrong password for ``login`` from this client."""
    for action, key in _counters(request, login):
        ratelimit.consume(request, action=action, key=key)


def owner_proved(request: HttpRequest, emails: Iterable[str]) -> None:
    """The account's owner signed in or reset the password: their counters start again
    (the client-and-account one for this client only)."""
    for email in emails:
        for action, key in _counters(request, email):
            ratelimit.clear(request, action=action, key=key)
