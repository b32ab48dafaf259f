"""Email updates as tests need them: an open statement with signatories in every state, updates ready to send."""

from __future__ import annotations

from dataclasses import dataclass, field

from campaigns.extensions import db
from campaigns.mailings import services
from campaigns.mailings.models import Audience, Mailing
from campaigns.mailings.services import UpdateDraft
from campaigns.organisations.models import OrganisationKind
from campaigns.signatures import services as signature_services
from campaigns.signatures.emails import signature_token
from campaigns.signatures.models import Signature
from tests.factories import make_organisation
from tests.signatures.builders import confirmed, open_statement, sign
from tests.statements.builders import Partnership

BODY = "Dear ((name)),\n\nThe statement from **((organisation))** and others went to the Treasury today.\n"


@dataclass
class Signatories:
    """An open statement, signatories who want updates, and some who must never get one."""

    p: Partnership
    wanting: list[Signature] = field(default_factory=list)
    not_opted_in: Signature | None = None
    withdrawn: Signature | None = None
    hidden: Signature | None = None
    pending: Signature | None = None

    @property
    def expected(self) -> set[str]:
        return {signature.signer_email for signature in self.wanting}


def signatory(p: Partnership, n: int, *, kind=OrganisationKind.VCS, region="north_east", **fields) -> Signature:
    organisation = make_organisation(f"Signing Trust {n}", kind=kind, region=region)
    values = {"signer_name": f"Signer {n}", "signer_email": f"signer{n}@example.org", "wants_updates": True}
    values.update(fields)
    return confirmed(p.statement, organisation, **values)


def signatories(wanting: int = 3) -> Signatories:
    p = open_statement()
    s = Signatories(p)
    s.wanting = [signatory(p, n) for n in range(1, wanting + 1)]
    s.not_opted_in = signatory(p, 101, wants_updates=False)
    s.withdrawn = signatory(p, 102)
    signature_services.withdraw_by_link(signature_token(s.withdrawn, "withdraw"), p.statement, reason="Board decision")
    s.hidden = signatory(p, 103)
    signature_services.hide(s.hidden, actor=p.council_editor, reason="Not a real organisation")
    s.pending = sign(
        p.statement, make_organisation("Pending Trust"), signer_email="pending@example.org", wants_updates=True
    )
    db.session.commit()
    return s


def update(p: Partnership, *, audience: Audience = Audience.SIGNATORIES, approved: bool = True, **fields) -> Mailing:
    """An update written by the lead's editor, approved by the co-author's signatory (unless `approved` is False)."""
    draft = UpdateDraft(
        subject=fields.pop("subject", "News for ((organisation))"),
        body=fields.pop("body", BODY),
        audience=audience,
        **fields,
    )
    mailing = services.compose(p.statement, draft, actor=p.council_editor)
    if approved:
        services.request_approval(mailing, actor=p.council_editor)
        services.approve(mailing, actor=p.charity_signatory)
    db.session.commit()
    return mailing
