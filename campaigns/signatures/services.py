"""Signing on: an organisation signs a statement, confirms by email, stays pinned to the text it signed,
and may withdraw at any time. Nobody signs for an organisation without its authority: a member must be
its signatory or admin, and when someone else signs for it its admins are told and can withdraw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.constraints import constraint_errors
from campaigns.database import utcnow
from campaigns.errors import Conflict, DomainError, InvalidLink, PermissionDenied
from campaigns.extensions import db
from campaigns.organisations.adding import add_while_signing
from campaigns.organisations.matching import likely_matches
from campaigns.organisations.models import Membership, Organisation, OrganisationKind
from campaigns.organisations.permissions import Permission, can
from campaigns.organisations.services import Profile, admins_of
from campaigns.signatures import emails
from campaigns.signatures.abuse import disposable_email_problem
from campaigns.signatures.counting import Tally, count, ensure_counters, recount, uncount
from campaigns.signatures.models import Signature, SignatureSettings, SignatureStatus, new_nonce, new_private_key
from campaigns.statements.models import Revision, Stage, Statement
from campaigns.statements.permissions import Action, acting_organisation
from campaigns.templating import format_datetime
from campaigns.throttle import Allowance, Exhausted, Spent, spend
from campaigns.tokens import read_token, same_secret

COMMENT_MAX = 500

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


class SigningClosed(Conflict):
    """The statement does not take signatures now."""


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


def settings_for(statement: Statement) -> SignatureSettings:
    """The statement's settings, or the defaults (not saved) if its owners never changed them."""
    return db.session.get(SignatureSettings, statement.id) or SignatureSettings(statement_id=statement.id)


def saved_settings(statement: Statement) -> SignatureSettings:
    """The statement's settings row, created if missing, locked and read afresh, to change."""
    settings = db.session.get(SignatureSettings, statement.id, with_for_update=True, populate_existing=True)
    if settings is None:
        settings = SignatureSettings(statement_id=statement.id)
        with constraint_errors(
            {"pk_signature_settings": lambda: Conflict("Someone changed the settings a moment ago.")}
        ):
            db.session.add(settings)
    return settings


def launched(settings: SignatureSettings) -> bool:
    return settings.launch_at is None or settings.launch_at <= utcnow()


def require_open_for_signing(statement: Statement, private_key: str | None = None) -> SignatureSettings:
    """The statement takes signatures now (open, before its closing date, launched or signed by private link)."""
    settings = settings_for(statement)
    if statement.stage != Stage.OPEN or statement.agreed_revision_id is None:
        raise SigningClosed("This statement is not open for signatures.")
    if settings.closes_at is not None and settings.closes_at <= utcnow():
        raise SigningClosed("This statement closed to new signatures on its closing date.")
    if not launched(settings) and not same_secret(private_key, settings.private_key):
        raise SigningClosed("This statement is not open for signatures yet.")
    return settings


def consent_wording(list_publicly: bool, wants_updates: bool) -> str:
    """The consents as they were worded when given, and the answers, kept with the signature."""
    return "\n".join(
        f"{'Ticked' if given else 'Not ticked'}: {label} ({hint})"
        for (label, hint), given in ((CONSENT_LIST, list_publicly), (CONSENT_UPDATES, wants_updates))
    )


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
    with db.session.begin_nested():
        found = _visitor_organisation(answers)
        if isinstance(found, Question):
            return found
        organisation, added = found
        sign_on = SignOn(
            organisation=organisation,
            signer_name=answers.signer_name,
            signer_role=answers.signer_role,
            signer_email=answers.signer_email,
            comment=answers.comment,
            list_publicly=answers.list_publicly,
            wants_updates=answers.wants_updates,
            organisation_added_here=added,
        )
        limits = _limits(statement, connection, answers.signer_email)
        return _sign(statement, settings, sign_on, signer=None, limits=limits)


def _visitor_organisation(answers: VisitorSignOn) -> tuple[Organisation, bool] | Question:
    """The organisation someone without an account signs for: one already here, or one they add now.

    Organisations of the same or a similar name are offered first; choosing "none of these" is recorded as
    saying theirs is a different organisation.
    """
    name = answers.organisation_name
    matches = tuple(likely_matches(name))
    choice = answers.choice
    if choice and choice != NEW_ORGANISATION:
        chosen = next((o for o in matches if str(o.id) == choice), None)
        if chosen is not None:
            return chosen, False
        return Question(400, matches, choice_error=CHOOSE_ORGANISATION)
    exact = [o for o in matches if " ".join(o.name.lower().split()) == " ".join(name.lower().split())]
    if not choice and len(exact) == 1:
        return exact[0], False
    if not choice and not answers.details_asked:
        # First time through: ask which one they mean, or about the organisation we do not know yet.
        return Question(200, matches)
    if not choice and matches:
        return Question(400, matches, choice_error=CHOOSE_ORGANISATION)
    if answers.details is None:
        return Question(400, matches, details_missing=True)
    kind, subtype, region = answers.details
    profile = Profile(name=name, kind=kind, subtype=subtype, region=region)
    return add_while_signing(profile, distinct_from=list(matches) if choice == NEW_ORGANISATION else None)


def _sign(
    statement: Statement,
    settings: SignatureSettings,
    sign_on: SignOn,
    *,
    signer: User | None,
    limits: Sequence[tuple[Allowance, str]],
) -> SignOnOutcome:
    organisation = sign_on.organisation
    if signer is not None and not can(signer, organisation, Permission.SIGN):
        raise PermissionDenied(f"Only signatories and admins of {organisation.name} can sign for it.")
    if signer is None and _has_members(organisation):
        raise SignInToSign(organisation)
    existing = _locked(statement, organisation)
    if existing is not None and existing.status in (SignatureStatus.PENDING, SignatureStatus.CONFIRMED):
        return _already_signed(existing, sign_on)
    if existing is not None and existing.status == SignatureStatus.HIDDEN:
        raise Conflict(
            f"The statement's authors have removed {organisation.name}’s signature. Contact them if this is a mistake."
        )
    spent = _spend(limits)
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
    signature.consent_text = consent_wording(sign_on.list_publicly, sign_on.wants_updates)
    signature.consented_at = utcnow()
    signature.organisation_added_here = sign_on.organisation_added_here
    signature.before_launch = not launched(settings)
    signature.nonce = new_nonce()
    signature.created_at = utcnow()
    signature.confirmed_at = signature.withdrawn_at = signature.lapsed_at = None
    signature.reconfirm_revision_id = signature.reconfirm_asked_at = signature.reconfirm_by = None
    if existing is None:
        try:
            with constraint_errors(
                {"uq_signatures_statement_id_organisation_id": lambda: Conflict("signed a moment ago")}
            ):
                db.session.add(signature)
        except Conflict:
            # Another request signed for the same organisation at the same moment: theirs stands.
            spent.refund()
            existing = _locked(statement, organisation)
            assert existing is not None
            return _already_signed(existing, sign_on)
    db.session.flush()
    record(signer, "signature.signed", statement, organisation=organisation, signature=signature.id)
    emails.send_confirmation(signature)
    return SignOnOutcome(signature)


#: Someone tried to sign again for an organisation that has signed: the one who signed hears of it, but an
#: organisation's signer is not flooded by people (or scripts) trying again and again.
NOTED_ATTEMPTS = Allowance("sign-on-attempt-noted", "1 per hour; 3 per day")


def _already_signed(signature: Signature, sign_on: SignOn) -> SignOnOutcome:
    """The organisation has signed: tell the one who signed of this attempt, unless told recently."""
    try:
        spend((NOTED_ATTEMPTS, str(signature.id)))
    except Exhausted:
        pass
    else:
        emails.send_attempt_noted(signature, attempted_by=sign_on.signer_name)
    return SignOnOutcome(signature, already_signed=True)


def _record(actor: User | None, action: str, signature: Signature, **detail: object) -> None:
    record(actor, action, signature.statement, organisation=signature.organisation, signature=signature.id, **detail)


class LinkUsed(InvalidLink):
    """A genuine link to `signature` that has been used already (or replaced by a newer one)."""

    def __init__(self, signature: Signature) -> None:
        super().__init__("This link has already been used.")
        self.signature = signature


def send_withdrawal_link(statement: Statement, email: str) -> None:
    """Email a link to withdraw to whoever signed with `email`; say nothing about whether anyone did."""
    for signature in db.session.scalars(
        sa.select(Signature).where(
            Signature.statement_id == statement.id,
            sa.func.lower(Signature.signer_email) == email.lower(),
            Signature.status.in_([SignatureStatus.PENDING, SignatureStatus.CONFIRMED]),
        )
    ):
        emails.send_withdrawal_link(signature)


def signature_for_link(token: str, action: str, statement: Statement, *, lock: bool = True) -> Signature:
    """The signature an emailed link is for, if the link is still good; InvalidLink with the reason if not."""
    signature = _signature_from(token, action, lock=lock)
    if signature.statement_id != statement.id:
        raise InvalidLink("This link is not valid.")
    return signature


def _signature_from(token: str, action: str, *, lock: bool = True) -> Signature:
    days = emails.LINK_DAYS if action == "confirm" else emails.CHOICE_LINK_DAYS
    payload = read_token(
        "signature",
        token,
        timedelta(days=days),
        expired_message=f"This link has expired: it lasted {days} days.",
    )
    if payload.get("a") != action or not isinstance(payload.get("s"), int):
        raise InvalidLink("This link is not valid.")
    query = sa.select(Signature).where(Signature.id == payload["s"])
    signature = db.session.scalar(query.with_for_update() if lock else query)
    if signature is None:
        raise InvalidLink("This link is no longer valid.")
    if lock:
        db.session.refresh(signature)
    if not same_secret(payload.get("n"), signature.nonce):
        raise LinkUsed(signature)
    return signature


def confirm(token: str, statement: Statement) -> Signature:
    """Follow the emailed link: the signature counts from now on. A second use is refused; it counts once."""
    signature = signature_for_link(token, "confirm", statement)
    if signature.status != SignatureStatus.PENDING:
        raise InvalidLink("This signature has already been dealt with.")
    signature.status = SignatureStatus.CONFIRMED
    signature.confirmed_at = utcnow()
    signature.nonce = new_nonce()
    count(signature, at=signature.confirmed_at)
    _record(None, "signature.confirmed", signature)
    emails.send_confirmed(signature)
    if signature.signer_id is None or not can(signature.signer, signature.organisation, Permission.SIGN):
        emails.send_signed_on_your_behalf(admins_of(signature.organisation), signature)
    statement = signature.statement
    if statement.agreed_revision_id != signature.revision_id:
        # A newer text was agreed while the email was waiting: they signed the one they read.
        _ask(signature, statement.agreed_revision, settings_for(statement).earlier_version_days)
    return signature


def withdraw(signature: Signature, *, actor: User, reason: str = "") -> None:
    """An organisation's signatory or admin withdraws its signature: it leaves the list and the counts at once."""
    if not can(actor, signature.organisation, Permission.SIGN):
        raise PermissionDenied(
            f"Only signatories and admins of {signature.organisation.name} can withdraw its signature."
        )
    _withdraw(signature, reason, actor)


def withdraw_by_link(token: str, statement: Statement, reason: str = "") -> Signature:
    """The signatory withdraws by an emailed link (in the receipt, a request for a newer text, or on request)."""
    signature = signature_for_link(token, "withdraw", statement)
    _withdraw(signature, reason, None)
    return signature


def _withdraw(signature: Signature, reason: str, actor: User | None) -> None:
    db.session.execute(sa.select(Signature.id).where(Signature.id == signature.id).with_for_update())
    db.session.refresh(signature)
    if signature.status not in (SignatureStatus.PENDING, SignatureStatus.CONFIRMED):
        raise Conflict(f"{signature.organisation.name} has no signature on this statement to withdraw.")
    signature.status = SignatureStatus.WITHDRAWN
    signature.withdrawn_at = utcnow()
    uncount(signature, at=signature.withdrawn_at)
    signature.withdrawal_reason = reason.strip()
    signature.nonce = new_nonce()
    _record(actor, "signature.withdrawn", signature)


class NotHideable(Conflict):
    """The signature is no longer on the list: hidden by another owner a moment ago, withdrawn or expired."""

    def __init__(self, signature: Signature) -> None:
        name = signature.organisation.name
        super().__init__(
            {
                SignatureStatus.HIDDEN: f"{name}’s signature has already been hidden"
                + (f" by {signature.hidden_by.name}" if signature.hidden_by else "")
                + ". Nothing else has changed.",
                SignatureStatus.WITHDRAWN: f"{name} has withdrawn its signature, so there is nothing to hide.",
                SignatureStatus.EXPIRED: f"{name}’s signature was never confirmed and has expired: it is not shown.",
            }.get(signature.status, f"{name}’s signature cannot be hidden now.")
        )
        self.signature = signature


def hide(signature: Signature, *, actor: User, reason: str, acting_for: Organisation | None = None) -> None:
    """The statement's owners take a signature off the list and the counts, with a reason the signatory is sent."""
    owner = acting_organisation(actor, signature.statement, Action.EDIT, acting_for)
    if not reason.strip():
        raise DomainError("Say why you are hiding this signature.")
    db.session.execute(sa.select(Signature.id).where(Signature.id == signature.id).with_for_update())
    db.session.refresh(signature)
    if signature.status not in (SignatureStatus.PENDING, SignatureStatus.CONFIRMED):
        raise NotHideable(signature)
    signature.status = SignatureStatus.HIDDEN
    signature.hidden_at = utcnow()
    uncount(signature, at=signature.hidden_at)
    signature.hidden_reason = reason.strip()
    signature.hidden_by_id = actor.id
    signature.nonce = new_nonce()
    record(actor, "signature.hidden", signature.statement, organisation=owner, signature=signature.id, reason=reason)
    emails.send_hidden(signature)


def reconfirm(token: str, statement: Statement) -> Signature:
    """The signatory agrees the newer text: the signature is pinned to it, and counts again if it had lapsed."""
    signature = signature_for_link(token, "reconfirm", statement)
    if signature.status != SignatureStatus.CONFIRMED or signature.reconfirm_revision_id is None:
        raise InvalidLink("There is nothing to confirm for this signature.")
    signature.revision_id = signature.reconfirm_revision_id
    signature.reconfirm_revision_id = signature.reconfirm_asked_at = signature.reconfirm_by = None
    signature.lapsed_at = None
    signature.nonce = new_nonce()
    count(signature)
    _record(None, "signature.reconfirmed", signature)
    return signature


def ask_to_reconfirm(statement: Statement, revision: Revision) -> int:
    """A newer revision was agreed: ask every confirmed signatory of an earlier one to confirm it or withdraw."""
    days = settings_for(statement).earlier_version_days
    signatures = db.session.scalars(
        sa.select(Signature)
        .where(
            Signature.statement_id == statement.id,
            Signature.status == SignatureStatus.CONFIRMED,
            Signature.revision_id != revision.id,
        )
        .order_by(Signature.id)
        .with_for_update()
    ).all()
    for signature in signatures:
        _ask(signature, revision, days)
    return len(signatures)


def _ask(signature: Signature, revision: Revision, days: int | None) -> None:
    signed = signature.revision
    signature.reconfirm_revision_id = revision.id
    signature.reconfirm_asked_at = utcnow()
    signature.reconfirm_by = signature.reconfirm_asked_at + timedelta(days=days) if days is not None else None
    signature.nonce = new_nonce()
    emails.send_reconfirm(signature, signed=signed, agreed=revision)


def lapse_due() -> int:
    """Signatures of an earlier version past the owners' limit stop counting. Run hourly (flask lapse-signatures)."""
    tally = Tally()
    signatures = db.session.scalars(
        sa.select(Signature)
        .where(
            Signature.status == SignatureStatus.CONFIRMED,
            Signature.reconfirm_by.is_not(None),
            Signature.reconfirm_by <= utcnow(),
            Signature.lapsed_at.is_(None),
        )
        .order_by(Signature.id)
        .with_for_update()
    ).all()
    for signature in signatures:
        _lapse(signature, tally)
    tally.write()
    return len(signatures)


def _lapse(signature: Signature, tally: Tally) -> None:
    uncount(signature, tally)
    signature.lapsed_at = utcnow()
    _record(None, "signature.lapsed", signature)


def expire_unconfirmed() -> int:
    """Signatures never confirmed within the link's life expire (they never counted). Run hourly (flask
    expire-signatures)."""
    cutoff = utcnow() - timedelta(days=emails.LINK_DAYS)
    result = db.session.execute(
        sa.update(Signature)
        .where(Signature.status == SignatureStatus.PENDING, Signature.created_at < cutoff)
        .values(status=SignatureStatus.EXPIRED, nonce=sa.func.substr(Signature.nonce, 1, 8))
    )
    return result.rowcount


def prepare_for_signatures(statement: Statement) -> None:
    """When a statement opens: its counters and settings exist, so signing never has to create them."""
    ensure_counters(statement.id)
    saved_settings(statement)


def recount_organisation(organisation: Organisation) -> None:
    """The organisation's kind or verification changed: its counted signatures move with it."""
    tally = Tally()
    for signature in db.session.scalars(
        sa.select(Signature)
        .where(Signature.organisation_id == organisation.id, Signature.counted_kind.is_not(None))
        .order_by(Signature.id)
        .with_for_update()
    ).all():
        recount(signature, tally)
    tally.write()


# The owners' settings.


@dataclass(frozen=True)
class SettingsChange:
    """The settings form as sent: every field, changed or not."""

    closes_at: datetime | None
    target: int | None
    verified_only: bool
    launch_at: datetime | None
    earlier_version_days: int | None


TARGET_MAX = 1_000_000
DAYS_MAX = 3650

#: What each setting is called on the page, in the audit log and in a conflict.
SETTING_LABELS = {
    "closes_at": "Closing date",
    "target": "Target",
    "verified_only": "List verified organisations only",
    "launch_at": "Launch",
    "earlier_version_days": "Days a signature of an earlier version keeps counting",
}


def settings_change(settings: SignatureSettings, **changed: object) -> SettingsChange:
    """The settings as they are, with `changed` fields replaced."""
    values = {field.name: getattr(settings, field.name) for field in fields(SettingsChange)}
    values["verified_only"] = bool(values["verified_only"])
    values.update(changed)
    return SettingsChange(**values)  # type: ignore[arg-type]


class SettingsConflict(Conflict):
    """Someone saved the settings after this form was loaded: nothing is saved, and the form keeps its values."""

    def __init__(self, settings: SignatureSettings, changed: list[str]) -> None:
        super().__init__("Someone else changed these settings while you were editing them.")
        self.settings = settings
        self.changed = changed


class InvalidSetting(DomainError):
    """A setting breaks a rule; `field` names it, so the form can show the message next to it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _check(new: SettingsChange, changed: dict[str, tuple[object, object]], now: datetime) -> None:
    """The rules for settings; a date already saved may have passed (the statement closed on it)."""
    if "closes_at" in changed and new.closes_at is not None and new.closes_at <= now:
        raise InvalidSetting("closes_at", "The closing date must be today or in the future")
    if "launch_at" in changed and new.launch_at is not None and new.launch_at <= now:
        raise InvalidSetting("launch_at", "The launch must be in the future. To launch now, leave the date empty")
    if new.closes_at is not None and new.launch_at is not None and new.launch_at >= new.closes_at:
        raise InvalidSetting("launch_at", "The launch must be before the closing date")
    if new.target is not None and not 1 <= new.target <= TARGET_MAX:
        raise InvalidSetting("target", f"The target must be a whole number from 1 to {TARGET_MAX:,}")
    days = new.earlier_version_days
    if days is not None and not 0 <= days <= DAYS_MAX:
        raise InvalidSetting("earlier_version_days", f"The number of days must be a whole number from 0 to {DAYS_MAX}")


def update_settings(
    statement: Statement,
    change: SettingsChange,
    *,
    actor: User,
    based_on_version: int,
    acting_for: Organisation | None = None,
) -> list[str]:
    """Save the owners' settings if nobody saved since `based_on_version`; return the fields that changed.

    A changed limit for signatures of an earlier version applies at once to those already asked to confirm
    the newer text: they stop counting, or count again, as the new limit says.
    """
    owner = acting_organisation(actor, statement, Action.EDIT, acting_for)
    settings = saved_settings(statement)
    changes = {
        name: (getattr(settings, name), value)
        for name, value in ((field.name, getattr(change, field.name)) for field in fields(SettingsChange))
        if getattr(settings, name) != value
    }
    if settings.version != based_on_version:
        raise SettingsConflict(settings, sorted(changes))
    if not changes:
        return []
    _check(change, changes, utcnow())
    try:
        with db.session.begin_nested():
            for name, (_old, new) in changes.items():
                setattr(settings, name, new)
    except StaleDataError:
        # Saved by someone else between our read and our write: the version column caught it.
        db.session.refresh(settings)
        raise SettingsConflict(settings, sorted(changes)) from None
    if "earlier_version_days" in changes:
        _apply_earlier_version_limit(statement, settings.earlier_version_days)
    record(
        actor,
        "signature.settings_changed",
        statement,
        organisation=owner,
        changed={name: [_audit_value(old), _audit_value(new)] for name, (old, new) in changes.items()},
    )
    return sorted(changes)


def _audit_value(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return format_datetime(value)
    return str(value)


def _apply_earlier_version_limit(statement: Statement, days: int | None) -> None:
    """Every signature waiting to confirm a newer text gets the new limit, counted from when it was asked."""
    tally = Tally()
    now = utcnow()
    for signature in db.session.scalars(
        sa.select(Signature)
        .where(
            Signature.statement_id == statement.id,
            Signature.status == SignatureStatus.CONFIRMED,
            Signature.reconfirm_revision_id.is_not(None),
            Signature.reconfirm_asked_at.is_not(None),
        )
        .order_by(Signature.id)
        .with_for_update()
    ).all():
        asked = signature.reconfirm_asked_at
        assert asked is not None
        signature.reconfirm_by = asked + timedelta(days=days) if days is not None else None
        counts = signature.reconfirm_by is None or signature.reconfirm_by > now
        if counts and signature.lapsed_at is not None:
            signature.lapsed_at = None
            count(signature, tally)
            _record(None, "signature.counts_again", signature)
        elif not counts and signature.lapsed_at is None:
            _lapse(signature, tally)
    tally.write()


def new_private_link(statement: Statement, *, actor: User, acting_for: Organisation | None = None) -> None:
    """A new key for the private sign-on link; the old link stops working at once.

    The settings form's version is left alone, so an owner editing the settings meanwhile loses nothing.
    """
    owner = acting_organisation(actor, statement, Action.EDIT, acting_for)
    saved_settings(statement)
    db.session.execute(
        sa.update(SignatureSettings)
        .where(SignatureSettings.statement_id == statement.id)
        .values(private_key=new_private_key(), updated_at=utcnow())
    )
    record(actor, "signature.private_link_renewed", statement, organisation=owner)
