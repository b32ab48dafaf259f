"""Which addresses a webhook may be sent to (server-side request forgery).

Unless CAMPAIGNS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES is on (development and tests, never production), an endpoint must be
`https://` and every address its host resolves to must be a public one: loopback (127.0.0.0/8, ::1), private
(10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, where cloud metadata services listen; fe80::/10),
shared, reserved, multicast and unspecified addresses are refused. The check runs when the endpoint is registered and
again at every delivery, after resolving the name, and the delivery then connects to the very address checked, so a
name that resolves to a public address at registration and a private one later (DNS rebinding) gets nowhere.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from campaigns.errors import DomainError

#: Longest address accepted.
URL_MAX = 2000


class RefusedAddress(DomainError):
    """The endpoint's address is malformed, or is (or resolves to) one webhooks may not be sent to."""

    status_code = 400


@dataclass(frozen=True)
class Target:
    """Where one delivery goes: the URL's parts, and the address to connect to."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def check_url(url: str, *, allow_private: bool) -> tuple[str, str, int, str]:
    """The URL's scheme, host, port and path (with its query), or RefusedAddress saying what is wrong with it."""
    if len(url) > URL_MAX or any(character.isspace() or ord(character) < 32 for character in url):
        raise RefusedAddress("Enter the endpoint's address as one web address, with no spaces.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise RefusedAddress("Enter a web address such as https://crm.example.org/hooks/common-ground.") from None
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise RefusedAddress("The endpoint's address must start with https://.")
    if not parts.hostname:
        raise RefusedAddress("Enter a web address such as https://crm.example.org/hooks/common-ground.")
    if parts.username is not None or parts.password is not None:
        raise RefusedAddress("Leave the user name and password out of the address: deliveries are signed instead.")
    if parts.fragment:
        raise RefusedAddress("Leave the #fragment out of the endpoint's address.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname.lower(), port or (443 if parts.scheme == "https" else 80), path


def is_public(address: str) -> bool:
    """Whether `address` is a public unicast address on the internet."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(url: str, *, allow_private: bool) -> Target:
    """Where to connect for `url`: its host resolved now, every address it has checked. RefusedAddress if any is not
    public (unless private addresses are allowed), or if the name does not resolve."""
    scheme, host, port, path = check_url(url, allow_private=allow_private)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise RefusedAddress(f"{host} could not be found (its name does not resolve).") from None
    addresses = [str(info[4][0]) for info in found]
    if not addresses:
        raise RefusedAddress(f"{host} could not be found (its name does not resolve).")
    if not allow_private:
        refused = [address for address in addresses if not is_public(address)]
        if refused:
            raise RefusedAddress(
                f"{host} resolves to {refused[0]}, a loopback, private or link-local address: webhooks are only "
                "sent to addresses on the public internet."
            )
    return Target(scheme, host, port, path, addresses[0])


def check_for_registration(url: str, *, allow_private: bool) -> str:
    """The URL to store, once it passes the checks a delivery would make (resolving the name, unless private
    addresses are allowed, when there is nothing to check the addresses for)."""
    url = url.strip()
    if allow_private:
        check_url(url, allow_private=True)
    else:
        resolve(url, allow_private=False)
    return url
