"""Email about consultation responses. Each function only queues a message."""

from __future__ import annotations

from typing import TYPE_CHECKING

from campaigns.accounts.models import User
from campaigns.consultations.models import ConsultationResponse
from campaigns.outbox.services import queue_email
from campaigns.urls import external_url

if TYPE_CHECKING:
    from campaigns.consultations.reminders import SignOff


def send_deadline_reminder(editor: User, response: ConsultationResponse, days: int, standing: SignOff) -> None:
    queue_email(
        editor.email,
        "consultation_deadline",
        editor=editor,
        response=response,
        consultation=response.consultation,
        title=response.statement.latest_revision.title,
        days=days,
        standing=standing,
        missing=", ".join(organisation.name for organisation in standing.missing),
        link=external_url("consultations.answers", slug=response.statement.slug),
    )
