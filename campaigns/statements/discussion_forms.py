"""Forms for comments and amendments. Every POST, even a single button, goes through one (CSRF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length

from campaigns.forms import Required, WholeNumber, strip, submit
from campaigns.statements.amendments import RATIONALE_MAX, REASON_MAX
from campaigns.statements.discussion import COMMENT_MAX
from campaigns.statements.forms import StatementTextForm


def comment_field(label: str, description: str | None = None, what: str = "comment") -> TextAreaField:
    return TextAreaField(
        label,
        description=description,
        filters=[strip],
        validators=[
            Required(f"Enter your {what}"),
            Length(max=COMMENT_MAX, message=f"Your {what} must be {COMMENT_MAX:,} characters or fewer"),
        ],
        widget=GovCharacterCount(),
    )


class CommentForm(FlaskForm):
    body = comment_field("Your comment", "Everyone in the organisations working on this statement can read it.")
    #: The revision the person was reading, by number, and the paragraph (from 0) they comment on, if any.
    revision = HiddenField(validators=[WholeNumber()])
    paragraph = HiddenField(validators=[WholeNumber()])
    submit = submit("Add comment")


class ReplyForm(FlaskForm):
    body = comment_field("Your reply", what="reply")
    submit = submit("Reply")


class AmendmentTextForm(StatementTextForm):
    """The whole text of the statement, as an amendment proposes it or as an editor reconciles it."""

    #: The revision this text was written from.
    based_on = HiddenField(validators=[WholeNumber()])


class AmendmentForm(AmendmentTextForm):
    rationale = TextAreaField(
        "Why make this change?",
        description="Your rationale is shown to the editors who decide on the amendment.",
        filters=[strip],
        validators=[
            Required("Explain why you propose this change"),
            Length(max=RATIONALE_MAX, message=f"The rationale must be {RATIONALE_MAX:,} characters or fewer"),
        ],
        widget=GovCharacterCount(),
    )
    submit = submit("Propose the amendment")


class ResolutionForm(AmendmentTextForm):
    submit = submit("Save and accept the amendment")


class RejectForm(FlaskForm):
    reason = TextAreaField(
        "Why are you rejecting it?",
        description="The proposer is emailed your reason, and everyone working on the statement can read it.",
        filters=[strip],
        validators=[
            Required("Say why you are rejecting this amendment"),
            Length(max=REASON_MAX, message=f"The reason must be {REASON_MAX:,} characters or fewer"),
        ],
        widget=GovCharacterCount(),
    )
    submit = submit("Reject the amendment")
