"""Signing on through the one service call a view makes: a question to ask, an outcome, or a refusal that saved
nothing (not even an organisation added on the way)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.organisations.models import Organisation, OrganisationKind
from campaigns.signatures import services
from campaigns.signatures.models import Signature
from tests.factories import make_organisation
from tests.signatures.builders import open_statement, signing_organisation


def visitor(n: int, **changes: object) -> services.VisitorSignOn:
    values: dict[str, object] = {
        "organisation_name": f"Test Organisation {n}",
        "signer_name": f"Visitor {n}",
        "signer_role": "Chair",
        "signer_email": f"visitor{n}@example.org",
        "details_asked": True,
        "details": (OrganisationKind.VCS, "charity", "london"),
    }
    values.update(changes)
    return services.VisitorSignOn(**values)  # type: ignore[arg-type]


def organisation_named(name: str) -> Organisation | None:
    return db.session.scalar(sa.select(Organisation).where(Organisation.name == name))


def signature_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Signature))


def test_an_unknown_organisation_is_asked_about_first_and_nothing_is_saved(app):
    p = open_statement()
    asked = services.sign_as_visitor(p.statement, visitor(1, details_asked=False, details=None), connection="10.0.0.1")
    assert asked == services.Question(200)
    assert organisation_named("Test Organisation 1") is None and signature_count() == 0


def test_a_choice_among_similar_names_that_is_not_offered_is_asked_again(app):
    p = open_statement()
    make_organisation("Test Organisation 1 North")
    asked = services.sign_as_visitor(p.statement, visitor(1, choice="999999"), connection="10.0.0.1")
    assert isinstance(asked, services.Question)
    assert asked.status == 400 and asked.choice_error == services.CHOOSE_ORGANISATION
    assert [o.name for o in asked.matches] == ["Test Organisation 1 North"]


def test_missing_details_of_a_new_organisation_are_asked_for(app):
    p = open_statement()
    asked = services.sign_as_visitor(p.statement, visitor(1, details=None), connection="10.0.0.1")
    assert asked == services.Question(400, details_missing=True)


def test_a_visitor_adds_their_organisation_and_signs_in_one_call(app):
    p = open_statement()
    outcome = services.sign_as_visitor(p.statement, visitor(1), connection="10.0.0.1")
    assert isinstance(outcome, services.SignOnOutcome) and not outcome.already_signed
    assert outcome.signature.organisation.name == "Test Organisation 1"
    assert outcome.signature.organisation_added_here


def test_a_visitor_refused_by_the_limit_leaves_no_organisation_behind(app):
    p = open_statement()
    for n in range(10):
        services.sign_as_visitor(p.statement, visitor(n), connection="10.0.0.2")
    with pytest.raises(services.TooManySignOns) as refused:
        services.sign_as_visitor(p.statement, visitor(10), connection="10.0.0.2")
    assert not refused.value.to_one_address
    assert organisation_named("Test Organisation 10") is None
    assert signature_count() == 10


def test_a_disposable_address_is_refused_before_anything_is_looked_up_or_saved(app):
    p = open_statement()
    with pytest.raises(services.DisposableAddress):
        services.sign_as_visitor(p.statement, visitor(1, signer_email="x@mailinator.com"), connection="10.0.0.3")
    assert organisation_named("Test Organisation 1") is None


def test_a_visitor_cannot_sign_for_an_organisation_whose_people_are_here(app):
    p = open_statement()
    signing_organisation("Test Organisation 1")
    with pytest.raises(services.SignInToSign):
        services.sign_as_visitor(p.statement, visitor(1), connection="10.0.0.4")
    assert signature_count() == 0


def test_a_member_signs_within_the_limit_of_emails_to_one_address(app):
    p = open_statement()
    organisation, signatory = signing_organisation()
    sign_on = services.SignOn(organisation, signatory.name, "Chair", signatory.email)
    outcome = services.sign_as_member(p.statement, sign_on, actor=signatory)
    assert outcome.signature.signer_id == signatory.id and not outcome.already_signed
    again = services.sign_as_member(p.statement, sign_on, actor=signatory)
    assert again.already_signed and again.signature == outcome.signature
