"""The email update a response's owners are offered once they have recorded the government's response: a draft
saying what the government said to each of the response's asks, which they change as they wish before sending."""

from __future__ import annotations

from campaigns.consultations.models import ConsultationResponse, Outcome
from campaigns.mailings.services import SUBJECT_MAX, UpdateDraft
from campaigns.submissions.blueprint import format_day


def outcome_update(response: ConsultationResponse, outcome: Outcome) -> UpdateDraft:
    """A draft update to the signatories: the government's response, its summary and its verdict on each ask."""
    consultation = response.consultation
    subject = f"The government has responded to ‘{consultation.title}’"
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 2].rstrip() + "…’"
    published = f"The government published its response to the consultation ‘{consultation.title}’ on " + format_day(
        outcome.published_on
    )
    lines = [published + (f": [read it in full]({outcome.link})." if outcome.link else ".")]
    if outcome.summary.strip():
        lines += ["", outcome.summary.strip()]
    if outcome.asks:
        lines += ["", "What it said to each of our asks:", ""]
        lines += [f"- **{row.verdict.label}:** {' '.join(row.ask.split())}" for row in outcome.asks]
    lines += ["", "Thank you for adding your organisation’s name to our response."]
    return UpdateDraft(subject=subject, body="\n".join(lines))
