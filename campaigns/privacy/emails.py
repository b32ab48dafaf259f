"""Email about a person's data. Each function only queues a message."""

from __future__ import annotations

from campaigns.outbox.services import queue_email
from campaigns.privacy.models import DataExport
from campaigns.tokens import make_token
from campaigns.urls import external_url


def export_token(export: DataExport) -> str:
    """The emailed link's token: names the download and its nonce, so it works once."""
    return make_token("data-export", {"x": export.id, "n": export.nonce})


def send_export_ready(export: DataExport, email: str) -> None:
    queue_email(
        email,
        "data_export_ready",
        export=export,
        link=external_url("privacy.download", token=export_token(export)),
    )
