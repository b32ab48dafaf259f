"""What happens to a submission that other areas act on (webhooks, consultations), without the submissions package
knowing about them. Receivers run inside the same transaction."""

from blinker import Namespace

_events = Namespace()

#: sender: the Submission, just recorded as sent (its signatories frozen as of the date sent).
submission_sent = _events.signal("submission-sent")
#: sender: the Response, a reply just logged against its submission.
reply_logged = _events.signal("reply-logged")
#: sender: the Statement, about to be recorded as sent (or planned) to `targets`, before anything is written: a
#: receiver refuses by raising a DomainError (a consultation's department, once it has closed).
before_recording = _events.signal("before-recording")
