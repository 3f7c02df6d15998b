"""Which hosts are this machine's own, and which are IP addresses."""

from __future__ import annotations

import ipaddress


def is_loopback(host: str | None) -> bool:
    """localhost, 127.0.0.0/8 or ::1: the replica, the tests, ``npc-archive serve``."""
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_ip_address(host: str) -> bool:
    """An IPv4 or IPv6 address (without brackets), not a name."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
