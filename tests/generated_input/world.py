"""A small world for the generated-input test: every kind of object a route can name, and people in every role.

Real values for a route's path variables come from the world itself: slugs and ids from the database, and
tokens from the links in every email it queued (so a new emailed link is covered without a line here).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask
from werkzeug.exceptions import HTTPException

from campaigns.accounts import services as accounts
from campaigns.accounts.guard import Source
from campaigns.accounts.models import User
from campaigns.api import services as api_services
from campaigns.api.models import Scope
from campaigns.consultations import services as consultations
from campaigns.database import clock_at, utcnow
from campaigns.extensions import db
from campaigns.mailings import services as mailings
from campaigns.mailings.emails import unsubscribe_token
from campaigns.mailings.services import UpdateDraft
from campaigns.organisations.emails import invitation_token
from campaigns.organisations.models import Membership, Organisation, Role
from campaigns.outbox.models import OutboxMessage
from campaigns.privacy import exports
from campaigns.privacy import services as privacy
from campaigns.signatures.emails import signature_token
from campaigns.statements import amendments, discussion, participation
from campaigns.statements.merging import StatementText
from campaigns.statements.models import ParticipantRole
from campaigns.submissions.dashboard_views import calendar_key
from campaigns.submissions.models import Submission
from campaigns.webhooks import services as webhooks
from campaigns.webhooks.models import WebhookEvent
from campaigns.webhooks.services import EndpointDetails
from tests.consultations.builders import make_consultation
from tests.factories import PASSWORD, add_member, make_invitation, make_organisation, make_user
from tests.signatures.builders import confirmed, open_statement, sign, signing_organisation
from tests.statements.builders import join, start_statement
from tests.submissions.builders import AGREED_AT, make_target, private_reply_with_a_file, send

#: The roles every route is tried as, in the order they are tried.
ROLES = ("anonymous", "unrelated", "member", "reviewer", "co-author", "platform-admin")

DRAFT_TEXT = StatementText(
    title="Keep the household support fund",
    summary="A draft still being written.",
    body="The fund keeps families afloat.\n\nWe ask that it continues.",
    asks=("Continue the fund",),
)

#: Which table a path variable's id names, by the variable's name.
ID_COLUMNS = {
    "membership_id": "memberships.id",
    "invitation_id": "invitations.id",
    "participant_id": "statement_participants.id",
    "comment_id": "comments.id",
    "signature_id": "signatures.id",
    "submission_id": "submissions.id",
    "attachment_id": "submission_attachments.id",
    "update_id": "mailings.id",
    "endpoint_id": "webhook_endpoints.id",
    "delivery_id": "webhook_deliveries.id",
    "number": "revisions.number",
    "issued_id": "api_tokens.id",
    "export_id": "privacy_exports.id",
}

#: Which table a `<slug>` names, by the address's first segment.
SLUG_TABLES = {
    "organisations": "organisations",
    "admin": "organisations",
    "targets": "submission_targets",
    "consultations": "consultations",
}

_URL = re.compile(r"https?://[^\s\"'<>]+")


@dataclass
class World:
    #: Each role's email address (None: signed out).
    users: dict[str, str | None]
    #: Real values seen for (endpoint, variable), e.g. ("signatures.confirm", "token").
    seen: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    def real_values(self, rule_endpoint: str, rule: str, variable: str) -> list[str]:
        """Values of `variable` that name something real, for the route `rule`."""
        values = set(self.seen.get((rule_endpoint, variable), ()))
        if variable == "slug":
            segment = rule.strip("/").removeprefix("api/v1/").split("/")[0]
            values |= _column(f"{SLUG_TABLES.get(segment, 'statements')}.slug")
        elif variable in ID_COLUMNS:
            values |= _column(ID_COLUMNS[variable])
        if not values:  # a variable nobody has named yet: anything seen under that name, anywhere
            values = {value for (_endpoint, name), found in self.seen.items() if name == variable for value in found}
        return sorted(values)


def _column(qualified: str) -> set[str]:
    table, column = qualified.split(".")
    return {str(v) for v in db.session.scalars(sa.select(sa.column(column)).select_from(sa.table(table))).all()}


def _note_links(app: Flask, world: World, text: str) -> None:
    """Remember the path variables of every link to this site in `text`."""
    adapter = app.url_map.bind("localhost")
    for url in _URL.findall(text):
        path = "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/"
        try:
            endpoint, values = adapter.match(path.split("?")[0].split("#")[0], method="GET")
        except HTTPException:
            try:
                endpoint, values = adapter.match(path.split("?")[0].split("#")[0], method="POST")
            except HTTPException:
                continue
        for name, value in values.items():
            world.seen[(endpoint, name)].add(str(value))


def build(app: Flask) -> World:
    """Every object a route can name, committed; the people who act on them."""
    with clock_at(AGREED_AT):
        p = open_statement()
        riverside, riverside_signatory = signing_organisation()
        confirmed(p.statement, riverside, riverside_signatory, wants_updates=True)
    statement = p.statement
    pending = sign(statement, make_organisation("Pending Trust"), signer_email="pending@example.org")
    send(p, make_target("HM Treasury"))
    private_reply_with_a_file(statement)
    mailing = mailings.compose(statement, UpdateDraft("News", "Some news for ((name))."), actor=p.council_editor)

    reviewer_admin = db.session.scalar(
        sa.select(User)
        .join(Membership)
        .where(Membership.organisation_id == p.reviewer.id, Membership.role == Role.ADMIN)
    )
    draft = start_statement(p.council_editor, p.council, DRAFT_TEXT)
    join(draft, p.charity, ParticipantRole.CO_AUTHOR, by=p.council_editor, admin=p.charity_admin)
    join(draft, p.reviewer, ParticipantRole.REVIEWER, by=p.council_editor, admin=reviewer_admin)
    participation.invite(draft, make_organisation("Invited Trust"), ParticipantRole.CO_AUTHOR, actor=p.council_editor)
    discussion.add_comment(draft, "A comment on the draft.", actor=p.council_editor)
    changed = StatementText("Keep the fund", DRAFT_TEXT.summary, DRAFT_TEXT.body, DRAFT_TEXT.asks)
    amendments.propose(draft, changed, "Shorter.", based_on=draft.current_revision, actor=p.charity_editor)

    open_until = AGREED_AT + timedelta(days=400)
    consultation = make_consultation(p.council_editor, p.council, "A consultation to answer", closes_at=open_until)
    with clock_at(AGREED_AT):
        consultations.start_response(consultation, actor=p.council_editor, organisation=p.council, now=utcnow())
    api_services.create_token(p.charity, actor=p.charity_admin, name="CRM", scopes=[Scope.CONTACTS, Scope.SUBMISSIONS])
    invitation = make_invitation(p.council, "invitee@example.org", role=Role.EDITOR, invited_by=p.council_editor)
    outsider = make_user(name="Una Outsider")
    make_organisation("Unrelated Trust", admin=outsider)
    platform_admin = make_user(name="Pat Platform", platform_admin=True)
    add_member(p.council, make_user(name="Second Member"), Role.MEMBER)
    # Emailed links of every kind: account confirmation, password reset, email change, invitations.
    accounts.register("New Person", "new.person@example.org", PASSWORD)
    accounts.request_password_reset(p.council_member.email)
    accounts.request_email_change(reviewer_admin, PASSWORD, "rita.new@example.org", Source(ip="192.0.2.1"))
    # A webhook endpoint of the lead council, with a delivery queued on it.
    webhooks.register_endpoint(
        p.council, EndpointDetails("http://127.0.0.1:9/hook", frozenset(WebhookEvent)), actor=p.council_editor
    )
    webhooks.queue_event(WebhookEvent.STATEMENT_OPENED, statement, {})
    # Copies of a person's data: one asked for signed in, one by address (its emailed link noted below).
    privacy.request_data_export(actor=p.council_member)
    privacy.request_data_export_by_email("pat@riverside.example.org")
    db.session.commit()
    exports.deliver_due(worker="world")

    world = World(
        users={
            "anonymous": None,
            "unrelated": outsider.email,
            "member": p.council_member.email,
            "reviewer": reviewer_admin.email,
            "co-author": p.council_editor.email,
            "platform-admin": platform_admin.email,
        }
    )
    for text in db.session.scalars(sa.select(OutboxMessage.text_body)):
        _note_links(app, world, text)
    _remember_tokens(world, statement.slug, pending, invitation, mailing, riverside_signatory.email)
    for organisation in db.session.scalars(sa.select(Organisation)):
        world.seen[("submissions.calendar", "key")].add(calendar_key(organisation))
    for digest in db.session.scalars(sa.select(Submission.digest).where(Submission.digest.is_not(None))):
        world.seen[("submissions.verify", "digest")].add(digest)
        world.seen[("submissions.verify_text", "digest")].add(digest)
    world.seen[("static", "filename")] |= {"dist/app.css", "dist/app.js"}
    for endpoint in ("consultations.answer", "consultations.not_answering"):
        world.seen[(endpoint, "question")] |= {"1", "2"}
    return world


def _remember_tokens(world: World, slug: str, pending, invitation, mailing, signer_email: str) -> None:
    for action, endpoint in (
        ("confirm", "signatures.confirm"),
        ("withdraw", "signatures.withdraw_by_link"),
        ("reconfirm", "signatures.reconfirm"),
        ("contacts", "signatures.contacts_by_link"),
    ):
        world.seen[(endpoint, "token")].add(signature_token(pending, action))
    for endpoint in (
        "organisations.invitation",
        "organisations.accept_invitation",
        "organisations.decline_invitation",
        "organisations.register_from_invitation",
    ):
        world.seen[(endpoint, "token")].add(invitation_token(invitation))
    for endpoint in ("mailings.unsubscribe", "mailings.unsubscribe_all"):
        world.seen[(endpoint, "token")].add(unsubscribe_token(mailing, signer_email))
