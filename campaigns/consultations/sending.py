"""Sending a response to the consultation: the ways it names, and the target (the consulting department) a response
is recorded as sent to."""

from __future__ import annotations

from campaigns.accounts.models import User
from campaigns.consultations.models import Consultation
from campaigns.statements.models import Statement
from campaigns.submissions import targets
from campaigns.submissions.models import Target, TargetKind
from campaigns.submissions.queries import targets_for

#: The ways a consultation can name, and how a submission's notes say it was sent.
WAYS = {"email": "by email to", "online": "through the online form at", "post": "by post to"}


def ways_to_respond(consultation: Consultation) -> dict[str, str]:
    """The ways the consultation takes responses, with the address of each."""
    addresses = {
        "email": consultation.response_email,
        "online": consultation.response_url,
        "post": consultation.postal_address.replace("\n", ", "),
    }
    return {way: address for way, address in addresses.items() if address}


def is_department(consultation: Consultation, target: Target) -> bool:
    """Whether `target` is the department running the consultation: a target of its name."""
    return target.name.casefold() in {consultation.department.casefold(), consultation.department[:200].casefold()}


def department_target(consultation: Consultation, statement: Statement, *, actor: User) -> Target:
    """The directory's department of the consultation's name, or else the statement's own target for it (added if
    missing, with the consultation's addresses)."""
    found = [t for t in targets_for(statement) if is_department(consultation, t)]
    directory = [t for t in found if t.statement_id is None and t.kind == TargetKind.DEPARTMENT]
    if directory or found:
        return (directory or found)[0]
    details = targets.TargetDetails(
        kind=TargetKind.OTHER,
        name=consultation.department[:200],
        website=consultation.link,
        contact_email=consultation.response_email,
        postal_address=consultation.postal_address,
        notes=f"Runs the consultation ‘{consultation.title}’.",
    )
    return targets.create_target(details, actor=actor, statement=statement)
