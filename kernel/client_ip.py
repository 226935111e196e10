"""The client's address: one function for every rate limit and audit record.

Behind a reverse proxy every request arrives from the proxy, so ``REMOTE_ADDR`` alone
would put all clients in one rate-limit bucket; trusting ``X-Forwarded-For`` blindly
would let anyone choose their own bucket by sending the header. So:

- ``TRUSTED_PROXIES`` (settings; IPs or CIDR networks, empty by default) names the
  proxies in front of the site. Empty: the client is ``REMOTE_ADDR`` and headers are
  ignored.
- When the peer (``REMOTE_ADDR``) is not a trusted proxy, ``X-Forwarded-For`` is ignored
  entirely: it was written by the client.
- When it is, ``X-Forwarded-For`` is walked from the right (each proxy appends the
  address it saw) past trusted proxies; the first address that is not one is the client.
  Whatever lies left of it was written by the client and is never read. An entry that is
  not an address ends the walk: the client is then the last address walked.

Ports (``203.0.113.5:4711``, ``[2001:db8::1]:443``) are dropped and IPv4-mapped IPv6
addresses are read as IPv4. ``network_of`` gives the bucket a rate limit should count
by: an IPv6 client's /64 (one subscriber's usual allocation), an IPv4 client's address.

Why not django-ipware: its trusted-proxy list is compared with the proxies named *in* the
header, not with the peer that actually connected, so a client reaching the site directly
can forge a "trusted" chain; and by default it reads a dozen headers (X-Real-IP,
CF-Connecting-IP, ...) that any client can send.
"""
from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

IPV6_PREFIX = 64


def parse_trusted_proxies(entries) -> tuple[Network, ...]:
    """The networks of ``TRUSTED_PROXIES``; raises ValueError naming a bad entry."""
    networks = []
    for entry in entries:
        text = str(entry).strip()
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise ValueError(f"TRUSTED_PROXIES: {text!r} is not an IP address or network") from None
        networks.append(_unmapped_network(network))
    return tuple(networks)


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_trusted_proxies(entries)


def _unmapped_network(network: Network) -> Network:
    if isinstance(network, ipaddress.IPv6Network) and network.network_address.ipv4_mapped and network.prefixlen >= 96:
        return ipaddress.ip_network(f"{network.network_address.ipv4_mapped}/{network.prefixlen - 96}")
    return network


def parse_address(value: str) -> Address | None:
    """An address from a header or REMOTE_ADDR entry, or None when it is not one."""
    text = value.strip().strip('"')
    if text.startswith("["):  # [2001:db8::1] or [2001:db8::1]:443
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # 203.0.113.5:4711
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_address(request) -> Address | None:
    """The client's address (see the module's docstring); None only when REMOTE_ADDR is
    not an address at all."""
    peer = parse_address(request.META.get("REMOTE_ADDR") or "")
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if peer is None or not networks or not _trusted(peer, networks):
        return peer
    client = peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")):
        hop = parse_address(entry)
        if hop is None:
            break
        client = hop
        if not _trusted(hop, networks):
            break
    return client


def client_ip(request) -> str:
    """The client's address as text: for django-ratelimit (``RATELIMIT_IP_META_KEY``),
    allauth's adapter and anything that records who asked. Falls back to REMOTE_ADDR as
    given when that is not an address (a misconfigured server)."""
    address = client_address(request)
    return str(address) if address is not None else (request.META.get("REMOTE_ADDR") or "")


def network_of(ip: str) -> str:
    """The rate-limit bucket of an address: an IPv6 client's /64, an IPv4 address itself."""
    address = parse_address(ip)
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False).network_address)
    return str(address) if address is not None else ip
