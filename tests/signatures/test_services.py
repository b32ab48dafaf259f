"""Signing, confirming, withdrawing, hiding and re-confirming, through the services, with the counts checked."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from campaigns.audit.models import AuditEvent
from campaigns.database import utcnow
from campaigns.errors import Conflict, InvalidLink, PermissionDenied
from campaigns.extensions import db
from campaigns.organisations import services as organisation_services
from campaigns.organisations.adding import add_while_signing
from campaigns.organisations.models import OrganisationKind, Role
from campaigns.outbox.models import OutboxMessage
from campaigns.signatures import services
from campaigns.signatures.counting import totals
from campaigns.signatures.emails import signature_token
from campaigns.signatures.models import Signature, SignatureDay, SignatureStatus
from campaigns.signatures.services import SigningClosed, SignInToSign
from campaigns.statements import services as statement_services
from campaigns.statements import signoff
from campaigns.statements.merging import StatementText
from campaigns.statements.models import Decision
from tests.factories import add_member, make_organisation, make_user
from tests.signatures.builders import confirmed, open_statement, sign, sign_on, signing_organisation
from tests.statements.builders import TEXT, draft, partnership
from tests.support.links import token_made_ago


def subjects_to(address: str) -> list[str]:
    """The subjects of the emails queued for `address`, oldest first."""
    return list(
        db.session.scalars(
            sa.select(OutboxMessage.subject).where(OutboxMessage.recipient == address).order_by(OutboxMessage.id)
        )
    )


def test_a_signatory_signs_and_is_counted_only_once_confirmed(app):
    p = open_statement()
    organisation, signatory = signing_organisation()
    signature = sign(p.statement, organisation, signatory, comment="We support this.")
    assert signature.status == SignatureStatus.PENDING
    assert totals(p.statement.id).total == 0
    assert [s.split(":")[0] for s in subjects_to(signatory.email)] == [
        "Confirm your signature on ‘Fund councils fairly’"
    ]

    services.confirm(signature_token(signature, "confirm"), p.statement)
    db.session.commit()
    assert signature.status == SignatureStatus.CONFIRMED
    assert signature.revision_id == p.statement.agreed_revision_id
    assert totals(p.statement.id).by_kind[OrganisationKind.VCS] == 1
    assert db.session.scalar(sa.select(sa.func.sum(SignatureDay.count))) == 1
    assert subjects_to(signatory.email)[-1] == "Signature confirmed: ‘Fund councils fairly’"


def test_a_confirmation_link_works_once_and_counts_once(app):
    p = open_statement()
    organisation, signatory = signing_organisation()
    signature = sign(p.statement, organisation, signatory)
    token = signature_token(signature, "confirm")
    services.confirm(token, p.statement)
    db.session.commit()
    with pytest.raises(InvalidLink, match="already been used"):
        services.confirm(token, p.statement)
    assert totals(p.statement.id).total == 1


def test_an_expired_or_tampered_confirmation_link_is_refused(app):
    p = open_statement()
    organisation, signatory = signing_organisation()
    signature = sign(p.statement, organisation, signatory)
    old = token_made_ago("signature", {"s": signature.id, "n": signature.nonce, "a": "confirm"}, 8 * 24 * 3600)
    with pytest.raises(InvalidLink, match="expired"):
        services.confirm(old, p.statement)
    with pytest.raises(InvalidLink):
        services.confirm(signature_token(signature, "confirm") + "x", p.statement)
    with pytest.raises(InvalidLink):
        services.confirm(signature_token(signature, "withdraw"), p.statement)
    assert signature.status == SignatureStatus.PENDING


def test_a_second_signature_for_an_organisation_is_refused_and_the_first_signer_told(app):
    p = open_statement()
    organisation, signatory = signing_organisation()
    first = confirmed(p.statement, organisation, signatory)
    other = make_user(name="Second Person")
    add_member(organisation, other, Role.SIGNATORY)
    outcome = services.sign(p.statement, sign_on(organisation, other), signer=other)
    assert outcome.already_signed and outcome.signature == first
    assert "has already signed" in outcome.message
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Signature)) == 1
    assert subjects_to(signatory.email)[-1] == "Someone tried to sign ‘Fund councils fairly’ again"
    assert first.signer_name == signatory.name


def test_someone_who_is_not_a_signatory_cannot_sign_for_an_organisation(app):
    p = open_statement()
    organisation, _ = signing_organisation()
    stranger = make_user()
    with pytest.raises(PermissionDenied):
        services.sign(p.statement, sign_on(organisation, stranger), signer=stranger)


def test_without_an_account_nobody_signs_for_an_organisation_that_has_people_here(app):
    p = open_statement()
    organisation, _ = signing_organisation()
    with pytest.raises(SignInToSign, match="Sign in"):
        services.sign(p.statement, sign_on(organisation), signer=None)


def test_without_an_account_someone_signs_for_an_organisation_they_add(app):
    p = open_statement()
    added, new = add_while_signing(
        organisation_services.Profile(
            name="Hillside Tenants Group", kind=OrganisationKind.VCS, subtype="community_group", region="london"
        )
    )
    assert new
    signature = services.sign(p.statement, sign_on(added, organisation_added_here=True), signer=None).signature
    services.confirm(signature_token(signature, "confirm"), p.statement)
    db.session.commit()
    assert not added.is_verified
    assert totals(p.statement.id).unverified == 1
    assert totals(p.statement.id, verified_only=True).total == 0


def test_admins_are_told_when_a_signature_is_confirmed_by_someone_no_longer_a_signatory(app):
    p = open_statement()
    admin = make_user(name="Org Admin")
    organisation = make_organisation("Quiet Charity", admin=admin)
    membership = add_member(organisation, make_user(name="Former Signatory"), Role.SIGNATORY)
    signature = sign(p.statement, organisation, membership.user)
    membership.role = Role.MEMBER
    db.session.commit()
    services.confirm(signature_token(signature, "confirm"), p.statement)
    db.session.commit()
    assert subjects_to(admin.email) == ["Quiet Charity has signed ‘Fund councils fairly’"]


def test_statements_not_open_refuse_signatures(app):
    p = partnership()
    organisation, signatory = signing_organisation()
    with pytest.raises(SigningClosed):
        services.sign(p.statement, sign_on(organisation, signatory), signer=signatory)


def test_a_closed_statement_refuses_signatures_and_confirmations_still_count(app):
    p = open_statement()
    organisation, signatory = signing_organisation()
    signature = sign(p.statement, organisation, signatory)
    signoff.close(p.statement, actor=p.council_editor)
    db.session.commit()
    late, late_signatory = signing_organisation("Late Charity")
    with pytest.raises(SigningClosed):
        services.sign(p.statement, sign_on(late, late_signatory), signer=late_signatory)
    services.confirm(signature_token(signature, "confirm"), p.statement)
    assert totals(p.statement.id).total == 1


def test_withdrawing_takes_the_signature_out_of_the_counts_and_it_may_sign_again(app):
    p = open_statement()
    organisation, signatory = signing_organisation()
    signature = confirmed(p.statement, organisation, signatory)
    services.withdraw(signature, actor=signatory, reason="Our trustees disagreed")
    db.session.commit()
    assert signature.status == SignatureStatus.WITHDRAWN
    assert signature.withdrawal_reason == "Our trustees disagreed"
    assert totals(p.statement.id).total == 0
    assert db.session.scalar(sa.select(sa.func.sum(SignatureDay.count))) == 0

    again = sign(p.statement, organisation, signatory)
    assert again.id == signature.id and again.status == SignatureStatus.PENDING
    services.confirm(signature_token(again, "confirm"), p.statement)
    db.session.commit()
    assert totals(p.statement.id).total == 1
    actions = list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-5:] == [
        "signature.signed",
        "signature.confirmed",
        "signature.withdrawn",
        "signature.signed",
        "signature.confirmed",
    ]


def test_a_withdrawal_link_works_without_signing_in(app):
    p = open_statement()
    organisation, signatory = signing_organisation()
    signature = confirmed(p.statement, organisation, signatory)
    services.withdraw_by_link(signature_token(signature, "withdraw"), p.statement, "")
    db.session.commit()
    assert signature.status == SignatureStatus.WITHDRAWN
    assert totals(p.statement.id).total == 0


def test_only_the_organisations_own_people_withdraw_its_signature(app):
    p = open_statement()
    organisation, signatory = signing_organisation()
    signature = confirmed(p.statement, organisation, signatory)
    with pytest.raises(PermissionDenied):
        services.withdraw(signature, actor=p.council_editor)
    assert totals(p.statement.id).total == 1


def test_owners_hide_a_signature_with_a_reason_and_the_signatory_is_told(app):
    p = open_statement()
    organisation, signatory = signing_organisation()
    signature = confirmed(p.statement, organisation, signatory)
    with pytest.raises(Exception, match="Say why"):
        services.hide(signature, actor=p.council_editor, reason="  ")
    with pytest.raises(PermissionDenied):
        services.hide(signature, actor=p.reviewer_member, reason="Looks fake")
    services.hide(signature, actor=p.council_editor, reason="Suspected impersonation")
    db.session.commit()
    assert signature.status == SignatureStatus.HIDDEN
    assert totals(p.statement.id).total == 0
    assert subjects_to(signatory.email)[-1] == "Your signature on ‘Fund councils fairly’ has been removed"
    with pytest.raises(Conflict, match="removed"):
        services.sign(p.statement, sign_on(organisation, signatory), signer=signatory)


def new_agreed_revision(p) -> None:
    changed = StatementText(TEXT.title, TEXT.summary, TEXT.body + "\n\nAnd we mean it.", (*TEXT.asks, "Meet us"))
    statement_services.save(p.statement, draft(changed), actor=p.council_editor, based_on=p.statement.current_revision)
    signoff.propose(p.statement, actor=p.council_editor)
    signoff.decide(p.statement, Decision.APPROVED, actor=p.council_signatory)
    signoff.decide(p.statement, Decision.APPROVED, actor=p.charity_signatory)
    db.session.commit()


def test_a_newer_agreed_text_asks_signatories_to_confirm_it_or_withdraw(app):
    p = open_statement()
    organisation, signatory = signing_organisation()
    signature = confirmed(p.statement, organisation, signatory)
    first_revision = signature.revision_id
    new_agreed_revision(p)
    assert signature.reconfirm_revision_id == p.statement.agreed_revision_id
    assert signature.revision_id == first_revision
    assert "confirm or withdraw your signature" in subjects_to(signatory.email)[-1]
    assert totals(p.statement.id).total == 1  # still counts: the owners set no limit

    services.reconfirm(signature_token(signature, "reconfirm"), p.statement)
    db.session.commit()
    assert signature.revision_id == p.statement.agreed_revision_id
    assert signature.reconfirm_revision_id is None
    assert totals(p.statement.id).total == 1


def test_a_signature_of_an_earlier_version_lapses_after_the_owners_limit(app):
    p = open_statement()
    settings = services.saved_settings(p.statement)
    settings.earlier_version_days = 0
    db.session.commit()
    organisation, signatory = signing_organisation()
    signature = confirmed(p.statement, organisation, signatory)
    new_agreed_revision(p)
    assert services.lapse_due() == 1
    db.session.commit()
    assert totals(p.statement.id).total == 0
    assert services.lapse_due() == 0
    services.reconfirm(signature_token(signature, "reconfirm"), p.statement)
    db.session.commit()
    assert totals(p.statement.id).total == 1
    assert signature.lapsed_at is None


def test_a_signature_confirmed_after_a_newer_text_was_agreed_is_asked_about_it(app):
    p = open_statement()
    organisation, signatory = signing_organisation()
    signature = sign(p.statement, organisation, signatory)
    new_agreed_revision(p)
    services.confirm(signature_token(signature, "confirm"), p.statement)
    db.session.commit()
    assert signature.reconfirm_revision_id == p.statement.agreed_revision_id
    assert "confirm or withdraw your signature" in subjects_to(signatory.email)[-1]


def test_counts_follow_an_organisation_that_is_verified_or_changes_kind(app):
    p = open_statement()
    organisation, signatory = signing_organisation()
    organisation.verified_at = None
    db.session.commit()
    confirmed(p.statement, organisation, signatory)
    assert totals(p.statement.id, verified_only=True).total == 0
    admin = make_user(platform_admin=True)
    organisation_services.verify(organisation, actor=admin)
    db.session.commit()
    assert totals(p.statement.id, verified_only=True).by_kind[OrganisationKind.VCS] == 1
    assert totals(p.statement.id).unverified == 0


def test_unconfirmed_signatures_expire_after_the_links_life(app):
    p = open_statement()
    organisation, signatory = signing_organisation()
    signature = sign(p.statement, organisation, signatory)
    token = signature_token(signature, "confirm")
    signature.created_at = utcnow() - timedelta(days=8)
    db.session.commit()
    assert services.expire_unconfirmed() == 1
    db.session.commit()
    db.session.refresh(signature)
    assert signature.status == SignatureStatus.EXPIRED
    with pytest.raises(InvalidLink):
        services.confirm(token, p.statement)
