"""When a statement takes signatures: open, before its closing date, and launched (or signed by its private
link). The dates live in its settings row, which the owners change through settings.py."""

from __future__ import annotations

from campaigns.caching import once_per_request
from campaigns.constraints import constraint_errors
from campaigns.database import session_memo, utcnow
from campaigns.errors import Conflict
from campaigns.extensions import db
from campaigns.signatures.counting import ensure_counters
from campaigns.signatures.models import SignatureSettings
from campaigns.statements.models import Stage, Statement
from campaigns.tokens import same_secret


class SigningClosed(Conflict):
    """The statement does not take signatures now."""


def settings_for(statement: Statement) -> SignatureSettings:
    """The statement's settings, or the defaults (not saved) if its owners never changed them; read once per GET
    request (without a row of its own the session cannot remember that there is none), and not again in a POST
    after a read that brought them along, until it writes."""
    statement_id = statement.id
    remembered = session_memo(db.session(), _SETTINGS).get(statement_id)
    if remembered is not None:
        return remembered
    return once_per_request(
        ("signature settings", statement_id),
        lambda: db.session.get(SignatureSettings, statement_id) or SignatureSettings(statement_id=statement_id),
    )


_SETTINGS = "signature settings"


def remember_settings(statement: Statement, settings: SignatureSettings | None) -> None:
    """The statement's settings row (None: it has none), read along with the statement: `settings_for` need not read
    it again before the session next writes."""
    memo = session_memo(db.session(), _SETTINGS)
    memo[statement.id] = settings or SignatureSettings(statement_id=statement.id)


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
    """Whether the statement's launch has come (or it has none): before it, only its private link signs."""
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


def prepare_for_signatures(statement: Statement) -> None:
    """When a statement opens: its counters and settings exist, so signing never has to create them."""
    ensure_counters(statement.id)
    saved_settings(statement)
