"""A response is sent to its consultation only while the consultation is open: recording it as sent to the
consulting department through the statement's own Submissions form is refused once it has closed, as the
response's "Record it as sent" is (campaigns/submissions/events.py: before_recording)."""

from __future__ import annotations

from typing import Any

from campaigns.consultations import queries, services
from campaigns.consultations.sending import is_department
from campaigns.database import utcnow
from campaigns.statements.models import Statement
from campaigns.submissions.events import before_recording
from campaigns.submissions.models import Target


@before_recording.connect
def _not_to_a_closed_consultation(statement: Statement, *, targets: list[Target], **_: Any) -> None:
    response = queries.response_to(statement)
    if response is not None and any(is_department(response.consultation, target) for target in targets):
        services.refuse_sending_after_closing(response.consultation, utcnow())
