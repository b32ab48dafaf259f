"""One world for the tour of every template: statements at every stage, people in every role, and what they made.

Built once per database through the same builders and services the other tests use, then visited by every role.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from campaigns.accounts.models import User
from campaigns.database import clock_at, utcnow
from campaigns.extensions import db
from campaigns.mailings import services as mailing_services
from campaigns.mailings.emails import unsubscribe_token
from campaigns.mailings.models import Mailing
from campaigns.mailings.services import UpdateDraft
from campaigns.organisations import merging
from campaigns.organisations.emails import invitation_token
from campaigns.organisations.models import Invitation, Membership, Organisation, Role
from campaigns.signatures import services as signature_services
from campaigns.signatures.emails import signature_token
from campaigns.signatures.models import Signature, SignatureSettings
from campaigns.statements import amendments, discussion, participation, signoff
from campaigns.statements.merging import StatementText
from campaigns.statements.models import Amendment, Comment, Participant, ParticipantRole, Statement
from campaigns.submissions.models import Submission, Target
from tests.factories import make_invitation, make_organisation, make_user
from tests.mailings.builders import Signatories, signatories, update
from tests.signatures.builders import sign, signing_organisation
from tests.signatures.test_services import new_agreed_revision
from tests.statements.builders import TEXT, Partnership, join, publish, start_statement
from tests.statements.helpers import edit, replace_paragraph
from tests.submissions.builders import AGREED_AT, make_target, private_reply_with_a_file
from tests.submissions.builders import send as record_submission
from tests.support.client import Client

#: The roles of the tour, by the name each visit uses.
ROLES = (
    "anonymous",  # nobody signed in
    "outsider",  # the admin of an organisation that takes no part
    "member",  # a plain member of the lead council
    "reviewer",  # a member of the reviewing organisation
    "coauthor",  # an editor of the co-authoring charity
    "coauthor_admin",  # the co-author's admin
    "signatory",  # the co-author's signatory
    "lead",  # the lead council's editor (and its admin)
    "admin",  # a platform admin
    "newcomer",  # an account with no organisation yet
)


def _text(title: str) -> StatementText:
    return dataclasses.replace(TEXT, title=title)


@dataclass
class World:
    """What the visits read and change, and a browser signed in as each role."""

    p: Partnership  # the statement open for signatures, and its people
    s: Signatories  # its signatories: wanting updates, not, withdrawn, hidden, pending
    newcomer: User
    invited_admin: User  # the admin of an organisation invited to the draft, not yet answering
    invited: Participant
    clients: dict[str, Client]
    draft: Statement  # being drafted, with comments and amendments
    comment: Comment
    amendment: Amendment  # open, and applies cleanly
    conflicting: Amendment  # open, but the text has changed where it changes it
    proposed: Statement  # waiting for the co-author's agreement
    closed: Statement
    embargoed: Statement  # open, but launched only next month
    sent: Mailing  # sent and published
    draft_update: Mailing
    awaiting_update: Mailing  # waiting for the co-author's approval
    submission: Submission
    private_submission_id: int  # with a private reply, and a file attached to it
    attachment_id: int
    target: Target
    unverified: Organisation
    unverified_admin: User
    duplicate: Organisation  # likely the same as the co-author: a platform admin may merge it
    invitation: Invitation  # to join the lead council, open
    expired_invitation: Invitation
    pending: Signature  # signed, not yet confirmed
    reconfirming: Signature  # confirmed, asked to confirm the newer text

    @property
    def slug(self) -> str:
        return self.p.statement.slug

    def client(self, role: str) -> Client:
        return self.clients[role]

    def link(self, signature: Signature, action: str) -> str:
        return f"/s/{signature.statement.slug}/{action}/{signature_token(signature, action)}"

    def invitation_link(self, invitation: Invitation) -> str:
        return f"/invitations/{invitation_token(invitation)}"

    def unsubscribe_link(self, email: str) -> str:
        return f"/updates/unsubscribe/{unsubscribe_token(self.sent, email)}"


def _another(p: Partnership, title: str, *, reviewer: bool = False) -> Partnership:
    """Another statement of the same lead council, co-authored by the same charity."""
    statement = start_statement(p.council_editor, p.council, _text(title))
    join(statement, p.charity, ParticipantRole.CO_AUTHOR, by=p.council_editor, admin=p.charity_admin)
    if reviewer:
        reviewer_admin = db.session.scalar(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organisation_id == p.reviewer.id, Membership.role == Role.ADMIN)
        )
        join(statement, p.reviewer, ParticipantRole.REVIEWER, by=p.council_editor, admin=reviewer_admin)
    return dataclasses.replace(p, statement=statement)


def _drafting(w: dict[str, Any], p: Partnership) -> None:
    statement = _another(p, "Councils and charities as partners", reviewer=True).statement
    w["comment"] = discussion.add_comment(statement, "Should we name the minister?", actor=p.charity_editor)
    discussion.reply(statement, w["comment"], "Yes, in the second paragraph.", actor=p.council_editor)
    first = statement.current_revision
    body = replace_paragraph(first.body, 2, "We ask for a fair and lasting settlement.")
    w["amendment"] = amendments.propose(
        statement, dataclasses.replace(TEXT, body=body), "Clearer.", based_on=first, actor=p.charity_editor
    )
    db.session.commit()
    # Written from the first text while the lead changed the same paragraph: accepting it needs reconciling.
    edit(statement, p.council_editor, body=replace_paragraph(first.body, 0, "Councils now spend more on care."))
    body = replace_paragraph(first.body, 0, "Funding for councils has fallen by a third.")
    w["conflicting"] = amendments.propose(
        statement, dataclasses.replace(TEXT, body=body), "Say how much.", based_on=first, actor=p.charity_editor
    )
    invited_admin = make_user(name="Ivy Invited")
    invited = make_organisation("Eastwick Food Bank", admin=invited_admin)
    w["invited"] = participation.invite(statement, invited, ParticipantRole.CO_AUTHOR, actor=p.council_editor)
    db.session.commit()
    w["draft"], w["invited_admin"] = statement, invited_admin


def _stages(w: dict[str, Any], p: Partnership) -> None:
    proposed = _another(p, "Stop sanctions pushing families into crisis")
    signoff.propose(proposed.statement, actor=p.council_editor)
    db.session.commit()
    closed = _another(p, "Protect the Household Support Fund")
    publish(closed)
    signoff.close(closed.statement, actor=p.council_editor)
    embargoed = _another(p, "Employment support that works")
    publish(embargoed)
    db.session.get(SignatureSettings, embargoed.statement.id).launch_at = utcnow() + timedelta(days=30)
    db.session.commit()
    w["proposed"], w["closed"], w["embargoed"] = proposed.statement, closed.statement, embargoed.statement


def _updates(w: dict[str, Any], p: Partnership) -> None:
    sent = update(p)
    mailing_services.send(sent, actor=p.council_editor)
    mailing_services.publish(sent, actor=p.council_editor)
    w["sent"] = sent
    w["draft_update"] = mailing_services.compose(
        p.statement, UpdateDraft("Next steps", "We meet the minister soon."), actor=p.council_editor
    )
    awaiting = mailing_services.compose(
        p.statement, UpdateDraft("A reply came", "The Treasury replied."), actor=p.council_editor
    )
    mailing_services.request_approval(awaiting, actor=p.council_editor)
    w["awaiting_update"] = awaiting
    db.session.commit()


def _organisations(w: dict[str, Any], p: Partnership, admin: User) -> None:
    w["unverified_admin"] = make_user()
    w["unverified"] = make_organisation("Calderbridge CVS", verified=False, admin=w["unverified_admin"])
    kept = make_organisation("Dales Credit Union", admin=make_user())
    merging.merge(make_organisation("Dales Credit Union Ltd"), kept, actor=admin)
    w["duplicate"] = make_organisation("Northshire Food Bank CIO")
    w["invitation"] = make_invitation(p.council, "new.colleague@example.org", invited_by=p.council_editor)
    w["expired_invitation"] = make_invitation(p.council, invited_by=p.council_editor, expires_in=timedelta(days=-1))
    db.session.commit()


def build(app: Flask) -> World:
    w: dict[str, Any] = {}
    with clock_at(AGREED_AT):  # agreed and signed before the date the submission below was sent
        s = signatories(2)
    p = s.p
    [w["submission"]] = record_submission(p)
    w["private_submission_id"], w["attachment_id"] = private_reply_with_a_file(p.statement)
    w["target"] = make_target("Department for Work and Pensions")
    _updates(w, p)
    reconfirming_organisation, reconfirming_signer = signing_organisation("Wexdale Rural Community Council")
    reconfirming = sign(p.statement, reconfirming_organisation, reconfirming_signer)
    signature_services.confirm(signature_token(reconfirming, "confirm"), p.statement)
    db.session.commit()
    new_agreed_revision(p)  # asks every confirmed signatory to confirm the newer text
    w["pending"] = sign(p.statement, make_organisation("Riverside Trust"), signer_email="riverside@example.org")
    _drafting(w, p)
    _stages(w, p)
    admin = make_user(name="Pat Platform", platform_admin=True)
    _organisations(w, p, admin)
    outsider = make_user(name="Olu Outsider")
    make_organisation("Unrelated Trust", admin=outsider)
    newcomer = make_user(name="Nell Newcomer")
    people = {
        "outsider": outsider,
        "member": p.council_member,
        "reviewer": p.reviewer_member,
        "coauthor": p.charity_editor,
        "coauthor_admin": p.charity_admin,
        "signatory": p.charity_signatory,
        "lead": p.council_editor,
        "admin": admin,
        "newcomer": newcomer,
    }
    clients = {"anonymous": app.test_client()}
    for role, person in people.items():
        clients[role] = app.test_client()
        clients[role].login(person)
    return World(
        p=p,
        s=s,
        newcomer=newcomer,
        clients=clients,  # type: ignore[arg-type]
        reconfirming=reconfirming,
        **w,
    )
