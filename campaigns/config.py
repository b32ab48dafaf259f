"""Configuration from the environment (twelve-factor), with development defaults.

Every setting is read here and nowhere else. The README lists each variable.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("development", "production")


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message says which and how to fix it."""


def _bool(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}.")


def _int(environ: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}.")
    return value


def _float(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, not {raw!r}.") from None
    if value <= 0:
        raise ConfigError(f"{name} must be greater than 0, not {raw!r}.")
    return value


_DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", re.IGNORECASE)
_SELECTOR = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*", re.IGNORECASE)


def _domain(environ: Mapping[str, str], name: str) -> str | None:
    raw = environ.get(name, "").strip().rstrip(".")
    if not raw:
        return None
    if not _DOMAIN.fullmatch(raw):
        raise ConfigError(f"{name} must be a domain name such as mail.example.org, not {raw!r}.")
    return raw.lower()


def _address(environ: Mapping[str, str], name: str) -> str | None:
    raw = environ.get(name, "").strip()
    if not raw:
        return None
    local, _, domain = raw.rpartition("@")
    if not local or not raw.isascii() or any(c in local for c in ' <>,;?&%"') or not _DOMAIN.fullmatch(domain):
        raise ConfigError(f"{name} must be one plain email address such as unsubscribe@example.org, not {raw!r}.")
    return raw


def _dkim(environ: Mapping[str, str]) -> dict[str, str | None]:
    """DKIM signing: all three settings, or none. The key file is checked when the worker first signs."""
    names = ("CAMPAIGNS_DKIM_SELECTOR", "CAMPAIGNS_DKIM_DOMAIN", "CAMPAIGNS_DKIM_KEY_PATH")
    values = {name: environ.get(name, "").strip() or None for name in names}
    given = [name for name in names if values[name]]
    if not given:
        return values
    if len(given) < len(names):
        missing = ", ".join(name for name in names if not values[name])
        raise ConfigError(f"DKIM signing needs all of {', '.join(names)}: {missing} is not set.")
    selector = values["CAMPAIGNS_DKIM_SELECTOR"] or ""
    if not _SELECTOR.fullmatch(selector):
        raise ConfigError(f"CAMPAIGNS_DKIM_SELECTOR must be letters, digits and hyphens, not {selector!r}.")
    values["CAMPAIGNS_DKIM_DOMAIN"] = _domain(environ, "CAMPAIGNS_DKIM_DOMAIN")
    if not Path(values["CAMPAIGNS_DKIM_KEY_PATH"] or "").is_file():
        raise ConfigError(
            f"CAMPAIGNS_DKIM_KEY_PATH: there is no file at {values['CAMPAIGNS_DKIM_KEY_PATH']!r}. "
            "Make a key with `flask --app wsgi dkim-key`."
        )
    return values


def database_url(raw: str) -> str:
    """Accept the common `postgres://` spellings and always use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def _development_secret_key(instance_path: Path) -> str:
    """Generate a secret key once and keep it in the instance folder, so sessions survive restarts."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def instance_folder(environ: Mapping[str, str], default: Path) -> Path:
    """Where local secrets, the SQLite database and the development outbox live."""
    return Path(environ.get("CAMPAIGNS_INSTANCE_PATH", "").strip() or default)


def load_config(instance_path: Path, environ: Mapping[str, str]) -> dict[str, Any]:
    """Build the Flask config for this process from environment variables."""
    env = environ.get("CAMPAIGNS_ENV", "development").strip().lower() or "development"
    if env not in ENVIRONMENTS:
        raise ConfigError(f"CAMPAIGNS_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}.")
    production = env == "production"

    secret_key = environ.get("SECRET_KEY", "").strip()
    if not secret_key:
        if production:
            raise ConfigError(
                "SECRET_KEY is not set. In production Common Ground refuses to start without one: "
                "generate one with `python -c 'import secrets; print(secrets.token_urlsafe(48))'` "
                "and set it in the environment."
            )
        secret_key = _development_secret_key(instance_path)

    base_url = environ.get("CAMPAIGNS_BASE_URL", "").strip().rstrip("/")
    if not base_url:
        if production:
            raise ConfigError(
                "CAMPAIGNS_BASE_URL is not set. Set it to the public address, e.g. https://commonground.example.org"
            )
        base_url = "http://127.0.0.1:5000"
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"CAMPAIGNS_BASE_URL must start with http:// or https://, not {base_url!r}.")

    mail_server = environ.get("MAIL_SERVER", "").strip() or None
    dkim = _dkim(environ)
    idle_minutes = _int(environ, "CAMPAIGNS_SESSION_IDLE_MINUTES", 60, minimum=1)
    max_hours = _int(environ, "CAMPAIGNS_SESSION_MAX_HOURS", 12, minimum=1)

    return {
        "CAMPAIGNS_ENV": env,
        "SECRET_KEY": secret_key,
        "CAMPAIGNS_BASE_URL": base_url,
        "SQLALCHEMY_DATABASE_URI": database_url(
            environ.get("DATABASE_URL", "").strip() or f"sqlite:///{instance_path / 'campaigns.db'}"
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Mail: with no MAIL_SERVER the worker writes .eml files to CAMPAIGNS_OUTBOX_DIR instead.
        "MAIL_SERVER": mail_server,
        "MAIL_PORT": _int(environ, "MAIL_PORT", 587 if _bool(environ, "MAIL_USE_TLS", False) else 25, minimum=1),
        "MAIL_USE_TLS": _bool(environ, "MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _bool(environ, "MAIL_USE_SSL", False),
        "MAIL_USERNAME": environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": environ.get("MAIL_DEFAULT_SENDER", "").strip()
        or "Common Ground <no-reply@commonground.localhost>",
        "MAIL_TIMEOUT": _float(environ, "MAIL_TIMEOUT", 30.0),
        # Flask-Mail suppresses sending when TESTING is on; our tests deliver to a real SMTP server.
        "MAIL_SUPPRESS_SEND": False,
        "CAMPAIGNS_OUTBOX_DIR": environ.get("CAMPAIGNS_OUTBOX_DIR", "").strip() or str(instance_path / "outbox"),
        "CAMPAIGNS_MAIL_BATCH_SIZE": _int(environ, "CAMPAIGNS_MAIL_BATCH_SIZE", 50, minimum=1),
        "CAMPAIGNS_MAIL_LEASE_SECONDS": _int(environ, "CAMPAIGNS_MAIL_LEASE_SECONDS", 300, minimum=1),
        "CAMPAIGNS_MAIL_MAX_ATTEMPTS": _int(environ, "CAMPAIGNS_MAIL_MAX_ATTEMPTS", 8, minimum=1),
        "CAMPAIGNS_MAIL_RETRY_SECONDS": _int(environ, "CAMPAIGNS_MAIL_RETRY_SECONDS", 60, minimum=1),
        "CAMPAIGNS_MAIL_POLL_SECONDS": _float(environ, "CAMPAIGNS_MAIL_POLL_SECONDS", 2.0),
        # Messages per second each worker sends at most (0: as fast as the server takes them).
        "CAMPAIGNS_MAIL_RATE": _float(environ, "CAMPAIGNS_MAIL_RATE", 0.0),
        # Exports: an owners' download of more signatures than this is built by the worker as a file (0: never),
        # kept for so many hours, in this folder.
        "CAMPAIGNS_EXPORT_WORKER_ROWS": _int(environ, "CAMPAIGNS_EXPORT_WORKER_ROWS", 200_000),
        "CAMPAIGNS_EXPORT_KEEP_HOURS": _int(environ, "CAMPAIGNS_EXPORT_KEEP_HOURS", 24, minimum=1),
        "CAMPAIGNS_EXPORT_DIR": environ.get("CAMPAIGNS_EXPORT_DIR", "").strip() or str(instance_path / "exports"),
        **dkim,
        # Bounces: each message's return path is bounces+<id>-<check>@ this domain (VERP); unset: the From address.
        "CAMPAIGNS_BOUNCE_DOMAIN": _domain(environ, "CAMPAIGNS_BOUNCE_DOMAIN"),
        # Soft bounces (a full mailbox, a server down for days) of this many messages suppress an address.
        # A person's data download can be fetched for this many hours once built; then the file is deleted.
        "CAMPAIGNS_DATA_EXPORT_HOURS": _int(environ, "CAMPAIGNS_DATA_EXPORT_HOURS", 72, minimum=1),
        "CAMPAIGNS_SOFT_BOUNCE_LIMIT": _int(environ, "CAMPAIGNS_SOFT_BOUNCE_LIMIT", 3, minimum=1),
        # An address that takes unsubscribe requests by email, offered beside the link in List-Unsubscribe.
        "CAMPAIGNS_UNSUBSCRIBE_MAILTO": _address(environ, "CAMPAIGNS_UNSUBSCRIBE_MAILTO"),
        # Retention (campaigns.privacy.retention): signers' contact details on a closed statement are erased this many
        # months after it closed at most (its owners may choose fewer)...
        "CAMPAIGNS_CONTACT_RETENTION_MONTHS": _int(environ, "CAMPAIGNS_CONTACT_RETENTION_MONTHS", 24, minimum=1),
        # ...and signatures never confirmed, and invitations never accepted, go this many days after their link expired.
        "CAMPAIGNS_UNCONFIRMED_RETENTION_DAYS": _int(environ, "CAMPAIGNS_UNCONFIRMED_RETENTION_DAYS", 30, minimum=1),
        # Rate limits: in memory per process by default; Redis shares them between processes.
        "RATELIMIT_STORAGE_URI": environ.get("RATELIMIT_STORAGE_URI", "").strip() or "memory://",
        # Keeps this site's counters apart from anything else that shares the Redis server.
        "RATELIMIT_KEY_PREFIX": environ.get("RATELIMIT_KEY_PREFIX", "").strip() or "common-ground",
        "RATELIMIT_ENABLED": _bool(environ, "RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Public pages kept rendered in each server process, by their cache tag (campaigns.caching); 0 keeps none.
        "CAMPAIGNS_PAGE_CACHE_ENTRIES": _int(environ, "CAMPAIGNS_PAGE_CACHE_ENTRIES", 500, minimum=0),
        "CAMPAIGNS_PAGE_CACHE_MAX_BYTES": _int(environ, "CAMPAIGNS_PAGE_CACHE_MAX_BYTES", 512 * 1024, minimum=1024),
        # Requests to the API (/api/...) from one address, e.g. "120 per minute" (Flask-Limiter's notation).
        "CAMPAIGNS_API_RATE": _rate(environ, "CAMPAIGNS_API_RATE", "120 per minute"),
        # Sessions: a browser-session cookie, signed out after inactivity and after a maximum length.
        "CAMPAIGNS_SESSION_IDLE_MINUTES": idle_minutes,
        "CAMPAIGNS_SESSION_MAX_HOURS": max_hours,
        "SESSION_COOKIE_NAME": "commonground_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        # A form's CSRF token lasts as long as the longest session, and no longer; a form sent with an expired one
        # is not lost: the page that refuses it keeps what was typed and sends it again with a fresh token.
        "WTF_CSRF_TIME_LIMIT": int(timedelta(hours=max_hours).total_seconds()),
        "WTF_CSRF_SSL_STRICT": production,
        "MAX_CONTENT_LENGTH": _int(environ, "CAMPAIGNS_MAX_REQUEST_BYTES", 2 * 1024 * 1024, minimum=1024),
        "CAMPAIGNS_TRUSTED_PROXIES": _int(environ, "CAMPAIGNS_TRUSTED_PROXIES", 0),
        "CAMPAIGNS_LOG_LEVEL": environ.get("CAMPAIGNS_LOG_LEVEL", "INFO").strip().upper() or "INFO",
        # Submission packs: signed with this key and certificate (PEM files) when both are set.
        "CAMPAIGNS_PACK_SIGNING_KEY": _existing_file(environ, "CAMPAIGNS_PACK_SIGNING_KEY"),
        "CAMPAIGNS_PACK_SIGNING_CERT": _existing_file(environ, "CAMPAIGNS_PACK_SIGNING_CERT"),
        "CAMPAIGNS_PACK_SIGNING_PASSPHRASE": environ.get("CAMPAIGNS_PACK_SIGNING_PASSPHRASE") or None,
        # Register look-ups: each is used only when its API key is set.
        "CHARITY_COMMISSION_API_KEY": environ.get("CHARITY_COMMISSION_API_KEY", "").strip() or None,
        "CHARITY_COMMISSION_API_URL": environ.get("CHARITY_COMMISSION_API_URL", "").strip().rstrip("/")
        or "https://api.charitycommission.gov.uk/register/api",
        "COMPANIES_HOUSE_API_KEY": environ.get("COMPANIES_HOUSE_API_KEY", "").strip() or None,
        "COMPANIES_HOUSE_API_URL": environ.get("COMPANIES_HOUSE_API_URL", "").strip().rstrip("/")
        or "https://api.company-information.service.gov.uk",
        "CAMPAIGNS_REGISTER_TIMEOUT": _float(environ, "CAMPAIGNS_REGISTER_TIMEOUT", 5.0),
        **_webhooks(environ, production),
    }


def _webhooks(environ: Mapping[str, str], production: bool) -> dict[str, Any]:
    """Webhook delivery. Loopback, private and link-local addresses are refused in production, whatever is set."""
    allow_private = _bool(environ, "CAMPAIGNS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", not production)
    if allow_private and production:
        raise ConfigError(
            "CAMPAIGNS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES must not be on in production: it would let anyone who can add a "
            "webhook make this server send requests into its own network."
        )
    return {
        "CAMPAIGNS_WEBHOOK_ALLOW_PRIVATE_ADDRESSES": allow_private,
        "CAMPAIGNS_WEBHOOK_TIMEOUT": _float(environ, "CAMPAIGNS_WEBHOOK_TIMEOUT", 10.0),
        "CAMPAIGNS_WEBHOOK_BATCH_SIZE": _int(environ, "CAMPAIGNS_WEBHOOK_BATCH_SIZE", 10, minimum=1),
        "CAMPAIGNS_WEBHOOK_LEASE_SECONDS": _int(environ, "CAMPAIGNS_WEBHOOK_LEASE_SECONDS", 300, minimum=1),
        "CAMPAIGNS_WEBHOOK_MAX_ATTEMPTS": _int(environ, "CAMPAIGNS_WEBHOOK_MAX_ATTEMPTS", 10, minimum=1),
        "CAMPAIGNS_WEBHOOK_RETRY_SECONDS": _int(environ, "CAMPAIGNS_WEBHOOK_RETRY_SECONDS", 60, minimum=1),
        "CAMPAIGNS_WEBHOOK_DISABLE_AFTER_HOURS": _int(environ, "CAMPAIGNS_WEBHOOK_DISABLE_AFTER_HOURS", 24, minimum=1),
        # After a secret is rotated, deliveries are signed with the old one too for this long.
        "CAMPAIGNS_WEBHOOK_SECRET_GRACE_HOURS": _int(environ, "CAMPAIGNS_WEBHOOK_SECRET_GRACE_HOURS", 24, minimum=0),
    }


def _rate(environ: Mapping[str, str], name: str, default: str) -> str:
    """A rate limit such as "120 per minute" or "1000/hour; 60/minute"."""
    from limits import parse_many

    value = environ.get(name, "").strip() or default
    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(f"{name} must be a rate such as '120 per minute', not {value!r}.") from None
    return value


def _existing_file(environ: Mapping[str, str], name: str) -> str | None:
    """A path from the environment that must name a readable file, or None when unset."""
    value = environ.get(name, "").strip()
    if not value:
        return None
    if not Path(value).is_file():
        raise ConfigError(f"{name} must name a readable file; {value!r} is not one.")
    return value
