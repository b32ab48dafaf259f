"""How a queued message leaves: over SMTP (Flask-Mail's connection), or as an .eml file when no server is set."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Protocol

import dkim
from flask import current_app
from flask_mail import Connection

from campaigns.outbox import mime, signing
from campaigns.outbox.mime import UnsendableMessage
from campaigns.outbox.returnpath import envelope_sender

log = logging.getLogger(__name__)


@dataclass
class DeliveryError(Exception):
    """A failed delivery: `permanent` for a 5xx reply about this message, otherwise worth retrying."""

    error: str
    permanent: bool
    code: int | None = None

    def __str__(self) -> str:
        return self.error


def unsendable(error: ValueError) -> DeliveryError:
    """The message itself is malformed, so no retry can help: a line break in a header, or text that cannot be
    encoded (such as an address with non-ASCII characters before the @, which needs SMTPUTF8)."""
    reason = str(error) if isinstance(error, UnsendableMessage) else f"{type(error).__name__}: {error}"
    return DeliveryError(f"The message cannot be sent as it is: {reason}", permanent=True)


@dataclass(frozen=True)
class Envelope:
    """A queued message as the worker holds it: read in the claim's transaction, sent with none open."""

    FIELDS: ClassVar[tuple[str, ...]] = (
        "id",
        "recipient",
        "subject",
        "text_body",
        "html_body",
        "headers",
        "message_id",
        "created_at",
        "attempts",
        "mailing_id",
    )

    id: int
    recipient: str
    subject: str
    text_body: str
    html_body: str | None
    headers: dict[str, Any]
    message_id: str
    created_at: datetime
    attempts: int
    mailing_id: int | None = None
    #: The message as it goes on the wire, when the worker built it ahead of sending (see `encode`).
    encoded: bytes | None = None


def encode(message: Envelope) -> bytes:
    """The message as sent (see `mime`), DKIM-signed when a key is configured.

    The costly part of sending, so the worker does it for the next messages while it waits for the server.
    Raises DeliveryError (permanent) when the message cannot be sent as it is.
    """
    if message.encoded is not None:
        return message.encoded
    try:
        built = mime.build(
            sender=current_app.config["MAIL_DEFAULT_SENDER"],
            recipient=message.recipient,
            subject=message.subject,
            text=message.text_body,
            html=message.html_body,
            message_id=message.message_id,
            # The time it was queued: a copy sent again after a crash is the same message.
            date=message.created_at,
            headers=message.headers,
        )
    except ValueError as error:  # UnsendableMessage, and UnicodeError for an address that needs SMTPUTF8
        raise unsendable(error) from error
    try:
        return signing.sign(built)
    except (signing.SigningError, dkim.DKIMException) as error:
        # The key, not the message: worth retrying once an operator has fixed it.
        log.error("Could not DKIM-sign message %s: %s", message.id, error)
        raise DeliveryError(f"Could not DKIM-sign the message: {error}", permanent=False) from error


class Transport(Protocol):
    def send(self, message: Envelope) -> None: ...

    def close(self) -> None: ...


class _TimeoutConnection(Connection):
    """Flask-Mail's connection, with a socket timeout so a stalled server cannot hang the worker."""

    def configure_host(self) -> smtplib.SMTP | smtplib.SMTP_SSL:
        timeout = current_app.config["MAIL_TIMEOUT"]
        cls = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = cls(self.mail.server, self.mail.port, timeout=timeout)
        try:
            if self.mail.use_tls:
                host.starttls()
            if self.mail.username and self.mail.password:
                host.login(self.mail.username, self.mail.password)
        except BaseException:
            host.close()  # connected but unusable: do not leak the socket
            raise
        return host


def _text(reply: object) -> str:
    # smtplib hands replies over as bytes, though its stubs say otherwise in places.
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def _reply_code(error: smtplib.SMTPException) -> tuple[int | None, str]:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, refusal = next(iter(error.recipients.values()))
        return code, _text(refusal)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code, _text(error.smtp_error)
    return None, str(error)


class SmtpTransport:
    """One SMTP connection reused for a whole batch, opened on first use and reopened after a drop."""

    def __init__(self) -> None:
        self._connection: _TimeoutConnection | None = None

    def _connect(self) -> _TimeoutConnection:
        if self._connection is None:
            connection = _TimeoutConnection(current_app.extensions["mail"])
            try:
                connection.host = connection.configure_host()
            except (smtplib.SMTPException, OSError) as error:
                # Connecting, greeting and signing in fail for the server's reasons, never the message's.
                code, reply = _reply_code(error) if isinstance(error, smtplib.SMTPException) else (None, str(error))
                raise DeliveryError(
                    f"Could not connect to the mail server: {reply or error}", permanent=False, code=code
                ) from error
            self._connection = connection
        return self._connection

    def send(self, message: Envelope) -> None:
        data = encode(message)
        connection = self._connect()
        try:
            assert connection.host is not None
            connection.host.sendmail(envelope_sender(message.id), [mime.address(message.recipient)], data)
        except UnicodeError as error:
            # smtplib may fail to encode an address after MAIL FROM: start afresh for the next message.
            self.close()
            raise unsendable(error) from error
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            code, reply = _reply_code(error)
            if code == 421:
                # The server is closing the connection (smtplib has closed its end): the next message needs a new one.
                self.close()
            raise DeliveryError(
                f"{code} {reply}".strip(), permanent=code is not None and 500 <= code < 600, code=code
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            code, reply = _reply_code(error) if isinstance(error, smtplib.SMTPException) else (None, str(error))
            raise DeliveryError(
                f"{code or ''} {reply or type(error).__name__}".strip(), permanent=False, code=code
            ) from error

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and connection.host is not None:
            try:
                connection.host.quit()
            except (smtplib.SMTPException, OSError):
                connection.host.close()


class FileTransport:
    """Development without a mail server: each message becomes an .eml file you can open."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)

    def send(self, message: Envelope) -> None:
        # As a mailbox would keep it after delivery: the return path first (RFC 5321 §4.4).
        content = f"Return-Path: <{envelope_sender(message.id)}>\r\n".encode() + encode(message)
        stamp = message.created_at.strftime("%Y%m%d-%H%M%S")
        path = self.directory / f"{stamp}-{message.id}.eml"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        except OSError as error:
            raise DeliveryError(f"Could not write {path}: {error}", permanent=False) from error
        log.info("Wrote email to %s (%r) as %s", message.recipient, message.subject, path)

    def close(self) -> None:
        pass


def make_transport() -> Transport:
    if current_app.config.get("MAIL_SERVER"):
        return SmtpTransport()
    return FileTransport(current_app.config["CAMPAIGNS_OUTBOX_DIR"])
