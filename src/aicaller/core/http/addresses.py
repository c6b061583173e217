"""Which IP addresses outbound requests may reach: globally routable unicast ones only.

The standard library's ``is_global`` is the base, but it differs between Python versions and
misses forms that smuggle an IPv4 address inside IPv6 (mapped, compatible, 6to4, NAT64,
Teredo) or that it calls global although nothing legitimate lives there (multicast, reserved,
site-local). Those are checked explicitly so the policy does not drift with the interpreter.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
from typing import TypeAlias

IPAddress: TypeAlias = IPv4Address | IPv6Address

_THIS_NETWORK = IPv4Network("0.0.0.0/8")
_CGNAT = IPv4Network("100.64.0.0/10")
_BROADCAST = IPv4Address("255.255.255.255")
_TEREDO = IPv6Network("2001::/32")
_SIX_TO_FOUR = IPv6Network("2002::/16")
_NAT64 = IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = IPv6Network("64:ff9b:1::/48")
_IPV4_SPACE = 2**32


def embedded_ipv4(address: IPv6Address) -> IPv4Address | None:
    """The IPv4 address carried by a mapped, compatible, 6to4 or NAT64 IPv6 address."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return IPv4Address(address.packed[12:])
    if address in _NAT64_LOCAL:
        # RFC 6052 layout for a /48 prefix: the IPv4 octets straddle the reserved "u" octet.
        packed = address.packed
        return IPv4Address(packed[6:8] + packed[9:11])
    if address.sixtofour is not None:
        return address.sixtofour
    if 1 < int(address) < _IPV4_SPACE:  # IPv4-compatible ::a.b.c.d (:: and ::1 excluded)
        return IPv4Address(int(address))
    return None


def refusal_reason(address: IPAddress) -> str | None:
    """Why connecting to ``address`` is refused, or None when it is a public address."""
    if isinstance(address, IPv4Address):
        return _ipv4_reason(address)
    if address.scope_id:
        return "an IPv6 address with a zone id"
    if address in _TEREDO:
        return "a Teredo tunnel address"
    embedded = embedded_ipv4(address)
    if embedded is not None:
        if address in _NAT64 or address in _NAT64_LOCAL or address in _SIX_TO_FOUR:
            # Translation prefixes are how IPv6-only networks reach IPv4 sites: judge the target.
            reason = _ipv4_reason(embedded)
            return None if reason is None else f"a translated address of {embedded} ({reason})"
        return f"an IPv4-mapped or IPv4-compatible address (of {embedded})"
    return _ipv6_reason(address)


def is_public_address(address: IPAddress) -> bool:
    """True when outbound requests may connect to ``address``."""
    return refusal_reason(address) is None


def _ipv4_reason(address: IPv4Address) -> str | None:
    checks = (
        (address in _THIS_NETWORK, "in 0.0.0.0/8 (this network)"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address (cloud metadata lives here)"),
        (address in _CGNAT, "a carrier-grade NAT address (100.64.0.0/10)"),
        (address.is_multicast, "a multicast address"),
        (address == _BROADCAST, "the broadcast address"),
        (address.is_private, "a private address"),
        (address.is_reserved, "a reserved address"),
        (not address.is_global, "not a globally routable address"),
    )
    return next((reason for matched, reason in checks if matched), None)


def _ipv6_reason(address: IPv6Address) -> str | None:
    checks = (
        (address.is_unspecified, "the unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_site_local, "a site-local address"),
        (address.is_private, "a private address"),
        (address.is_multicast, "a multicast address"),
        (address.is_reserved, "a reserved address"),
        (not address.is_global, "not a globally routable address"),
    )
    return next((reason for matched, reason in checks if matched), None)
