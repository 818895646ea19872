"""The client's address, as far as Sparring can know it, and the bucket it is counted in."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _parsed(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_address(request: HttpRequest | None) -> str | None:
    """The address of the client: REMOTE_ADDR, or behind SPARRING_TRUSTED_PROXIES reverse
    proxies, the entry of X-Forwarded-For that the outermost trusted proxy saw.

    Each proxy appends the address it received the request from, so with n trusted proxies
    the n-th entry from the right (counting REMOTE_ADDR as the first) is the client; entries
    further left were written by the client itself and prove nothing."""
    if request is None:
        return None
    remote = str(request.META.get("REMOTE_ADDR") or "")
    trusted = int(settings.SPARRING_TRUSTED_PROXIES)
    chain = [remote]
    if trusted > 0:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
        chain = [part for part in forwarded.split(",") if part.strip()] + chain
    # Fewer entries than trusted proxies: the leftmost is as near the client as we get.
    candidate = chain[max(len(chain) - 1 - trusted, 0)]
    address = _parsed(candidate) or _parsed(remote)
    return str(address) if address is not None else None


def address_bucket(address: str | None) -> str | None:
    """What the per-address limit counts: an IPv4 address, or the /64 network of an IPv6
    address (one household or one machine commonly has a whole /64 to choose from)."""
    if not address:
        return None
    parsed = _parsed(address)
    if parsed is None:
        return None
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed)
