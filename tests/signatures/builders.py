"""Signatures as tests need them: an open statement, and organisations that have signed it. All committed."""

from __future__ import annotations

from campaigns.accounts.models import User
from campaigns.extensions import db
from campaigns.organisations.models import Organisation, OrganisationKind, Role
from campaigns.signatures import services
from campaigns.signatures.emails import signature_token
from campaigns.signatures.models import Signature
from campaigns.signatures.services import SignOn
from campaigns.statements.models import Statement
from tests.factories import add_member, make_organisation, make_user
from tests.statements.builders import Partnership, partnership, publish


def open_statement() -> Partnership:
    p = partnership()
    publish(p)
    return p


def signing_organisation(
    name: str = "Riverside Community Trust", kind: OrganisationKind = OrganisationKind.VCS, **fields: object
) -> tuple[Organisation, User]:
    """An organisation with a signatory who can sign for it."""
    admin = make_user(name=f"Admin of {name}")
    organisation = make_organisation(name, kind=kind, admin=admin, **fields)
    signatory = add_member(organisation, make_user(name=f"Signatory of {name}"), Role.SIGNATORY).user
    return organisation, signatory


def sign_on(organisation: Organisation, signer: User | None = None, **fields: object) -> SignOn:
    values: dict[str, object] = {
        "organisation": organisation,
        "signer_name": signer.name if signer else "Pat Visitor",
        "signer_role": "Chief Executive",
        "signer_email": signer.email if signer else "pat@riverside.example.org",
    }
    values.update(fields)
    return SignOn(**values)  # type: ignore[arg-type]


def sign(statement: Statement, organisation: Organisation, signer: User | None = None, **fields: object) -> Signature:
    signature = services.sign(statement, sign_on(organisation, signer, **fields), signer=signer).signature
    db.session.commit()
    return signature


def confirmed(
    statement: Statement, organisation: Organisation, signer: User | None = None, **fields: object
) -> Signature:
    """An organisation that has signed and confirmed."""
    signature = sign(statement, organisation, signer, **fields)
    services.confirm(signature_token(signature, "confirm"), statement)
    db.session.commit()
    return signature
