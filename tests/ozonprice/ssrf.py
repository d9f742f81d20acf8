"""Helpers of the SSRF tests: a fake resolver and a record of the sockets that would open.

Their fixtures (`refuse_private`, `dns`, `sockets`) are in tests/conftest.py.
"""

from __future__ import annotations

import ipaddress
import socket

# A public address (TEST-NET ranges are not global, so a real one: example.com's).
PUBLIC = "93.184.215.14"

# Hosts a manager could type that reach the machine itself, its network or the cloud's metadata service.
PRIVATE_URLS = [
    "http://127.0.0.1:8001/",
    "http://localhost/",
    "http://LOCALHOST./",
    "http://api.localhost/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00:ec2::254]/",
    "http://100.100.100.200/",
    "http://10.0.0.5/",
    "http://172.16.3.4/",
    "http://192.168.1.1/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://224.0.0.1/",
    "http://0.0.0.0/",
    "http://[::]/",
    "http://127.1/",
    "http://2130706433/",
    "http://0x7f.1/",
    "http://0177.0.0.1/",
    "http://[64:ff9b::7f00:1]/",
    "http://metadata.google.internal/",
    "http://intranet/",
]


class FakeDns:
    """`socket.getaddrinfo` with answers set per host; numeric hosts answer themselves."""

    def __init__(self) -> None:
        self.answers: dict[str, list[list[str]]] = {}
        self.asked: list[str] = []

    def set(self, host: str, *answers: list[str]) -> None:
        """Each call for `host` takes the next answer (the last one repeats): a rebinding name."""
        self.answers[host.lower()] = list(answers)

    def __call__(self, host, port, family=0, type=0, proto=0, flags=0):  # noqa: A002 - socket's signature
        name = host.decode() if isinstance(host, bytes) else str(host)
        self.asked.append(name)
        try:
            addresses = [str(ipaddress.ip_address(name.strip("[]")))]
        except ValueError:
            answers = self.answers.get(name.lower().rstrip("."))
            if not answers:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None
            addresses = answers.pop(0) if len(answers) > 1 else answers[0]
        return [
            (
                socket.AF_INET6 if ":" in address else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (address, port or 0, 0, 0) if ":" in address else (address, port or 0),
            )
            for address in addresses
        ]


class Sockets:
    """Stands in for urllib3's `create_connection`: records where a socket would go, opens none."""

    def __init__(self) -> None:
        self.opened: list[tuple[str, int]] = []

    def __call__(self, address, *args, **kwargs):
        self.opened.append(address)
        raise ConnectionRefusedError(111, "Connection refused (test: no socket is opened)")
