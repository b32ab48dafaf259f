"""Forms for comments and amendments. Every POST, even a single button, goes through one (CSRF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount
from wtforms import Field, HiddenField, TextAreaField
from wtforms.validators import Length, ValidationError

from campaigns.forms import Required, strip, submit
from campaigns.statements.amendments import RATIONALE_MAX, REASON_MAX
from campaigns.statements.discussion import COMMENT_MAX
from campaigns.statements.forms import StatementForm, asks_from
from campaigns.statements.merging import StatementText

#: The longest number a hidden field may carry: a revision id or a paragraph index.
_NUMBER_DIGITS = 9


def _whole_number(form: FlaskForm, field: Field) -> None:
    if field.data and not (field.data.isdigit() and len(field.data) <= _NUMBER_DIGITS):
        raise ValidationError("The form was changed in a way we cannot use. Reload the page and try again.")


def comment_field(label: str, description: str | None = None) -> TextAreaField:
    return TextAreaField(
        label,
        description=description,
        filters=[strip],
        validators=[
            Required("Enter your comment"),
            Length(max=COMMENT_MAX, message=f"Your comment must be {COMMENT_MAX:,} characters or fewer"),
        ],
        widget=GovCharacterCount(),
    )


class CommentForm(FlaskForm):
    body = comment_field("Your comment", "Everyone in the organisations working on this statement can read it.")
    #: The revision the person was reading, by number, and the paragraph (from 0) they comment on, if any.
    revision = HiddenField(validators=[_whole_number])
    paragraph = HiddenField(validators=[_whole_number])
    submit = submit("Add comment")


class ReplyForm(FlaskForm):
    body = comment_field("Your reply")
    submit = submit("Reply")


class ButtonForm(FlaskForm):
    """A button and its CSRF token: resolve, reopen, accept, withdraw."""

    submit = submit("Confirm")


class AmendmentTextForm(FlaskForm):
    """The whole text of the statement, as an amendment proposes it or as an editor reconciles it."""

    title = StatementForm.title
    summary = StatementForm.summary
    body = StatementForm.body
    asks = StatementForm.asks
    #: The revision this text was written from.
    based_on = HiddenField(validators=[_whole_number])
    validate_asks = StatementForm.validate_asks

    def to_text(self) -> StatementText:
        return StatementText(self.title.data, self.summary.data, self.body.data, asks_from(self.asks.data))

    def fill_text(self, text: StatementText) -> None:
        self.title.data = text.title
        self.summary.data = text.summary
        self.body.data = text.body
        self.asks.data = "\n".join(text.asks)


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
