"""The vendors' list of reported addresses, pure (no Django). The docstring is the spec.

Seed 002: requests from addresses that vendors have reported as malicious are blocked; the list
is taken as the vendor publishes it and keeps no history (only the list in force is held, in
memory; a new file replaces it whole).

The file is text, UTF-8, one entry per line: an IPv4 or IPv6 address (``203.0.113.7``,
``2001:db8::1``) or network in CIDR notation (``198.51.100.0/24``); a ``#`` starts a comment,
blank lines are skipped, host bits of a network are ignored (``10.1.2.3/8`` is ``10.0.0.0/8``).
A file with any other line does not parse: it is refused whole, naming the first bad line, and
the list in force stays (a half-read list would let reported addresses in).

A lookup is one set membership per prefix length present in the list, so a list of a million
single addresses costs the same per request as a list of ten.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Final


class BlocklistError(ValueError):
    def __init__(self, line: int, text: str, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.text = text
        self.message = message


@dataclass(frozen=True)
class Blocklist:
    """Networks by (IP version, prefix length) -> set of network addresses as integers."""

    networks: dict[tuple[int, int], frozenset[int]] = field(default_factory=dict)
    size: int = 0

    def blocks(self, address: str) -> bool:
        if not self.networks:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        if ip.version == 6 and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        value, bits = int(ip), ip.max_prefixlen
        for (version, prefix), members in self.networks.items():
            if version == ip.version and (value >> (bits - prefix)) << (bits - prefix) in members:
                return True
        return False


EMPTY: Final = Blocklist()


def parse(text: str) -> Blocklist:
    """The list a file's text holds, or ``BlocklistError`` naming the first line that is not an
    address or a network."""
    grouped: dict[tuple[int, int], set[int]] = {}
    size = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        entry = raw.split("#", 1)[0].strip()
        if not entry:
            continue
        try:
            network = ipaddress.ip_network(entry, strict=False)
        except ValueError:
            shown = raw.strip()[:80]
            raise BlocklistError(
                number,
                shown,
                f"Line {number} of the blocklist is not an IP address or network: {shown!r}. "
                f"The file was refused; the list in force stays.",
            ) from None
        grouped.setdefault((network.version, network.prefixlen), set()).add(
            int(network.network_address)
        )
        size += 1
    return Blocklist({key: frozenset(values) for key, values in grouped.items()}, size)


def parse_bytes(content: bytes) -> Blocklist:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BlocklistError(
            content[: error.start].count(b"\n") + 1,
            "",
            "The blocklist is not UTF-8 text. The file was refused; the list in force stays.",
        ) from None
    return parse(text)
