"""Email updates follow what the mail worker finds: a permanent failure, or a bounce or complaint read from the
bounce mailbox, suppresses the address for updates; an emailed unsubscribe request unsubscribes; and each
worker pass starts scheduled updates and marks finished ones sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from campaigns.mailings import services, unsubscribing
from campaigns.outbox.events import before_claim, permanent_failure, report_recorded, unsubscribe_requested
from campaigns.outbox.reports import ReportKind
from campaigns.outbox.transport import DeliveryError, Envelope

#: Replies that say the address itself does not work (no such mailbox, not here, not a valid name); other 5xx
#: replies (a line too long, a message refused as spam: 5.7.x) are about the message, not the address.
ADDRESS_REFUSED = frozenset({550, 551, 553})


@permanent_failure.connect
def suppress_if_address_refused(envelope: Envelope, *, error: DeliveryError, **_: Any) -> None:
    # Only a refused update suppresses: a failed password reset says nothing about wanting updates.
    if envelope.mailing_id is not None and error.code in ADDRESS_REFUSED and " 5.7." not in f" {error}":
        unsubscribing.suppress(envelope.recipient, envelope.mailing_id)


@report_recorded.connect
def suppress_after_report(_report: object, *, email: str, mailing_id: int | None, kind: ReportKind, **_: Any) -> None:
    unsubscribing.after_report(email, mailing_id, kind)


@unsubscribe_requested.connect
def unsubscribe_by_email(_request: object, *, token: str, **_: Any) -> None:
    unsubscribing.unsubscribe_by_email(token)


@before_claim.connect
def _start_and_finish(_worker: object, *, now: datetime, **_: Any) -> None:
    services.start_due(now)
    services.finish_done(now)
