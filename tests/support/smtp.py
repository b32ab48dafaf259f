"""A real SMTP server for tests (aiosmtpd, in a thread), recording what it receives.

Recipients whose address starts with `bounce` get a permanent 550; `tempfail` a temporary 451.
"""

from __future__ import annotations

import asyncio
import email
import re
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://[^\s<>\"']+")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage
    #: The DATA exactly as the server received it: what `tests.support.wire` checks.
    raw: bytes = b""

    @property
    def subject(self) -> str:
        # Flask-Mail folds long subjects straight after "Subject:"; mail clients drop the space that leaves.
        return str(self.message["Subject"]).strip()

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part else ""

    def links(self) -> list[str]:
        return LINK.findall(self.text)

    def link(self, containing: str = "") -> str:
        """The first link in the plain-text part that contains `containing`."""
        for link in self.links():
            if containing in link:
                return link
        raise AssertionError(f"No link containing {containing!r} in:\n{self.text}")


@dataclass
class _Handler:
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: Seconds to wait before accepting each message: makes a batch slow enough to interrupt.
    delay: float = 0.0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        local = address.split("@", 1)[0].lower()
        if local.startswith("bounce"):
            return "550 5.1.1 No such user here"
        if local.startswith("tempfail"):
            return "451 4.3.0 Mailbox temporarily unavailable, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        raw = envelope.original_content
        message = email.message_from_bytes(raw, policy=default_policy)
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message, raw))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self.port = free_port()
        self._handler = _Handler()
        self._controller = Controller(self._handler, hostname=self.host, port=self.port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    @property
    def messages(self) -> list[Received]:
        with self._handler.lock:
            return list(self._handler.received)

    def clear(self) -> None:
        with self._handler.lock:
            self._handler.received.clear()
        self._handler.delay = 0.0

    def slow_down(self, seconds: float) -> None:
        self._handler.delay = seconds

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.recipients]

    def last_to(self, address: str) -> Received:
        received = self.to(address)
        assert received, f"No email to {address}; received for: {[m.recipients for m in self.messages]}"
        return received[-1]
