"""What happens to a signature that other areas act on (webhooks), without the signatures package knowing about
them. Receivers run inside the same transaction."""

from blinker import Namespace

_events = Namespace()

#: sender: the Signature, just confirmed: it counts from now on.
signature_confirmed = _events.signal("signature-confirmed")
#: sender: the Signature, just withdrawn: it has left the list and the counts.
signature_withdrawn = _events.signal("signature-withdrawn")
