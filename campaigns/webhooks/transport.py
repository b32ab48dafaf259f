"""Posting one delivery: to the address resolved and checked for it (campaigns.webhooks.addresses), with TLS checked
against the host's name, no redirects followed, a time limit, and at most a few kilobytes of the answer read."""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass

from campaigns.webhooks.addresses import RefusedAddress, Target, resolve

#: How much of an answer is kept (and read at all).
EXCERPT_BYTES = 1024


@dataclass(frozen=True)
class Answer:
    """What the endpoint said, or why nothing was said (`status` None)."""

    status: int | None
    excerpt: str

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address already checked, whatever the host name would resolve to now."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.target = target

    def connect(self) -> None:
        self.sock = socket.create_connection((self.target.address, self.target.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self.target = target

    def connect(self) -> None:
        raw = socket.create_connection((self.target.address, self.target.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.target.host)  # type: ignore[attr-defined]


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float, allow_private: bool) -> Answer:
    """POST `body` to `url`; never raises for the endpoint's or the network's sake, only says what happened."""
    try:
        target = resolve(url, allow_private=allow_private)
    except RefusedAddress as refused:
        return Answer(None, f"Not sent: {refused.message}")
    factory = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = factory(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_BYTES).decode("utf-8", errors="replace")
        return Answer(response.status, excerpt)
    except TimeoutError:
        return Answer(None, f"No answer within {timeout:g} seconds.")
    except ssl.SSLError as error:
        return Answer(None, f"TLS failed: {error.reason or error}")
    except (OSError, http.client.HTTPException) as error:
        return Answer(None, f"Could not connect: {type(error).__name__}: {error}")
    finally:
        connection.close()
