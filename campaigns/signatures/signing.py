"""Signing on: an organisation signs a statement and confirms by email, never twice. Nobody signs for an
organisation without its authority: a member must be its signatory or admin, and when someone else signs for it
its admins are told and can withdraw. Sign-ons that send an email count against limits; a refusal saves nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.constraints import constraint_errors
from campaigns.database import insert_now, utcnow
from campaigns.errors import Conflict, DomainError, PermissionDenied
from campaigns.extensions import db
from campaigns.organisations.adding import add_while_signing
from campaigns.organisations.matching import likely_matches
from campaigns.organisations.models import Membership, Organisation, OrganisationKind
from campaigns.organisations.names import name_key
from campaigns.organisations.permissions import Permission, can
from campaigns.organisations.services import Profile
from campaigns.signatures import emails
from campaigns.signatures.abuse import disposable_email_problem
from campaigns.signatures.contacts import CONSENT_VERSION, consent_wording, record_choices
from campaigns.signatures.contacts import offered as offered_to_sign
from campaigns.signatures.models import Signature, SignatureSettings, SignatureStatus, new_nonce
from campaigns.signatures.opening import launched, require_open_for_signing
from campaigns.statements.models import Statement
from campaigns.statements.queries import Author
from campaigns.throttle import Allowance, Exhausted, Spent, spend

COMMENT_MAX = 500


class SignInToSign(PermissionDenied):
    """The organisation has people on Common Ground: only its signatories and admins sign for it."""

    def __init__(self, organisation: Organisation) -> None:
        super().__init__(
            f"{organisation.name} manages its signatures on Common Ground. Sign in as one of its signatories "
            "or admins to sign for it, or ask one of them to."
        )
        self.organisation = organisation


@dataclass(frozen=True)
class SignOnOutcome:
    """What signing on came to: a new `signature` waiting for confirmation (its link emailed), or, when
    `already_signed`, the organisation's existing one, whose signer has been told of the attempt (at most so
    often). Either way there is something to commit; never a second row.
    """

    signature: Signature
    already_signed: bool = False

    @property
    def message(self) -> str:
        """What to tell the person who tried to sign again."""
        waiting = self.signature.status == SignatureStatus.PENDING
        return f"{self.signature.organisation.name} has already signed this statement" + (
            ": the signature is waiting to be confirmed by email." if waiting else "."
        )


class TooManySignOns(DomainError):
    """A limit on sign-ons ran out: nothing was saved or sent. `to_one_address` says which one."""

    status_code = 429

    def __init__(self, refused: Exhausted) -> None:
        super().__init__(f"Too many sign-ons: wait {refused.wait}, then try again.")
        self.to_one_address = refused.allowance is TO_ONE_ADDRESS
        self.wait = refused.wait
        self.retry_after = refused.retry_after


class DisposableAddress(DomainError):
    """Someone without an account gave an address at a throwaway email service."""


#: What a sign-on costs is the confirmation email it sends, so only sign-ons that send one are counted: a
#: refusal (a mistake in the form, an organisation that has already signed) never uses up these limits.
#: From one connection, for one statement, for visitors without an account (automated sign-ons): enough for
#: an office or a drop-in session to sign several organisations in a few minutes.
FROM_ONE_CONNECTION = Allowance("sign-on-connection", "10 per 10 minutes; 30 per hour")


#: To one email address, whatever the statement and the connection: nobody's inbox is flooded with links.
TO_ONE_ADDRESS = Allowance("sign-on-address", "3 per 10 minutes; 10 per day")


@dataclass(frozen=True)
class SignOn:
    """What someone signing on tells us."""

    organisation: Organisation
    signer_name: str
    signer_role: str
    signer_email: str
    comment: str = ""
    list_publicly: bool = True
    wants_updates: bool = False
    organisation_added_here: bool = False
    #: The author organisations they ticked as allowed to contact them (ids; any other id is ignored).
    may_contact: frozenset[int] = frozenset()


def _has_members(organisation: Organisation) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(Membership.organisation_id == organisation.id))) or False


def _locked(statement: Statement, organisation: Organisation) -> Signature | None:
    return db.session.scalar(
        sa.select(Signature)
        .where(Signature.statement_id == statement.id, Signature.organisation_id == organisation.id)
        .with_for_update()
    )


def sign(
    statement: Statement, sign_on: SignOn, *, signer: User | None = None, private_key: str | None = None
) -> SignOnOutcome:
    """Record a signature waiting for confirmation and email the link; one per organisation, whatever happens.

    A signed-in person must be a signatory or admin of the organisation. Anyone else signs by confirming
    the email address they give; the organisation's admins are told once it is confirmed. No limits on
    sign-ons apply here (the demo, tests): the site signs on through `sign_as_member` and `sign_as_visitor`.
    """
    settings = require_open_for_signing(statement, private_key)
    return _sign(statement, settings, sign_on, signer=signer, limits=())


def _limits(statement: Statement, connection: str | None, email: str | None) -> list[tuple[Allowance, str]]:
    """The limits a sign-on counts against: from one connection (visitors only) and to one address."""
    uses = []
    if connection is not None:
        uses.append((FROM_ONE_CONNECTION, f"{connection}:{statement.id}"))
    if email:
        uses.append((TO_ONE_ADDRESS, email))
    return uses


def _spend(uses: Sequence[tuple[Allowance, str]]) -> Spent:
    try:
        return spend(*uses)
    except Exhausted as refused:
        raise TooManySignOns(refused) from None


def sign_as_member(
    statement: Statement, sign_on: SignOn, *, actor: User, private_key: str | None = None
) -> SignOnOutcome:
    """A signed-in signatory or admin signs for their organisation, within the limit of emails to one address."""
    settings = require_open_for_signing(statement, private_key)
    return _sign(statement, settings, sign_on, signer=actor, limits=_limits(statement, None, sign_on.signer_email))


def pretend_to_sign(statement: Statement, *, connection: str | None, private_key: str | None = None) -> None:
    """A bot filled in the field people leave empty: refuse and count as for a real sign-on, and save nothing,
    so it cannot tell. `connection` is the visitor's address (None when signed in)."""
    require_open_for_signing(statement, private_key)
    _spend(_limits(statement, connection, None))


#: The answer "none of these" to which organisation they mean: theirs is a different one, to be added.
NEW_ORGANISATION = "new"


CHOOSE_ORGANISATION = "Select your organisation, or ‘None of these’"


@dataclass(frozen=True)
class VisitorSignOn:
    """What someone without an account tells us: who they are, and their organisation by name."""

    organisation_name: str
    signer_name: str
    signer_role: str
    signer_email: str
    comment: str = ""
    list_publicly: bool = True
    wants_updates: bool = False
    may_contact: frozenset[int] = frozenset()
    #: Which of the organisations offered they chose: an id, NEW_ORGANISATION, or None if not asked yet.
    choice: str | None = None
    #: Whether the form asked about a new organisation, and the kind, type and region given, if all were.
    details_asked: bool = False
    details: tuple[OrganisationKind, str | None, str] | None = None


@dataclass(frozen=True)
class Question:
    """Before signing, ask which organisation they mean, or about one we do not know yet. Nothing is saved."""

    status: int
    matches: tuple[Organisation, ...] = ()
    #: A message for the choice of organisation, or whether the new organisation's details are missing.
    choice_error: str | None = None
    details_missing: bool = False


def sign_as_visitor(
    statement: Statement, answers: VisitorSignOn, *, connection: str, private_key: str | None = None
) -> SignOnOutcome | Question:
    """Someone without an account signs for an organisation already here, or one they add now, within the
    limits from one connection and to one address. A refusal leaves nothing, not even an organisation added.
    """
    settings = require_open_for_signing(statement, private_key)
    problem = disposable_email_problem(answers.signer_email)
    if problem:
        raise DisposableAddress(problem)
    found = _visitor_organisation(answers)
    if isinstance(found, Question):
        return found
    limits = _limits(statement, connection, answers.signer_email)
    # A new organisation's signature always sends its email: the limits are spent before anything is written, so a
    # refusal writes nothing (no savepoint is needed to undo an organisation added), and given back if none goes.
    prepaid = _spend(limits) if isinstance(found, _NewOrganisation) else None
    # Read before anything is added to the session: the organisation and its activity entry then go in one flush.
    asked = offered_to_sign(statement)
    try:
        if isinstance(found, _NewOrganisation):
            organisation, added = add_while_signing(
                found.profile, distinct_from=found.distinct_from, same_key=found.same_key
            )
        else:
            organisation, added = found, False
        sign_on = SignOn(
            organisation=organisation,
            signer_name=answers.signer_name,
            signer_role=answers.signer_role,
            signer_email=answers.signer_email,
            comment=answers.comment,
            list_publicly=answers.list_publicly,
            wants_updates=answers.wants_updates,
            may_contact=answers.may_contact,
            organisation_added_here=added,
        )
        return _sign(statement, settings, sign_on, signer=None, limits=limits, prepaid=prepaid, asked=asked)
    except DomainError:
        if prepaid is not None:
            prepaid.refund()
        raise


@dataclass(frozen=True)
class _NewOrganisation:
    """The visitor's organisation is not here yet: add it (nothing is written until the limits allow a sign-on)."""

    profile: Profile
    #: The organisations they said theirs is not, if asked.
    distinct_from: list[Organisation] | None
    #: Those with the same name key, when the likely matches show there are none (saves looking again).
    same_key: list[Organisation] | None


def _visitor_organisation(answers: VisitorSignOn) -> Organisation | _NewOrganisation | Question:
    """The organisation someone without an account signs for: one already here, or one to add now. Reads only.

    Organisations of the same or a similar name are offered first; choosing "none of these" is recorded as
    saying theirs is a different organisation.
    """
    name = answers.organisation_name
    matches = tuple(likely_matches(name))
    choice = answers.choice
    if choice and choice != NEW_ORGANISATION:
        chosen = next((o for o in matches if str(o.id) == choice), None)
        if chosen is not None:
            return chosen
        return Question(400, matches, choice_error=CHOOSE_ORGANISATION)
    exact = [o for o in matches if " ".join(o.name.lower().split()) == " ".join(name.lower().split())]
    if not choice and len(exact) == 1:
        return exact[0]
    if not choice and not answers.details_asked:
        # First time through: ask which one they mean, or about the organisation we do not know yet.
        return Question(200, matches)
    if not choice and matches:
        return Question(400, matches, choice_error=CHOOSE_ORGANISATION)
    if answers.details is None:
        return Question(400, matches, details_missing=True)
    kind, subtype, region = answers.details
    profile = Profile(name=name, kind=kind, subtype=subtype, region=region)
    # An organisation with the same key is always among the likely matches (it scores highest), so none there means
    # none at all; any arriving a moment ago is settled by the key's unique constraint.
    key = name_key(name)
    same_key: list[Organisation] | None = [] if not any(o.name_key == key for o in matches) else None
    return _NewOrganisation(profile, list(matches) if choice == NEW_ORGANISATION else None, same_key)


def _sign(
    statement: Statement,
    settings: SignatureSettings,
    sign_on: SignOn,
    *,
    signer: User | None,
    limits: Sequence[tuple[Allowance, str]],
    prepaid: Spent | None = None,
    asked: list[Author] | None = None,
) -> SignOnOutcome:
    """Sign for `sign_on.organisation`, spending `limits` when an email goes (or with them `prepaid`, given back if
    none does). `asked` is the statement's authors, when the caller has read them."""
    organisation = sign_on.organisation
    if signer is not None and not can(signer, organisation, Permission.SIGN):
        raise PermissionDenied(f"Only signatories and admins of {organisation.name} can sign for it.")
    # An organisation added by this sign-on is in this transaction alone: nobody is on Common Ground for it, it has
    # no signature, and no other request can sign for it before this one commits.
    fresh = sign_on.organisation_added_here
    if signer is None and not fresh and _has_members(organisation):
        raise SignInToSign(organisation)
    existing = None if fresh else _locked(statement, organisation)
    if existing is not None and existing.status in (SignatureStatus.PENDING, SignatureStatus.CONFIRMED):
        return _already_signed(existing, sign_on, prepaid)
    if existing is not None and existing.status == SignatureStatus.HIDDEN:
        raise Conflict(
            f"The statement's authors have removed {organisation.name}’s signature. Contact them if this is a mistake."
        )
    spent = prepaid or _spend(limits)
    signature = existing or Signature(statement_id=statement.id, organisation_id=organisation.id)
    signature.revision_id = statement.agreed_revision_id  # type: ignore[assignment]
    signature.status = SignatureStatus.PENDING
    signature.signer_id = signer.id if signer is not None else None
    signature.signer_name = sign_on.signer_name
    signature.signer_role = sign_on.signer_role
    signature.signer_email = sign_on.signer_email
    signature.comment = sign_on.comment[:COMMENT_MAX]
    signature.list_publicly = sign_on.list_publicly
    signature.wants_updates = sign_on.wants_updates
    asked = offered_to_sign(statement) if asked is None else asked
    authors = [organisation for organisation in asked if organisation.id in sign_on.may_contact]
    signature.consent_text = consent_wording(
        sign_on.list_publicly,
        sign_on.wants_updates,
        [(organisation, organisation in authors) for organisation in asked],
    )
    signature.consent_version = CONSENT_VERSION
    signature.consented_at = utcnow()
    signature.organisation_added_here = sign_on.organisation_added_here
    signature.before_launch = not launched(settings)
    signature.nonce = new_nonce()
    signature.created_at = utcnow()
    signature.confirmed_at = signature.withdrawn_at = signature.lapsed_at = None
    signature.reconfirm_revision_id = signature.reconfirm_asked_at = signature.reconfirm_by = None
    if fresh:
        insert_now(db.session(), signature)  # nobody else can sign for it yet: no clash to guard against
    elif existing is None:
        try:
            with constraint_errors(
                {"uq_signatures_statement_id_organisation_id": lambda: Conflict("signed a moment ago")}
            ):
                db.session.add(signature)
        except Conflict:
            # Another request signed for the same organisation at the same moment: theirs stands.
            existing = _locked(statement, organisation)
            assert existing is not None
            return _already_signed(existing, sign_on, spent)
    if not fresh:
        db.session.flush()
    record_choices(signature, authors, signed_at=signature.consented_at, first=existing is None)
    record(
        "signature.signed",
        statement,
        organisation=organisation,
        signature=signature.id,
        consent_version=CONSENT_VERSION,
        may_contact=[author.name for author in authors],
        actor=signer,
    )
    emails.send_confirmation(signature)
    return SignOnOutcome(signature)


#: Someone tried to sign again for an organisation that has signed: the one who signed hears of it, but an
#: organisation's signer is not flooded by people (or scripts) trying again and again.
NOTED_ATTEMPTS = Allowance("sign-on-attempt-noted", "1 per hour; 3 per day")


def _already_signed(signature: Signature, sign_on: SignOn, spent: Spent | None = None) -> SignOnOutcome:
    """The organisation has signed: tell the one who signed of this attempt, unless told recently. What was `spent`
    on limits for a sign-on is given back: this sends no confirmation."""
    if spent is not None:
        spent.refund()
    try:
        spend((NOTED_ATTEMPTS, str(signature.id)))
    except Exhausted:
        pass
    else:
        emails.send_attempt_noted(signature, attempted_by=sign_on.signer_name)
    return SignOnOutcome(signature, already_signed=True)
