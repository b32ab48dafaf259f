"""Keeping automated and throwaway sign-ons out: disposable email domains (with the maintained list from
the disposable-email-domains package). The limits on sign-ons are in signing.py; the honeypot is a form field."""

from __future__ import annotations

from disposable_email_domains import blocklist


def disposable_email_problem(email: str) -> str | None:
    """Why an address from a throwaway email service (or a subdomain of one) cannot sign, or None."""
    domain = email.rpartition("@")[2].lower().rstrip(".")
    parts = domain.split(".")
    # A subdomain of a throwaway service is as throwaway as the service.
    if any(".".join(parts[i:]) in blocklist for i in range(len(parts) - 1)):
        return (
            "Enter an email address at your organisation or one you use every day: addresses from "
            "disposable email services cannot be used to sign"
        )
    return None
