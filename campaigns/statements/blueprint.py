"""The statements blueprint, what every statement view needs (the statement, visible to the actor) and what
its templates are given."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from flask import Blueprint, g
from flask_login import current_user

from campaigns.organisations.acting import my_organisations_where
from campaigns.organisations.permissions import Permission
from campaigns.statements import amendments, discussion
from campaigns.statements.amendments import STATUS_LABELS
from campaigns.statements.models import Amendment, AmendmentStatus, Stage, Statement
from campaigns.statements.permissions import Action, capacities, statement_for

bp = Blueprint("statements", __name__)


def visible_statement(slug: str, *actions: Action, refusal: str | None = None) -> Statement:
    """`statement_for` the signed-in person: the statement at `slug` if their organisations take part in it (404
    otherwise), and if they may take one of `actions` (403 with `refusal` otherwise)."""
    return statement_for(slug, *actions, refusal=refusal, actor=current_user)


def abilities(statement: Statement) -> SimpleNamespace:
    """What the signed-in person may do with `statement`, one flag per action, for templates."""
    held = capacities(current_user, statement)
    return SimpleNamespace(**{action.value: any(c.allows(action) for c in held) for action in Action})


STAGE_TAGS = {
    Stage.DRAFT: "govuk-tag--grey",
    Stage.IN_AGREEMENT: "govuk-tag--yellow",
    Stage.AGREED: "govuk-tag--green",
    Stage.OPEN: "govuk-tag--blue",
    Stage.CLOSED: "govuk-tag--grey",
}


PARTICIPANT_STATUS_LABELS = {
    "invited": "Invited, not yet answered",
    "active": "Taking part",
    "declined": "Declined",
    "stepped_down": "Stepped down",
    "withdrawn": "Invitation withdrawn",
}


def stage_label(statement: Statement) -> str:
    label = statement.stage.label
    if statement.is_published and statement.proposed_revision_id:
        return f"{label}: new version in agreement"
    if statement.is_published and statement.has_newer_draft:
        return f"{label}: new draft in progress"
    return label


@bp.app_context_processor
def statement_helpers() -> dict[str, object]:
    return {
        "statement_abilities": abilities,
        "stage_label": stage_label,
        "stage_tag_class": lambda statement: STAGE_TAGS[statement.stage],
        "PARTICIPANT_STATUS_LABELS": PARTICIPANT_STATUS_LABELS,
        "my_organisations_where": my_organisations_where,
        "ORGANISATION_PERMISSION": Permission,
        "AMENDMENT_STATUS_LABELS": STATUS_LABELS,
        "AMENDMENT_STATUS_TAGS": AMENDMENT_STATUS_TAGS,
    }


AMENDMENT_STATUS_TAGS = {
    AmendmentStatus.OPEN: "govuk-tag--blue",
    AmendmentStatus.ACCEPTED: "govuk-tag--green",
    AmendmentStatus.REJECTED: "govuk-tag--red",
    AmendmentStatus.WITHDRAWN: "govuk-tag--grey",
    AmendmentStatus.OUTDATED: "govuk-tag--orange",
}


@dataclass
class WorkspaceDiscussion:
    """What the workspace partials show: comment threads and open amendments."""

    comments: discussion.Discussion
    open_amendments: list[Amendment]

    def open_on(self, paragraph: int) -> list[discussion.Thread]:
        return self.comments.open_on(paragraph)


def statement_discussion(statement: Statement) -> WorkspaceDiscussion:
    """Comments and open amendments of `statement`, read once per request however often templates ask."""
    cache: dict[int, WorkspaceDiscussion] = g.setdefault("statement_discussions", {})
    if statement.id not in cache:
        cache[statement.id] = WorkspaceDiscussion(
            discussion.discussion_of(statement), amendments.amendments_of(statement, status=AmendmentStatus.OPEN)
        )
    return cache[statement.id]


bp.add_app_template_global(statement_discussion, "statement_discussion")
