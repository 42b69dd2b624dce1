"""Which addresses the fetcher may connect to: the rules, and the policy of the request in hand.

- loopback, private, link-local, CGNAT, multicast and reserved addresses are refused unless
  the source allows private addresses; cloud metadata addresses always;
- an IPv6 address that embeds an IPv4 (mapped, compatible, 6to4, NAT64, Teredo) is judged
  by that IPv4 too;
- a URL's host is read as the resolver reads it, shorthands included (127.1, 2130706433,
  0x7f.1), so the config can refuse a literal address before any fetch;
- the address policy is the source's: inside `address_policy(allow_private)` every request
  of this thread (a source's fetch, its redirects, its linked pages) uses that source's
  policy.

http.py applies these rules when a socket connects (after DNS resolution, so a name that
resolves to 127.0.0.1 is refused too); config.py applies them to literal addresses.
"""
from __future__ import annotations

import contextlib
import ipaddress
import re
import socket
import threading

# Cloud metadata and credential endpoints, refused even when private addresses are allowed:
# a feed or a redirect that reached one would put the machine's cloud credentials in the store.
METADATA = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254",  # instance metadata of AWS (IMDS), GCP, Azure, DigitalOcean, Oracle, OpenStack, Hetzner
    "169.254.169.253",  # AWS: the VPC's DNS resolver (Route 53 Resolver)
    "169.254.170.2",    # AWS ECS: the task's container credentials endpoint
    "169.254.170.23",   # AWS EKS: the Pod Identity Agent (credentials)
    "100.100.100.200",  # Alibaba Cloud: instance metadata
    "168.63.129.16",    # Azure: the WireServer (VM agent, extension settings and certificates; DNS, health probes)
    "169.254.0.23",     # Tencent Cloud: instance metadata (metadata.tencentyun.com)
    "192.0.0.192",      # Oracle Cloud: the legacy instance metadata address
    "fd00:ec2::254",    # AWS: IMDS over IPv6 (Nitro instances)
    "fd00:ec2::253",    # AWS: the VPC's DNS resolver over IPv6 (the counterpart of 169.254.169.253)
    "fd00:ec2::23",     # AWS EKS: the Pod Identity Agent over IPv6
    "fe80::a9fe:a9fe",  # OpenStack: metadata over link-local IPv6 (169.254.169.254's bits)
))
# Whole link-local /24s the clouds put their instance services in, refused always too: AWS
# alone uses 169.254.169.123 (time), .253 (DNS), .254 (IMDS), 169.254.170.2 and .23
# (credentials), and new endpoints keep appearing there. Nothing a feed would be served from
# lives in them (link-local addresses are not routed), so a list of single addresses would only
# wait to miss the next one; the rest of 169.254.0.0/16 stays the source's choice.
METADATA_NETWORKS = tuple(ipaddress.ip_network(n) for n in ("169.254.169.0/24", "169.254.170.0/24"))
CGNAT = ipaddress.ip_network("100.64.0.0/10")
# IPv6 prefixes whose last 32 bits are an IPv4 address the packet ends up at (the mapped
# ::ffff:0:0/96, 6to4 2002::/16 and Teredo 2001::/32 have properties in `ipaddress`):
NAT64 = ipaddress.ip_network("64:ff9b::/96")            # RFC 6052's well-known NAT64 prefix
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")         # RFC 4291 2.5.5.1 (deprecated, still parsed)


def address_refused(ip: str, allow_private: bool) -> str | None:
    """Why `ip` is refused, or None when it may be connected to. An IPv6 address that carries
    an IPv4 one is refused when either is."""
    addr = ipaddress.ip_address(ip.split("%")[0])
    for form, inner in embedded_ipv4(addr):
        reason = _refused(inner, allow_private)
        if reason:
            return f"{reason} ({inner} inside {form} address)"
    return _refused(addr, allow_private)


def embedded_ipv4(addr) -> list[tuple[str, ipaddress.IPv4Address]]:
    """The IPv4 addresses an IPv6 address stands for, each with the name of its form."""
    if addr.version == 4:
        return []
    out = []
    if addr.ipv4_mapped:
        out.append(("an IPv4-mapped", addr.ipv4_mapped))
    if addr.sixtofour:
        out.append(("a 6to4", addr.sixtofour))
    if addr.teredo:
        out += [("a Teredo", addr.teredo[1]), ("a Teredo", addr.teredo[0])]
    if addr in NAT64:
        out.append(("a NAT64", ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)))
    if addr in IPV4_COMPATIBLE and int(addr) > 1:       # not :: and ::1, which are themselves
        out.append(("an IPv4-compatible", ipaddress.IPv4Address(int(addr))))
    return out


def _refused(addr, allow_private: bool) -> str | None:
    if addr in METADATA or any(addr in network for network in METADATA_NETWORKS):
        return "a cloud metadata address"
    if allow_private:
        return None
    if addr.is_loopback:
        return "a loopback address"
    if addr.is_link_local:
        return "a link-local address"
    if addr.version == 4 and addr in CGNAT:
        return "a carrier-grade NAT address"
    if addr.is_private:
        return "a private address"
    if addr.is_multicast or addr.is_reserved or addr.is_unspecified:
        return "a reserved address"
    return None


# The IPv4 spellings inet_aton (and so getaddrinfo) accepts: 1 to 4 parts, decimal or hex.
IPV4_SHORTHAND = re.compile(r"(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}", re.IGNORECASE)


def literal_address(host: str) -> str | None:
    """The address a URL's host spells, or None for a name. Takes the shorthands the resolver
    takes too: 127.1, 2130706433, 0x7f.1."""
    host = host.rstrip(".")
    try:
        return str(ipaddress.ip_address(host.replace("%25", "%")))
    except ValueError:
        pass
    if IPV4_SHORTHAND.fullmatch(host):
        try:
            return socket.inet_ntoa(socket.inet_aton(host))
        except OSError:
            return None
    return None


# The address policy of the source this thread is fetching for (None: the client's own). It
# is set around a whole fetch, so the fetchers and whatever wraps the client need not carry it.
_policy = threading.local()


@contextlib.contextmanager
def address_policy(allow_private: bool | None):
    """Every request this thread makes inside the block may reach private addresses only if
    `allow_private` says so (None leaves the policy as it was)."""
    previous = getattr(_policy, "allow_private", None)
    _policy.allow_private = previous if allow_private is None else bool(allow_private)
    try:
        yield
    finally:
        _policy.allow_private = previous


def current_policy() -> bool | None:
    """The `allow_private` of the `address_policy` block this thread is in; None outside one
    (the client's own policy applies)."""
    return getattr(_policy, "allow_private", None)
