"""Email addresses: one normal form, so that one person has one account."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email


def normalise_email(raw: str) -> str:
    """Surrounding spaces removed and lower case: `" Jane@Example.ORG "` becomes `"jane@example.org"`."""
    return raw.strip().lower()


def email_problem(raw: str) -> str | None:
    """Why `raw` is not a usable email address, or None. Never looks anything up on the network."""
    address = raw.strip()
    if not address:
        return "Enter an email address"
    if len(address) > 320:
        return "Email address must be 320 characters or fewer"
    if not address.isascii():
        # Mail servers commonly refuse such addresses (they need SMTPUTF8), so mail to them would be lost.
        return "Enter an email address using only unaccented letters, numbers and symbols like . _ - +"
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return "Enter an email address in the correct format, like name@example.org"
    return None
