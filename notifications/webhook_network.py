"""Where a chat webhook may lead: only to the public internet, or to a network the installation
names in SPARRING_WEBHOOK_ALLOWED_NETWORKS for an on-premise chat server.

An administrator types the address and the worker posts to it from inside the organisation's
network, so an address that leads inside (the machine itself, a private network, the cloud's
metadata service at 169.254.169.254) would let whoever can edit a webhook probe that network.
The name is resolved once, every address it resolves to is checked, and the connection is
then made to a checked address (`pinned_connection`), so a name whose DNS answer changes
between the check and the connection (DNS rebinding) cannot slip past.

Plain Python with no Django import: the rules are easy to read and to test on their own."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Never allowed, not even through SPARRING_WEBHOOK_ALLOWED_NETWORKS: link-local addresses,
# where every cloud keeps the metadata service that hands out the machine's credentials, and
# the few metadata addresses elsewhere (AWS over IPv6, Alibaba Cloud); addresses that are no
# host at all (unspecified, multicast, broadcast).
ALWAYS_REFUSED: tuple[IPNetwork, ...] = tuple(
    ipaddress.ip_network(network)
    for network in (
        "169.254.0.0/16",
        "fe80::/10",
        "fd00:ec2::254/128",
        "100.100.100.200/32",
        "0.0.0.0/8",
        "::/128",
        "224.0.0.0/4",
        "ff00::/8",
        "255.255.255.255/32",
    )
)

# IPv6 ranges that carry an IPv4 address inside and may be routed to it: the address inside
# is what is checked.
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_TEREDO = ipaddress.ip_network("2001::/32")
_SHARED = ipaddress.ip_network("100.64.0.0/10")


class AddressRefused(ValueError):
    """The webhook's address leads somewhere Sparring does not post to. `reason` is one of
    "internal" (a non-public address), "metadata" (link-local or another address that is
    never allowed), "not_found" (the name does not resolve) or "invalid"."""

    def __init__(self, reason: str, address: str = "") -> None:
        super().__init__(f"{reason}: {address}" if address else reason)
        self.reason = reason
        self.address = address


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """The networks of SPARRING_WEBHOOK_ALLOWED_NETWORKS ("10.20.0.0/16, fd12::/64"); raises
    ValueError for anything that is not a network in CIDR notation."""
    return tuple(ipaddress.ip_network(value.strip(), strict=True) for value in values)


def _unmapped(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 address stands for (::ffff:10.0.0.1, NAT64, 6to4), or the
    address itself."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if any(address in network for network in _NAT64):
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def refusal(address: IPAddress, *, allowed: Sequence[IPNetwork] = ()) -> str | None:
    """Why Sparring will not post to `address` ("metadata" or "internal"), or None when it
    may: a public address, or one in an `allowed` network that is not always refused."""
    inner = _unmapped(address)
    for candidate in {address, inner}:
        if any(candidate in network for network in ALWAYS_REFUSED):
            return "metadata"
        if candidate.is_link_local or candidate.is_multicast or candidate.is_unspecified:
            return "metadata"
    if isinstance(address, ipaddress.IPv6Address) and address in _TEREDO:
        # A Teredo address tunnels to a host that only its relay knows: never a chat server.
        return "internal"
    if any(inner in network for network in allowed):
        return None
    public = inner.is_global and not (
        inner.is_private
        or inner.is_loopback
        or inner.is_reserved
        or inner.is_multicast
        or inner.is_link_local
        or inner.is_unspecified
        # Shared address space (carrier-grade NAT), which is_global already leaves out on
        # newer Pythons; named here for every version.
        or inner in _SHARED
    )
    return None if public else "internal"


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to, in the resolver's order; AddressRefused("not_found")
    when it resolves to none."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise AddressRefused("not_found", host) from None
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canonname, sockaddr in infos:
        # An IPv6 link-local answer may carry a zone ("fe80::1%eth0"); the zone is no part of
        # the address that is checked.
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise AddressRefused("not_found", host)
    return addresses


def checked_addresses(host: str, port: int, *, allowed: Sequence[IPNetwork]) -> list[IPAddress]:
    """The addresses `host` resolves to, each one allowed; AddressRefused when any is not.
    One refused address refuses the name: a name that resolves to a public and a private
    address at once is a trick, not a chat server."""
    addresses = resolve(host, port)
    for address in addresses:
        reason = refusal(address, allowed=allowed)
        if reason is not None:
            raise AddressRefused(reason, str(address))
    return addresses


@dataclass(frozen=True)
class Target:
    """Where to post: the scheme, the name (for the Host header and TLS's server name), the
    port, the path with its query, and the checked addresses to connect to."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[IPAddress, ...]


def webhook_target(url: str, *, allowed: Sequence[IPNetwork]) -> Target:
    """Where `url` (http or https) leads, checked as its name resolves now; AddressRefused
    for an address Sparring does not post to. Resolves the name, so never call it while a
    database transaction is open."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused("invalid")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise AddressRefused("invalid") from None
    addresses = checked_addresses(parts.hostname, port, allowed=allowed)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme, parts.hostname, port, path, tuple(addresses))


def _connect(addresses: Sequence[IPAddress], port: int, timeout: float) -> socket.socket:
    """A TCP connection to the first of `addresses` that answers; only these, never a name."""
    error: OSError | None = None
    for address in addresses:
        family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect((str(address), port))
            return sock
        except OSError as exc:
            sock.close()
            error = exc
    assert error is not None
    raise error


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._addresses = target.addresses

    def connect(self) -> None:
        self.sock = _connect(self._addresses, self.port, self.timeout)  # type: ignore[arg-type]


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float, context: ssl.SSLContext) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self._addresses = target.addresses
        self._tls = context

    def connect(self) -> None:
        sock = _connect(self._addresses, self.port, self.timeout)  # type: ignore[arg-type]
        # The certificate is checked against the name, as if the name had been dialled.
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


def pinned_connection(target: Target, *, timeout: float) -> http.client.HTTPConnection:
    """An HTTP(S) connection to `target` that connects only to its checked addresses, sends
    its name as Host and TLS server name, and follows no redirect (http.client never does).
    It ignores any proxy in the environment: a proxy resolves the name again itself, out of
    reach of the check."""
    if target.scheme == "https":
        # Made for each connection, so the system's certificates are read as they are now.
        return _PinnedHTTPSConnection(target, timeout, ssl.create_default_context())
    return _PinnedHTTPConnection(target, timeout)
