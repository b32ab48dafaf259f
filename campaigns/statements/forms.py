"""Forms for statements: drafting, participants, sign-off."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovRadioInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from campaigns.forms import Required, WholeNumber, choices, single_line, strip, submit
from campaigns.statements.merging import StatementText
from campaigns.statements.models import TOPIC_LABELS, Topic
from campaigns.statements.services import Draft

TITLE_MAX = 200
SUMMARY_MAX = 600
BODY_MAX = 50_000
ASK_MAX = 300
ASKS_MAX = 20
NOTE_MAX = 300


_LIST_MARKER = re.compile(r"^(?:[-*•]|\d+[.)])\s+")


def asks_from(raw: str | None) -> tuple[str, ...]:
    """One ask per line, in order; blank lines and the list markers people type out of habit are dropped."""
    asks = (_LIST_MARKER.sub("", " ".join(line.split())) for line in (raw or "").splitlines())
    return tuple(ask for ask in asks if ask)


class StatementTextForm(FlaskForm):
    """The four parts of a statement's text, shared by the edit form and the amendment forms."""

    title = StringField(
        "Title",
        filters=[single_line],
        validators=[
            Required("Enter a title"),
            Length(max=TITLE_MAX, message=f"Title must be {TITLE_MAX} characters or fewer"),
        ],
        widget=GovTextInput(),
    )
    summary = TextAreaField(
        "Summary",
        description="Two or three sentences: what you are asking for, and why. It appears in lists and emails.",
        filters=[strip],
        validators=[
            Required("Enter a summary"),
            Length(max=SUMMARY_MAX, message=f"Summary must be {SUMMARY_MAX} characters or fewer"),
        ],
        widget=GovCharacterCount(),
    )
    body = TextAreaField(
        "The statement",
        description="Leave a blank line between paragraphs. You can use Markdown: ## for a heading, "
        "* for a bulleted list, **bold**, and [link text](https://example.org) for a link.",
        filters=[strip],
        validators=[
            Required("Enter the text of the statement"),
            Length(max=BODY_MAX, message=f"The statement must be {BODY_MAX:,} characters or fewer"),
        ],
        widget=GovTextArea(),
    )
    asks = TextAreaField(
        "Asks",
        description=f"What you ask government to do: one short sentence per line, in order of priority, "
        f"up to {ASKS_MAX}.",
        widget=GovTextArea(),
    )

    def validate_asks(self, field: TextAreaField) -> None:
        asks = asks_from(field.data)
        if not asks:
            raise ValidationError("Enter at least one ask")
        if len(asks) > ASKS_MAX:
            raise ValidationError(f"Enter {ASKS_MAX} asks or fewer")
        if any(len(ask) > ASK_MAX for ask in asks):
            raise ValidationError(f"Each ask must be {ASK_MAX} characters or fewer")

    def to_text(self) -> StatementText:
        return StatementText(self.title.data, self.summary.data, self.body.data, asks_from(self.asks.data))

    def fill_text(self, text: StatementText) -> None:
        self.title.data = text.title
        self.summary.data = text.summary
        self.body.data = text.body
        self.asks.data = "\n".join(text.asks)


class StatementForm(StatementTextForm):
    topics = SelectMultipleField(
        "Topics",
        description="Select all that apply.",
        choices=choices((topic.value, label) for topic, label in TOPIC_LABELS.items()),
        validators=[Required("Select at least one topic")],
        widget=GovCheckboxesInput(),
        validate_choice=False,
    )
    change_note = StringField(
        "What did you change? (optional)",
        description="A short note for your co-authors, shown in the history.",
        filters=[single_line],
        validators=[Optional(), Length(max=NOTE_MAX, message=f"The note must be {NOTE_MAX} characters or fewer")],
        widget=GovTextInput(),
    )
    #: The revision this edit started from; saving merges with anything saved since.
    based_on = HiddenField(validators=[WholeNumber()])
    submit = submit("Save")

    def validate_topics(self, field: SelectMultipleField) -> None:
        if not set(field.data or []) <= {topic.value for topic in Topic}:
            raise ValidationError("Select topics from the list")

    def to_draft(self) -> Draft:
        return Draft(
            text=self.to_text(),
            topics=frozenset(Topic(value) for value in self.topics.data),
            change_note=self.change_note.data or "",
        )

    def fill(self, text: StatementText, topics: list[Topic], based_on: int) -> None:
        self.fill_text(text)
        self.topics.data = [topic.value for topic in topics]
        self.based_on.data = str(based_on)


class NewStatementForm(StatementForm):
    organisation = RadioField(
        "Which organisation leads this statement?", coerce=int, widget=GovRadioInput(), validate_choice=True
    )
    submit = submit("Start the statement")


class InviteParticipantForm(FlaskForm):
    organisation_id = HiddenField(validators=[Required("Choose an organisation")])
    role = RadioField(
        "Invite as",
        choices=choices([("co_author", "Co-author"), ("reviewer", "Reviewer")]),
        validators=[Required("Choose co-author or reviewer")],
        widget=GovRadioInput(),
        validate_choice=True,
    )
    submit = submit("Invite")


class RespondForm(FlaskForm):
    answer = RadioField(
        "Will your organisation take part?",
        choices=choices([("accept", "Yes, take part"), ("decline", "No, decline")]),
        validators=[Required("Choose whether to take part")],
        widget=GovRadioInput(),
        validate_choice=True,
    )
    reason = TextAreaField(
        "Reason (optional)",
        description="Only the other organisations working on this statement see it. It is never published.",
        filters=[strip],
        validators=[Optional(), Length(max=1000, message="The reason must be 1,000 characters or fewer")],
        widget=GovCharacterCount(),
    )
    submit = submit("Send answer")


class StepDownForm(FlaskForm):
    reason = RespondForm.reason
    submit = submit("Step down")


class DecisionForm(FlaskForm):
    decision = RadioField(
        "Does your organisation agree this revision?",
        choices=choices([("approved", "Yes, we agree this text"), ("changes_requested", "No, we ask for changes")]),
        validators=[Required("Choose whether you agree")],
        widget=GovRadioInput(),
        validate_choice=True,
    )
    comment = TextAreaField(
        "Comment",
        description="Required if you ask for changes: say what needs to change.",
        filters=[strip],
        validators=[Optional(), Length(max=2000, message="The comment must be 2,000 characters or fewer")],
        widget=GovCharacterCount(),
    )
    #: The revision the signatory read; if it changed since, their answer would be about another text.
    revision = HiddenField()
    submit = submit("Send our answer")

    def validate_comment(self, field: TextAreaField) -> None:
        if self.decision.data == "changes_requested" and not field.data:
            raise ValidationError("Say what needs to change")
