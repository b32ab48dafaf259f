"""Web addresses people give us (an organisation's website, a target's): one type for every one the site stores.

A stored web address is always `http` or `https`, has a host, is at most 300 characters, and is kept in one
normal form (lower-case scheme and host, international names in their ASCII form, no default port, unsafe
characters percent-encoded). The form field (`WebAddressField` in forms.py) turns what was typed into that
form or says what is wrong; the column type (`WebAddress`) refuses anything else, whichever code writes it;
and pages link to one only through the `external_link` macro, with `rel="nofollow noopener ugc"`, and only if it
is still a web address (a row from before these rules shows as text).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import quote, urlsplit, urlunsplit

import sqlalchemy as sa

MAX_LENGTH = 300
#: On every link to an address someone gave us: no search-engine credit, no access to our window, user content.
REL = "nofollow noopener ugc"

_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:")
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9\-]{1,63}(?<!-)")
_DEFAULT_PORTS = {"http": 80, "https": 443}
# What may stay as typed in each part; anything else is percent-encoded (a % already there is kept).
_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY = _SAFE_PATH + "?"


class NotAWebAddress(ValueError):
    """What was given is not a web address we can store; the message says why, for the person who typed it."""


def _host(hostname: str) -> str:
    try:
        return f"[{ipaddress.IPv6Address(hostname).compressed}]"
    except ValueError:
        pass
    try:
        ascii_host = hostname.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError:
        raise NotAWebAddress("Enter a website address with a real domain, like www.example.org.uk") from None
    labels = ascii_host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.fullmatch(label) for label in labels) or ascii_host[-1].isdigit():
        try:
            return str(ipaddress.IPv4Address(ascii_host))
        except ValueError:
            raise NotAWebAddress("Enter a website address with a real domain, like www.example.org.uk") from None
    return ascii_host


def normalise_web_address(raw: str) -> str:
    """`raw` in its stored form, or NotAWebAddress. A bare "www.example.org" becomes "https://www.example.org"."""
    value = raw.strip()
    if not value:
        raise NotAWebAddress("Enter a website address")
    if any(character.isspace() or not character.isprintable() for character in value):
        raise NotAWebAddress("Enter a website address in the correct format, like www.example.org.uk, without spaces")
    if "://" not in value:
        prefix = _SCHEME.match(value)
        if prefix and not value[prefix.end() :][:1].isdigit():  # "javascript:…", "mailto:…"; not "host:8080"
            raise NotAWebAddress("Enter a website address that starts with https:// or http://")
        value = f"https://{value}"
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise NotAWebAddress("Enter a website address in the correct format, like www.example.org.uk") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise NotAWebAddress("Enter a website address that starts with https:// or http://")
    if parts.username is not None or parts.password is not None:
        raise NotAWebAddress("A website address cannot contain a user name or password")
    if not parts.hostname:
        raise NotAWebAddress("Enter a website address in the correct format, like www.example.org.uk")
    netloc = _host(parts.hostname) + (f":{port}" if port is not None and port != _DEFAULT_PORTS[scheme] else "")
    normal = urlunsplit(
        (
            scheme,
            netloc,
            quote(parts.path, safe=_SAFE_PATH),
            quote(parts.query, safe=_SAFE_QUERY),
            quote(parts.fragment, safe=_SAFE_QUERY),
        )
    )
    if len(normal) > MAX_LENGTH:
        raise NotAWebAddress(f"A website address must be {MAX_LENGTH} characters or fewer")
    return normal


def is_web_address(value: object) -> bool:
    """Whether `value` is a web address in its stored form: the only kind a page may link to."""
    if not isinstance(value, str) or not value:
        return False
    try:
        return normalise_web_address(value) == value
    except NotAWebAddress:
        return False


class WebAddress(sa.TypeDecorator[str]):
    """A column holding a web address in its stored form, or empty (None or ""). Nothing else can be written."""

    impl = sa.String(MAX_LENGTH)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: sa.Dialect) -> str | None:
        if value and not is_web_address(value):
            raise NotAWebAddress(f"Not a web address in its stored form: {value[:80]!r}")
        return value
