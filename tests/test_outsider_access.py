"""Every route that names an object checks the actor's right to it: an outsider is always refused.

The table lists every such route; a route added without a row here fails the last test.
"""

import pytest
import sqlalchemy as sa

from campaigns.api import services as api_services
from campaigns.api.models import ApiToken, Scope
from campaigns.consultations.models import Consultation, Question
from campaigns.extensions import db
from campaigns.jobs.models import Job
from campaigns.jobs.services import queue_job
from campaigns.mailings import services as mailing_services
from campaigns.mailings.models import Mailing, MailingSettings
from campaigns.mailings.services import UpdateDraft
from campaigns.organisations.emails import invitation_token
from campaigns.organisations.models import Invitation, Membership, Organisation, Role
from campaigns.outbox.models import OutboxMessage
from campaigns.privacy.models import DataExport
from campaigns.signatures.models import Signature, SignatureSettings
from campaigns.statements import amendments, discussion, participation
from campaigns.statements.merging import StatementText
from campaigns.statements.models import Amendment, Comment, Participant, ParticipantRole, Statement
from campaigns.submissions.models import Submission, Target
from tests.consultations.builders import make_consultation
from tests.factories import add_member, make_invitation, make_organisation, make_user
from tests.statements.builders import start_statement
from tests.submissions.builders import make_target

# (method, URL template, status for a signed-in outsider)
PROTECTED = [
    ("GET", "/organisations/{slug}/edit", 403),
    ("GET", "/organisations/{slug}/edit/kind", 403),
    ("POST", "/organisations/{slug}/edit", 403),
    ("GET", "/organisations/{slug}/members", 403),
    ("GET", "/organisations/{slug}/members/invite", 403),
    ("POST", "/organisations/{slug}/members/invite", 403),
    ("GET", "/organisations/{slug}/members/{membership_id}", 403),
    ("POST", "/organisations/{slug}/members/{membership_id}", 403),
    ("GET", "/organisations/{slug}/members/{membership_id}/remove", 403),
    ("POST", "/organisations/{slug}/members/{membership_id}/remove", 403),
    ("POST", "/organisations/{slug}/invitations/{invitation_id}/resend", 403),
    ("POST", "/organisations/{slug}/invitations/{invitation_id}/revoke", 403),
    ("GET", "/organisations/{slug}/activity", 403),
    ("GET", "/organisations/{slug}/api-tokens", 403),
    ("POST", "/organisations/{slug}/api-tokens", 403),
    ("POST", "/organisations/{slug}/api-tokens/{issued_id}/revoke", 403),
    ("POST", "/organisations/{slug}/verify", 403),
    ("GET", "/organisations/{slug}/webhooks", 403),
    ("GET", "/organisations/{slug}/webhooks/new", 403),
    ("POST", "/organisations/{slug}/webhooks/new", 403),
    ("GET", "/organisations/{slug}/webhooks/{endpoint_id}", 403),
    ("POST", "/organisations/{slug}/webhooks/{endpoint_id}/enabled", 403),
    ("POST", "/organisations/{slug}/webhooks/{endpoint_id}/remove", 403),
    ("POST", "/organisations/{slug}/webhooks/{endpoint_id}/rotate-secret", 403),
    ("POST", "/organisations/{slug}/webhooks/{endpoint_id}/deliveries/{delivery_id}/send-again", 403),
    ("GET", "/organisations/{slug}/withdraw-verification", 403),
    ("POST", "/organisations/{slug}/withdraw-verification", 403),
    ("GET", "/admin/organisations/{slug}/merge", 403),
    ("POST", "/admin/organisations/{slug}/merge", 403),
    ("POST", "/invitations/{token}/accept", 403),
    # A statement's draft and everything about it: not found, so its existence is not given away.
    ("GET", "/statements/{statement}", 404),
    ("GET", "/statements/{statement}/edit", 404),
    ("POST", "/statements/{statement}/edit", 404),
    ("GET", "/statements/{statement}/history", 404),
    ("GET", "/statements/{statement}/compare", 404),
    ("GET", "/statements/{statement}/activity", 404),
    ("GET", "/statements/{statement}/revisions/{number}", 404),
    ("POST", "/statements/{statement}/revisions/{number}/restore", 404),
    ("GET", "/statements/{statement}/participants", 404),
    ("POST", "/statements/{statement}/participants", 404),
    ("POST", "/statements/{statement}/participants/{participant_id}/withdraw", 404),
    ("GET", "/statements/{statement}/invitation", 404),
    ("POST", "/statements/{statement}/invitation", 404),
    ("GET", "/statements/{statement}/step-down", 404),
    ("POST", "/statements/{statement}/step-down", 404),
    ("POST", "/statements/{statement}/propose", 404),
    ("GET", "/statements/{statement}/decide", 404),
    ("POST", "/statements/{statement}/decide", 404),
    ("POST", "/statements/{statement}/open", 404),
    ("POST", "/statements/{statement}/close", 404),
    ("GET", "/statements/{statement}/amendments", 404),
    ("GET", "/statements/{statement}/amendments/new", 404),
    ("POST", "/statements/{statement}/amendments/new", 404),
    ("GET", "/statements/{statement}/amendments/{number}", 404),
    ("POST", "/statements/{statement}/amendments/{number}/accept", 404),
    ("GET", "/statements/{statement}/amendments/{number}/resolve", 404),
    ("POST", "/statements/{statement}/amendments/{number}/resolve", 404),
    ("POST", "/statements/{statement}/amendments/{number}/reject", 404),
    ("POST", "/statements/{statement}/amendments/{number}/withdraw", 404),
    ("GET", "/statements/{statement}/comments/new", 404),
    ("POST", "/statements/{statement}/comments/new", 404),
    ("GET", "/statements/{statement}/comments/{comment_id}", 404),
    ("POST", "/statements/{statement}/comments/{comment_id}/replies", 404),
    ("POST", "/statements/{statement}/comments/{comment_id}/resolve", 404),
    ("POST", "/statements/{statement}/comments/{comment_id}/reopen", 404),
    ("GET", "/s/{statement}", 404),
    ("GET", "/s/{statement}/r/{number}", 404),
    # Signing a statement that is not published: there is nothing there to sign.
    ("GET", "/s/{statement}/sign", 404),
    ("POST", "/s/{statement}/sign", 404),
    ("GET", "/s/{statement}/sign/sent", 404),
    ("GET", "/s/{statement}/confirm/{token}", 404),
    ("POST", "/s/{statement}/confirm/{token}", 404),
    ("GET", "/s/{statement}/confirmed", 404),
    ("GET", "/s/{statement}/reconfirm/{token}", 404),
    ("POST", "/s/{statement}/reconfirm/{token}", 404),
    ("GET", "/s/{statement}/withdraw/{token}", 404),
    ("POST", "/s/{statement}/withdraw/{token}", 404),
    ("GET", "/s/{statement}/contacts/{token}", 404),
    ("POST", "/s/{statement}/contacts/{token}", 404),
    ("GET", "/s/{statement}/withdraw", 404),
    ("POST", "/s/{statement}/withdraw", 404),
    ("GET", "/s/{statement}/withdrawn", 404),
    ("GET", "/s/{statement}/signatories", 404),
    # Submissions of a statement: like its draft, not found for anyone who takes no part.
    ("GET", "/statements/{statement}/submissions", 404),
    ("GET", "/statements/{statement}/submissions/new", 404),
    ("POST", "/statements/{statement}/submissions/new", 404),
    ("GET", "/statements/{statement}/targets/new", 404),
    ("POST", "/statements/{statement}/targets/new", 404),
    ("GET", "/statements/{statement}/submissions/{submission_id}", 404),
    ("POST", "/statements/{statement}/submissions/{submission_id}/dates", 404),
    ("POST", "/statements/{statement}/submissions/{submission_id}/sent", 404),
    ("POST", "/statements/{statement}/submissions/{submission_id}/close", 404),
    ("GET", "/statements/{statement}/submissions/{submission_id}/responses/new", 404),
    ("POST", "/statements/{statement}/submissions/{submission_id}/responses/new", 404),
    ("POST", "/statements/{statement}/submissions/{submission_id}/attachments", 404),
    ("GET", "/statements/{statement}/submissions/{submission_id}/attachments/{attachment_id}", 404),
    ("GET", "/statements/{statement}/submissions/{submission_id}/pack", 404),
    ("GET", "/statements/{statement}/submissions/{submission_id}/pack.pdf", 404),
    # An organisation's submissions dashboard: its members only. The directory of targets: platform admins.
    ("GET", "/organisations/{slug}/submissions", 403),
    ("GET", "/targets/{target}/edit", 403),
    ("POST", "/targets/{target}/edit", 403),
    ("POST", "/targets/{target}/retire", 403),
    # Email updates: the co-authors' editors, signatories and admins only.
    ("GET", "/statements/{statement}/updates", 404),
    ("POST", "/statements/{statement}/updates/settings", 404),
    ("GET", "/statements/{statement}/updates/new", 404),
    ("POST", "/statements/{statement}/updates/new", 404),
    ("GET", "/statements/{statement}/updates/{update_id}", 404),
    ("GET", "/statements/{statement}/updates/{update_id}/edit", 404),
    ("POST", "/statements/{statement}/updates/{update_id}/edit", 404),
    ("GET", "/statements/{statement}/updates/{update_id}/email", 404),
    ("POST", "/statements/{statement}/updates/{update_id}/test", 404),
    ("POST", "/statements/{statement}/updates/{update_id}/request-approval", 404),
    ("POST", "/statements/{statement}/updates/{update_id}/approve", 404),
    ("POST", "/statements/{statement}/updates/{update_id}/send-back", 404),
    ("GET", "/statements/{statement}/updates/{update_id}/recipients", 404),
    ("POST", "/statements/{statement}/updates/{update_id}/send", 404),
    ("POST", "/statements/{statement}/updates/{update_id}/cancel", 404),
    ("POST", "/statements/{statement}/updates/{update_id}/publish", 404),
    ("GET", "/statements/{statement}/updates/{update_id}/progress", 404),
    ("GET", "/statements/{statement}/updates/{update_id}/progress.json", 404),
    ("GET", "/s/{statement}/updates", 404),
    ("GET", "/s/{statement}/updates/{update_id}", 404),
    ("GET", "/s/{statement}/updates.atom", 404),
    ("GET", "/s/{statement}/replies.atom", 404),
    # Public lists, exports and sharing of a statement that is not published.
    ("GET", "/s/{statement}/signatories.csv", 404),
    ("GET", "/s/{statement}/badge.svg", 404),
    ("GET", "/s/{statement}/embed", 404),
    # Owner tools: the statement's owners only.
    ("GET", "/statements/{statement}/signatures.csv", 404),
    ("GET", "/statements/{statement}/signatures", 404),
    ("GET", "/statements/{statement}/signatures/{signature_id}/hide", 404),
    ("POST", "/statements/{statement}/signatures/{signature_id}/hide", 404),
    ("GET", "/statements/{statement}/signatures/settings", 404),
    ("POST", "/statements/{statement}/signatures/settings", 404),
    ("POST", "/statements/{statement}/signatures/settings/private-link", 404),
    # A consultation's details and questions: the adding organisation's editors and platform admins only.
    ("GET", "/consultations/{consultation}/edit", 403),
    ("POST", "/consultations/{consultation}/edit", 403),
    ("GET", "/consultations/{consultation}/questions", 403),
    ("POST", "/consultations/{consultation}/questions", 403),
    # A response's answers: the statement's organisations only.
    ("GET", "/statements/{statement}/answers", 404),
    ("GET", "/statements/{statement}/answers/send", 404),
    ("POST", "/statements/{statement}/answers/send", 404),
    ("GET", "/statements/{statement}/answers/response.docx", 404),
    ("GET", "/statements/{statement}/answers/outcome", 404),
    ("POST", "/statements/{statement}/answers/outcome", 404),
    ("POST", "/statements/{statement}/answers/outcome/update", 404),
    ("GET", "/statements/{statement}/answers/{question}", 404),
    ("POST", "/statements/{statement}/answers/{question}", 404),
    ("POST", "/statements/{statement}/answers/{question}/not-answering", 404),
    # A copy of a person's data: theirs only.
    ("POST", "/account/data/{export_id}/download", 404),
    # A very large list, prepared by the worker: for the owner who asked, while they may edit the statement.
    ("GET", "/statements/{statement}/signatures/export", 404),
    ("POST", "/statements/{statement}/signatures/export", 404),
    ("GET", "/statements/{statement}/exports/{job_id}", 404),
    ("GET", "/statements/{statement}/exports/{job_id}/file", 404),
]

#: How each placeholder above is written in the app's URL rules.
RULE_ARGUMENTS = {
    "{slug}": "<slug>",
    "{statement}": "<slug>",
    "{token}": "<token>",
    "{membership_id}": "<id:membership_id>",
    "{invitation_id}": "<id:invitation_id>",
    "{participant_id}": "<id:participant_id>",
    "{number}": "<id:number>",
    "{comment_id}": "<id:comment_id>",
    "{signature_id}": "<id:signature_id>",
    "{submission_id}": "<id:submission_id>",
    "{attachment_id}": "<id:attachment_id>",
    "{target}": "<slug>",
    "{update_id}": "<id:update_id>",
    "{issued_id}": "<id:issued_id>",
    "{consultation}": "<slug>",
    "{endpoint_id}": "<id:endpoint_id>",
    "{delivery_id}": "<id:delivery_id>",
    "{question}": "<question>",
    "{export_id}": "<id:export_id>",
    "{job_id}": "<id:job_id>",
}

#: Routes that name an object but are public by design, or protected by a secret token in the URL.
PUBLIC_OR_TOKEN = {
    "/organisations/<slug>",
    "/invitations/<token>",
    "/invitations/<token>/decline",
    "/invitations/<token>/register",
    "/account/confirm/<token>",
    "/account/password/reset/<token>",
    "/account/email/confirm/<token>",
    "/static/<path:filename>",
    "/targets/<slug>",
    "/targets/<slug>/replies.atom",
    "/organisations/<slug>/submissions/<key>.ics",
    "/updates/unsubscribe/<token>",
    "/updates/unsubscribe/<token>/all",
    # A submission's list, by its SHA-256 digest: public by design, so that anyone can check a printed pack.
    "/verify/<digest>",
    "/verify/<digest>.txt",
    "/consultations/<slug>",
    # The public read API: what the public pages show, to anyone (tests/api/ checks that it shows nothing more).
    "/api/v1/statements/<slug>",
    "/api/v1/statements/<slug>/revisions/<int(min=1, max=2147483647):number>",
    "/api/v1/statements/<slug>/signatories",
    "/api/v1/statements/<slug>/counts",
    "/api/v1/statements/<slug>/submissions",
    "/api/v1/targets/<slug>",
    "/api/v1/organisations/<slug>",
    # Read only with the API token of an organisation that writes the statement (tests/api/test_tokens.py).
    "/api/v1/private/statements/<slug>/contacts",
    # Any organisation's editors may start a response to a consultation: it is theirs.
    "/consultations/<slug>/respond",
    # A copy of a person's data, by the single-use link emailed to them.
    "/data/<token>",
}


@pytest.fixture
def target(app):
    admin = make_user()
    organisation = make_organisation("Target Trust", admin=admin)
    member = add_member(organisation, role=Role.MEMBER)
    invitation = make_invitation(organisation, "invited@example.org")
    statement = start_statement(admin, organisation)
    invited = participation.invite(statement, make_organisation(), ParticipantRole.CO_AUTHOR, actor=admin)
    comment = discussion.add_comment(statement, "A comment.", actor=admin)
    changed = StatementText("Another title", "A summary.", "A body.", ("An ask",))
    amendments.propose(statement, changed, "A reason.", based_on=statement.current_revision, actor=admin)
    signature = Signature(
        statement_id=statement.id,
        organisation_id=organisation.id,
        revision_id=statement.current_revision_id,
        signer_name="Someone",
        signer_role="Chair",
        signer_email="someone@example.org",
        consent_text="Ticked",
    )
    db.session.add(signature)
    mailing = mailing_services.compose(statement, UpdateDraft("News", "Some news."), actor=admin)
    export = DataExport(user_id=admin.id, email=admin.email)
    db.session.add(export)
    job = queue_job(
        "signatures_csv", actor=admin, subject_id=statement.id, total=1, filename="list.csv", viewer_id=organisation.id
    )
    db.session.commit()
    target = make_target("Outsider Test Department")
    consultation = make_consultation(admin, organisation, "Outsider test consultation")
    api_token, _secret = api_services.create_token(organisation, actor=admin, name="CRM", scopes=[Scope.CONTACTS])
    db.session.commit()
    return {
        "target": target.slug,
        "submission_id": 1,
        "attachment_id": 1,
        "statement": statement.slug,
        "number": 1,
        "participant_id": invited.id,
        "comment_id": comment.id,
        "signature_id": signature.id,
        "slug": organisation.slug,
        "membership_id": member.id,
        "invitation_id": invitation.id,
        "token": invitation_token(invitation),
        "organisation_id": organisation.id,
        "update_id": mailing.id,
        "consultation": consultation.slug,
        "endpoint_id": 1,
        "delivery_id": 1,
        "issued_id": api_token.id,
        "question": "1",
        "export_id": export.id,
        "job_id": job.id,
    }


def _state():
    """Everything an outsider might try to change."""
    return (
        db.session.execute(
            sa.select(Organisation.id, Organisation.name, Organisation.verified_at, Organisation.version)
        ).all(),
        db.session.execute(sa.select(Membership.id, Membership.user_id, Membership.role).order_by(Membership.id)).all(),
        db.session.execute(sa.select(Invitation.id, Invitation.status, Invitation.expires_at)).all(),
        db.session.execute(sa.select(Statement.id, Statement.stage, Statement.current_revision_id)).all(),
        db.session.execute(sa.select(Participant.id, Participant.status)).all(),
        db.session.execute(sa.select(Comment.id, Comment.resolved_at).order_by(Comment.id)).all(),
        db.session.execute(sa.select(Amendment.id, Amendment.status).order_by(Amendment.id)).all(),
        db.session.execute(sa.select(Signature.id, Signature.status, Signature.hidden_reason)).all(),
        db.session.execute(
            sa.select(SignatureSettings.statement_id, SignatureSettings.version, SignatureSettings.private_key)
        ).all(),
        db.session.execute(sa.select(Target.id, Target.name, Target.retired_at).order_by(Target.id)).all(),
        db.session.execute(sa.select(Submission.id, Submission.status).order_by(Submission.id)).all(),
        db.session.execute(sa.select(Mailing.id, Mailing.status, Mailing.subject, Mailing.published_at)).all(),
        db.session.execute(sa.select(MailingSettings.statement_id, MailingSettings.approval_required)).all(),
        db.session.execute(sa.select(OutboxMessage.id, OutboxMessage.recipient)).all(),
        db.session.execute(sa.select(Consultation.id, Consultation.title, Consultation.closes_at)).all(),
        db.session.execute(sa.select(Question.id, Question.text).order_by(Question.id)).all(),
        db.session.execute(sa.select(ApiToken.id, ApiToken.revoked_at, ApiToken.name).order_by(ApiToken.id)).all(),
        db.session.execute(sa.select(DataExport.id, DataExport.status, DataExport.downloaded_at)).all(),
        db.session.execute(sa.select(Job.id, Job.status, Job.owner_id).order_by(Job.id)).all(),
    )


@pytest.mark.parametrize(("method", "template", "status"), PROTECTED)
def test_a_signed_in_outsider_is_refused_and_nothing_changes(client, target, method, template, status):
    outsider = make_user()
    make_organisation(admin=outsider)  # an admin elsewhere has no say here
    client.login(outsider)
    before = _state()
    url = template.format(**target)
    data = {
        "name": "Hijacked",
        "kind": "vcs",
        "subtype": "charity",
        "region": "london",
        "role": "admin",
        "email": "outsider@example.org",
        "reason": "because",
        "version": "1",
    }
    response = client.open(url, method=method, data=data if method == "POST" else None)
    assert response.status_code == status, url
    assert _state() == before


@pytest.mark.parametrize(("method", "template", "_status"), PROTECTED)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, target, method, template, _status):
    before = _state()
    response = client.open(template.format(**target), method=method, data={} if method == "POST" else None)
    if template.startswith("/s/"):
        assert response.status_code == 404  # a public address: a draft is simply not there
    else:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/sign-in")
    assert _state() == before


def test_an_admin_of_one_organisation_cannot_reach_another_organisations_members_through_their_own(client, target):
    admin = make_user()
    own = make_organisation(admin=admin)
    client.login(admin)
    before = _state()
    for url in (
        f"/organisations/{own.slug}/members/{target['membership_id']}",
        f"/organisations/{own.slug}/members/{target['membership_id']}/remove",
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, data={"role": "admin"}).status_code == 404
    for action in ("resend", "revoke"):
        assert (
            client.post(f"/organisations/{own.slug}/invitations/{target['invitation_id']}/{action}").status_code == 404
        )
    assert _state() == before


def _rule(template: str) -> str:
    for placeholder, argument in RULE_ARGUMENTS.items():
        template = template.replace(placeholder, argument)
    return template


def test_every_route_that_names_an_object_is_in_the_table(app):
    listed = {_rule(template) for _method, template, _status in PROTECTED}
    unlisted = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.arguments and rule.rule not in listed and rule.rule not in PUBLIC_OR_TOKEN
    ]
    assert unlisted == []
