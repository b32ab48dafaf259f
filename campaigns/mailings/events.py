"""What happens to an email update that other areas act on (webhooks), without the mailings package knowing about
them. Receivers run inside the same transaction."""

from blinker import Namespace

_events = Namespace()

#: sender: the Mailing, which has just started going out (its copies are queued), sent now or at its scheduled time.
update_sent = _events.signal("update-sent")
