"""Sharing only as agreed: when signing, a person chooses, one by one, which of the statement's author organisations
may contact them. Only the people of an organisation they chose see their email address in the owners' list and the
owners' CSV; withdrawing that choice (or changing it, from the link in their receipt) applies at once.

The wording of every consent has a version; the version, the time and each choice are kept with the signature.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.database import utcnow
from campaigns.errors import Conflict, PermissionDenied
from campaigns.extensions import db
from campaigns.organisations.models import Organisation
from campaigns.signatures.links import signature_for_link
from campaigns.signatures.models import Signature, SignatureContact, SignatureStatus
from campaigns.signatures.queries import contact_choices
from campaigns.statements.models import Statement
from campaigns.statements.permissions import Action, organisations_for
from campaigns.statements.queries import Author, author_names
from campaigns.wording import in_a_list

#: The version of the consent wording on the sign-on page (CONSENT_LIST, CONSENT_UPDATES and CONSENT_CONTACT).
#: Change it whenever any of that wording changes. "1": the two consents alone, before contact was asked about.
CONSENT_VERSION = "2"

#: The question about contact, and its hint; each author organisation is one checkbox, worded by `contact_label`.
CONSENT_CONTACT = (
    "Which of the statement’s authors may contact you?",
    "Tick each organisation that may see your email address and contact you about this statement and its "
    "campaign. Leave them all unticked and none of them will see it. You can change this at any time.",
)


def contact_label(organisation: Author) -> str:
    """One checkbox's wording: the organisation by name."""
    return f"{organisation.name} may contact me by email"


#: The two consents as worded on the sign-on page (label, hint); the wording is kept with each signature.
CONSENT_LIST = (
    "List the organisation publicly as a signatory",
    "Its name, your name and role, and your comment appear on the public list. "
    "Untick this to have it counted but not named.",
)


CONSENT_UPDATES = (
    "Email me updates about this statement",
    "For example when it is sent to a government department or gets a reply. Every update has a link to stop them.",
)


def consent_wording(list_publicly: bool, wants_updates: bool, contacts: Sequence[tuple[Author, bool]] = ()) -> str:
    """The consents as they were worded when given (version CONSENT_VERSION), and the answers, kept with the
    signature: one line each, the contact question's line for each author organisation offered."""
    lines = [f"Consent wording version {CONSENT_VERSION}"]
    lines += [
        f"{'Ticked' if given else 'Not ticked'}: {label} ({hint})"
        for (label, hint), given in ((CONSENT_LIST, list_publicly), (CONSENT_UPDATES, wants_updates))
    ]
    if contacts:
        lines.append(f"{CONSENT_CONTACT[0]} ({CONSENT_CONTACT[1]})")
        lines += [f"{'Ticked' if given else 'Not ticked'}: {contact_label(org)}" for org, given in contacts]
    return "\n".join(lines)


def offered(statement: Statement) -> list[Author]:
    """The organisations a signer is asked about: the lead and every active co-author, in the statement's order."""
    return author_names(statement)


def viewing_organisation(user: User, statement: Statement, preferred: Organisation | None) -> Organisation:
    """The author organisation whose share of contact details `user` sees: the one they act for, if it is one of
    the statement's authors they edit for, else the first of those by name. Only for its owners."""
    allowed = organisations_for(user, statement, Action.EDIT)
    if not allowed:
        raise PermissionDenied("Only editors of the lead and co-author organisations see contact details.")
    return next((organisation for organisation in allowed if preferred and organisation.id == preferred.id), allowed[0])


def in_a_sentence(signature: Signature) -> str:
    """Which authors the signer chose may contact them, as their receipt and the page that thanks them say it;
    empty when they were not asked (a statement whose authors are not offered)."""
    authors = offered(signature.statement)
    if not authors:
        return ""
    chosen = contact_choices(signature)
    names = [author.name for author in authors if author.id in chosen]
    if not names:
        return "You chose that none of the statement’s authors may contact you."
    return f"You chose that {in_a_list(names)} may contact you."


def chosen_among(statement: Statement, organisation_ids: Iterable[int]) -> list[Author]:
    """Those of the statement's authors whose ids were ticked; any other id (a form altered by hand) is ignored."""
    wanted = set(organisation_ids)
    return [organisation for organisation in offered(statement) if organisation.id in wanted]


def record_choices(
    signature: Signature,
    organisations: Collection[Author],
    *,
    signed_at: datetime | None = None,
    first: bool = False,
) -> None:
    """Replace the signature's contact choices with `organisations`, at the current consent version.

    When signing (`signed_at`), every earlier choice goes and each one is given that time; on a later change, an
    organisation chosen before and again keeps the time it was first chosen, a new one is given now. A signature
    just inserted (`first`) has none to replace: its choices are added, written with the next flush; otherwise
    this flushes."""
    keep = {organisation.id for organisation in organisations}
    existing: dict[int, SignatureContact] = {}
    if not first:
        db.session.flush()
        existing = {
            contact.organisation_id: contact
            for contact in db.session.scalars(
                sa.select(SignatureContact).where(SignatureContact.signature_id == signature.id)
            )
        }
        for organisation_id, contact in list(existing.items()):
            if organisation_id not in keep or signed_at is not None:
                db.session.delete(contact)
                del existing[organisation_id]
        db.session.flush()
    now = signed_at or utcnow()
    for organisation_id in sorted(keep - existing.keys()):
        db.session.add(
            SignatureContact(
                signature_id=signature.id,
                organisation_id=organisation_id,
                granted_at=now,
                consent_version=CONSENT_VERSION,
            )
        )
    if not first:
        db.session.flush()


class ContactDetailsGone(Conflict):
    """The signature's contact details have been erased, or it is no longer one anyone may contact."""


def change_contacts_by_link(token: str, statement: Statement, organisation_ids: Iterable[int]) -> Signature:
    """The signer, from the link in their receipt, changes which authors may contact them; it applies at once.

    The link is not used up: they may change their mind again while it lasts."""
    signature = signature_for_link(token, "contacts", statement)
    if signature.status in (SignatureStatus.HIDDEN, SignatureStatus.EXPIRED) or not signature.signer_email:
        raise ContactDetailsGone("There are no contact details to share for this signature any more.")
    chosen = chosen_among(statement, organisation_ids)
    record_choices(signature, chosen)
    record(
        "signature.contacts_changed",
        statement,
        organisation=signature.organisation,
        signature=signature.id,
        may_contact=[organisation.name for organisation in chosen],
        consent_version=CONSENT_VERSION,
        actor=None,
    )
    db.session.flush()
    return signature
