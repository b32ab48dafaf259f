"""The mail worker builds data downloads after each batch of email (campaigns/outbox/events.py: deliver_queues)."""

from __future__ import annotations

from typing import Any

from campaigns.outbox.events import deliver_queues
from campaigns.privacy import exports


@deliver_queues.connect
def _build_data_downloads(worker: Any, **_: Any) -> int:
    return exports.deliver_due(worker=worker.name)
