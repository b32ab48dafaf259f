"""DKIM (RFC 6376): every outgoing message signed with the organisation's key, when one is configured.

dkimpy does the canonicalisation and signing; `cryptography` makes the key pair. The signature covers the
headers a receiver relies on, List-Unsubscribe and List-Unsubscribe-Post among them (RFC 8058 §4 asks for
that before a mail program offers one-click unsubscribe), with From signed once more than it appears so that
no second From can be added in transit.
"""

from __future__ import annotations

import base64
import functools
import logging
from dataclasses import dataclass
from pathlib import Path

import dkim
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import current_app

log = logging.getLogger(__name__)

SIGNED_HEADERS = [
    b"from",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"mime-version",
    b"content-type",
    b"content-transfer-encoding",
    b"auto-submitted",
    b"list-id",
    b"list-unsubscribe",
    b"list-unsubscribe-post",
    b"from",
]
#: A DNS TXT record holds strings of at most 255 characters each; longer values are split into several.
TXT_STRING = 255


class SigningError(RuntimeError):
    """The configured key cannot be used (missing, unreadable, not a private key)."""


@dataclass(frozen=True)
class KeyPair:
    private_pem: bytes
    #: The TXT record's value: `v=DKIM1; k=rsa; p=<public key>`.
    record: str

    def zone_line(self, selector: str, domain: str) -> str:
        """The record as a line for a DNS zone file, its value split into strings DNS can hold."""
        parts = [self.record[i : i + TXT_STRING] for i in range(0, len(self.record), TXT_STRING)]
        quoted = " ".join(f'"{part}"' for part in parts)
        return f"{selector}._domainkey.{domain}. 3600 IN TXT ( {quoted} )"


def generate_key(bits: int = 2048) -> KeyPair:
    """A new RSA key pair (2048 bits by default: what mailbox providers expect; 1024 is too weak)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    public_der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return KeyPair(private_pem, f"v=DKIM1; k=rsa; p={base64.b64encode(public_der).decode('ascii')}")


@functools.lru_cache(maxsize=4)
def _read_key(path: str, modified: float) -> bytes:
    """The key file's contents, read once per change of the file (`modified` is part of the cache key)."""
    data = Path(path).read_bytes()
    try:
        serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:
        raise SigningError(f"{path} is not an unencrypted PEM private key: {error}") from error
    return data


def private_key(path: str) -> bytes:
    try:
        return _read_key(path, Path(path).stat().st_mtime)
    except OSError as error:
        raise SigningError(f"Cannot read the DKIM key {path}: {error.strerror}") from error


def is_configured() -> bool:
    return bool(current_app.config.get("CAMPAIGNS_DKIM_KEY_PATH"))


def sign(message: bytes) -> bytes:
    """The message with a DKIM-Signature header in front, or as it was when no key is configured."""
    config = current_app.config
    path = config.get("CAMPAIGNS_DKIM_KEY_PATH")
    if not path:
        return message
    signature = dkim.sign(
        message,
        config["CAMPAIGNS_DKIM_SELECTOR"].encode("ascii"),
        config["CAMPAIGNS_DKIM_DOMAIN"].encode("ascii"),
        private_key(path),
        include_headers=SIGNED_HEADERS,
        canonicalize=(b"relaxed", b"relaxed"),
    )
    return signature + message
