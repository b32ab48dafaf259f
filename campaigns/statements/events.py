"""What happens to a statement that other areas act on (signatures, later submissions), without
the statements package having to know about them. Receivers run inside the same transaction."""

from blinker import Namespace

_events = Namespace()

#: sender: the Statement, with `revision`: a revision every co-author has just agreed.
revision_agreed = _events.signal("revision-agreed")
#: sender: the Statement, just opened for signatures.
statement_opened = _events.signal("statement-opened")
#: sender: the Statement, just closed to new signatures.
statement_closed = _events.signal("statement-closed")
