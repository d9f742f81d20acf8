"""The SSRF guard: a URL a manager can set must not reach this machine, its network or the cloud's metadata.

Refused: loopback, private (RFC 1918), shared (CGNAT), link-local, unique-local,
multicast, reserved, unspecified and every other address IANA lists as not
globally reachable, plus the cloud metadata services — in IPv4 and IPv6, with
IPv4 hidden inside IPv6 (mapped, NAT64, 6to4, Teredo) unwrapped, and in every
spelling a resolver accepts (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`,
`localhost.`). The stdlib `ipaddress` module does the address maths; the
lists of Python 3.12.1 miss a few ranges, which `EXTRA_BLOCKED` adds.

Three places use it:

* on save, `outbound_url_refusal(url, resolve=True)` (the settings API and admin form);
* at call time, `HttpSeam(outbound_guard=True)` checks the URL after DNS
  before anything is sent, and its adapter's pools (`GUARDED_POOLS`) resolve
  again inside the connection, checks every address and connects to a checked one (so a name
  that answers differently the second time — DNS rebinding — gets no socket);
* push-images, `host_refusal(host)`: literals and local names only, no DNS
  (Ozon fetches the pictures, with its own resolver).

`OUTBOUND_ALLOW_PRIVATE=true` (the demo, the tests) turns all of it off.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# The cloud metadata services (AWS, GCP, Azure, OpenStack; AWS ECS; AWS over IPv6; Alibaba; Oracle).
METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "192.0.0.192")
)
# Not globally reachable (IANA special-purpose registries) but missing from Python 3.12.1's lists.
EXTRA_BLOCKED = tuple(
    ipaddress.ip_network(n) for n in ("192.0.0.0/24", "198.18.0.0/15", "2002::/16", "2001::/23", "64:ff9b:1::/48")
)
UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
# NAT64 (RFC 6052): its last 32 bits are an IPv4 address reached through a translator.
NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Names that only mean something inside a network: RFC 6761 (localhost), mDNS (.local),
# RFC 8375 (home.arpa), GCP's metadata.google.internal, Kubernetes (.svc), common LAN suffixes.
LOCAL_SUFFIXES = ("localhost", "local", "localdomain", "internal", "intranet", "lan", "home.arpa", "svc")
# A host a resolver would read as an IPv4 number (inet_aton: decimal, octal, hex, 1 to 4 parts).
NUMERIC_HOST = re.compile(r"(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?", re.IGNORECASE)


class OutboundRefused(ValueError):
    """A call to a private address, refused before a socket opens.

    A ValueError, not an OSError: urllib3 would take an OSError for a failed
    connection and retry it, and the seam for "maybe sent".
    """


KIND_LABELS = {
    "cloud metadata": _("cloud metadata"),
    "unspecified": _("unspecified"),
    "loopback": _("loopback"),
    "link-local": _("link-local"),
    "multicast": _("multicast"),
    "unique-local": _("unique-local"),
    "private": _("private network"),
    "reserved": _("reserved"),
    "not globally reachable": _("not globally reachable"),
    "local name": _("a name of the local network"),
    "missing host": _("no host"),
    "malformed URL": _("malformed URL"),
}


@dataclass(frozen=True)
class Refusal:
    host: str
    address: str
    kind: str  # loopback, private, link-local, unique-local, multicast, reserved, unspecified, metadata, local name…

    def __str__(self) -> str:
        if self.address and self.address != self.host:
            return f"{self.host} resolves to {self.address} ({self.kind} address)"
        if self.address:
            return f"{self.host} is a {self.kind} address"
        return f"{self.host} is a {self.kind}"


def outbound_private_allowed() -> bool:
    return bool(getattr(settings, "OUTBOUND_ALLOW_PRIVATE", False))


def address_kind(address: IPAddress) -> str | None:
    """Why `address` may not be called (its kind), or None for a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)
        if inner is None and address in NAT64:
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if inner is not None and (kind := address_kind(inner)):
            return kind
    checks = (
        (address in METADATA, "cloud metadata"),
        (address.is_unspecified, "unspecified"),
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        (address.is_multicast, "multicast"),
        (address.version == 6 and address in UNIQUE_LOCAL, "unique-local"),
        (address.is_private, "private"),
        (address.is_reserved, "reserved"),
        (any(address in network for network in EXTRA_BLOCKED if network.version == address.version), "reserved"),
        (not address.is_global, "not globally reachable"),
    )
    return next((kind for hit, kind in checks if hit), None)


def host_literal(host: str) -> IPAddress | None:
    """The address a host names literally, in any spelling a resolver accepts; None for a name."""
    host = host.strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if NUMERIC_HOST.fullmatch(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return ipaddress.IPv4Address(0)  # numeric but no address (999999999999): refuse as unspecified
    return None


def host_refusal(host: str | None) -> Refusal | None:
    """A refusal for a host that is private whatever DNS answers: a literal address or a local name."""
    if not host:
        return Refusal(host="", address="", kind="missing host")
    name = host.strip("[]").rstrip(".").lower()
    address = host_literal(name)
    if address is not None:
        kind = address_kind(address)
        return Refusal(host=host, address=str(address), kind=kind) if kind else None
    if "." not in name or name.endswith(tuple("." + suffix for suffix in LOCAL_SUFFIXES)) or name in LOCAL_SUFFIXES:
        return Refusal(host=host, address="", kind="local name")
    return None


def host_addresses(host: str, port: int | None) -> list[IPAddress]:
    """Every address DNS gives for `host` (socket.gaierror when it gives none)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    # An IPv6 sockaddr may carry a zone ("fe80::1%eth0"); the address is before it.
    return list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos))


def addresses_refusal(host: str, addresses: list[IPAddress]) -> Refusal | None:
    """A refusal if ANY address is private: a name with one private answer could be given it next time."""
    for address in addresses:
        if kind := address_kind(address):
            return Refusal(host=host, address=str(address), kind=kind)
    return None


def outbound_url_refusal(url: str, *, resolve: bool = True) -> Refusal | None:
    """Why an outgoing call to `url` is refused, or None. Nothing is refused with OUTBOUND_ALLOW_PRIVATE.

    With `resolve`, a name is looked up too; a name DNS does not know is not
    refused here (the call fails on its own, and is checked again then).
    """
    if outbound_private_allowed():
        return None
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return Refusal(host=url, address="", kind="malformed URL")
    refusal = host_refusal(host)
    if refusal is not None or not resolve:
        return refusal
    assert host is not None  # host_refusal refuses a missing host
    try:
        return addresses_refusal(host, host_addresses(host, port))
    except (socket.gaierror, UnicodeError):
        return None


def validate_outbound_url(value: str) -> None:
    """A form and serializer validator: refuses a URL whose host is, or resolves to, a private address."""
    if not value or (refusal := outbound_url_refusal(value)) is None:
        return
    kind = KIND_LABELS.get(refusal.kind, refusal.kind)
    if refusal.address and refusal.address != refusal.host:
        message = gettext(
            "%(host)s resolves to %(address)s, which is not a public address (%(kind)s). "
            "Outgoing calls go to public addresses only."
        )
    else:
        message = gettext("%(host)s is not a public address (%(kind)s). Outgoing calls go to public addresses only.")
    raise ValidationError(
        message % {"host": refusal.host, "address": refusal.address, "kind": kind}, code="private_address"
    )


# --- the connection: resolve, check every address, connect to a checked one -------------
if TYPE_CHECKING:
    # The mixin calls HTTPConnection's methods through super(): typed against it.
    _ConnectionBase = HTTPConnection
else:
    _ConnectionBase = object


class _GuardedConnectionMixin(_ConnectionBase):
    """Resolves, checks and connects in one step, so a second DNS answer cannot slip in."""

    def _new_conn(self):
        if outbound_private_allowed():
            return super()._new_conn()
        name = self._dns_host
        if (refusal := host_refusal(name)) is not None:
            raise OutboundRefused(str(refusal))
        try:
            addresses = host_addresses(name, self.port)
        except socket.gaierror as error:
            raise NameResolutionError(self.host, self, error) from error
        if (refusal := addresses_refusal(name, addresses)) is not None:
            raise OutboundRefused(str(refusal))
        # The socket goes to the checked address; TLS still checks the certificate
        # against the name (`self.host` is read again after this returns).
        for index, address in enumerate(addresses):
            self._dns_host = str(address)
            try:
                return super()._new_conn()
            except ConnectTimeoutError:  # NewConnectionError too: try the next address
                if index == len(addresses) - 1:
                    raise
            finally:
                self._dns_host = name
        raise AssertionError("unreachable: DNS gave no address")  # pragma: no cover


class GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    pass


class GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    pass


class GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


# For a urllib3 PoolManager's `pool_classes_by_scheme` (the seam's GuardedAdapter).
GUARDED_POOLS = {"http": GuardedHTTPConnectionPool, "https": GuardedHTTPSConnectionPool}
