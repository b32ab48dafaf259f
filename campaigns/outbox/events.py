"""What the mail worker finds that other areas act on (email updates), without the outbox knowing about them.
Receivers run inside the worker's transaction for that step, and must flush but not commit."""

from blinker import Namespace

_events = Namespace()

#: sender: the Envelope that failed for good with a 5xx reply, with `error`: the DeliveryError.
permanent_failure = _events.signal("permanent-failure")
#: sender: the Worker, with `now`: sent before each claim, in its own transaction (to start scheduled updates).
before_claim = _events.signal("before-claim")
#: sender: the DeliveryReport just recorded (a bounce or complaint after acceptance), with `email` (the address we
#: sent to, lower case), `mailing_id` (its update, or None) and `kind` (a ReportKind).
report_recorded = _events.signal("report-recorded")
#: sender: the UnsubscribeRequest read from the bounce mailbox, with `token`: the unsubscribe link's token.
unsubscribe_requested = _events.signal("unsubscribe-requested")
#: sender: the Worker, after each batch of email: each receiver delivers what is due in its own queue (webhooks),
#: leased as email is (campaigns.outbox.leases), committing as it goes, and returns how many deliveries it attempted.
deliver_queues = _events.signal("deliver-queues")
