"""Email updates follow what the mail worker finds: a permanent failure suppresses the address for updates,
and each worker pass starts scheduled updates and marks finished ones sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from campaigns.mailings import services
from campaigns.outbox.events import before_claim, permanent_failure
from campaigns.outbox.transport import DeliveryError, Envelope


@permanent_failure.connect
def _suppress_bounce(envelope: Envelope, *, error: DeliveryError, **_: Any) -> None:
    # Only a refused update suppresses: a failed password reset says nothing about wanting updates.
    if envelope.mailing_id is not None and error.code is not None and 500 <= error.code < 600:
        services.record_bounce(envelope.recipient, envelope.mailing_id)


@before_claim.connect
def _start_and_finish(_worker: object, *, now: datetime, **_: Any) -> None:
    services.start_due(now)
    services.finish_done(now)
