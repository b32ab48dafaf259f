"""Changes to an organisation that other areas act on, inside the same transaction."""

from blinker import Namespace

_events = Namespace()

#: sender: the Organisation, after its kind or its verification changed.
organisation_changed = _events.signal("organisation-changed")
