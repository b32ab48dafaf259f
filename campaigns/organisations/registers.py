"""Looking registered numbers up in the Charity Commission's register API and Companies House's public data API.

Each is used only when its API key is set (README: Configuration). A look-up fills the organisation's official
name and status, and flags a charity removed from the register or a company dissolved, for its page and the
statement owners' list. Without keys, or when a register does not answer, numbers are checked for their
format only, as before. Only England and Wales charity numbers are on the Charity Commission's register.
"""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from flask import current_app

from campaigns.audit.services import record
from campaigns.database import utcnow
from campaigns.organisations.models import Organisation

log = logging.getLogger(__name__)

#: Companies House statuses of a company that no longer exists.
GONE = {"dissolved", "removed", "closed", "converted-closed"}


@dataclass(frozen=True)
class RegisterEntry:
    register: str
    name: str
    status: str
    #: A charity removed from the register, a company dissolved, or a number the register does not know.
    flagged: bool


def _get(url: str, headers: dict[str, str]) -> dict[str, Any] | None:
    """The JSON answer, {} for "not found", or None when the register could not be asked."""
    request = urllib.request.Request(url, headers={"Accept": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=current_app.config["CAMPAIGNS_REGISTER_TIMEOUT"]) as response:
            found = json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        error.close()
        if error.code == 404:
            return {}
        log.warning("Register look-up %s failed: HTTP %s", url, error.code)
        return None
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        log.warning("Register look-up %s failed: %s", url, error)
        return None
    return found if isinstance(found, dict) else None


def charity_commission(number: str) -> RegisterEntry | None:
    key = current_app.config.get("CHARITY_COMMISSION_API_KEY")
    if not key or not number.isdigit():
        return None
    url = f"{current_app.config['CHARITY_COMMISSION_API_URL']}/allcharitydetailsV2/{number}/0"
    found = _get(url, {"Ocp-Apim-Subscription-Key": key})
    if found is None:
        return None
    if not found:
        return RegisterEntry("Charity Commission", "", "Not on the register", flagged=True)
    removed = found.get("reg_status") == "RM"
    status = "Removed from the register" if removed else "Registered"
    if removed and found.get("date_of_removal"):
        status += f" on {str(found['date_of_removal'])[:10]}"
    return RegisterEntry("Charity Commission", str(found.get("charity_name") or ""), status, flagged=removed)


def companies_house(number: str) -> RegisterEntry | None:
    key = current_app.config.get("COMPANIES_HOUSE_API_KEY")
    if not key:
        return None
    credentials = base64.b64encode(f"{key}:".encode()).decode()
    url = f"{current_app.config['COMPANIES_HOUSE_API_URL']}/company/{number}"
    found = _get(url, {"Authorization": f"Basic {credentials}"})
    if found is None:
        return None
    if not found:
        return RegisterEntry("Companies House", "", "Not on the register", flagged=True)
    state = str(found.get("company_status") or "")
    status = state.replace("-", " ").capitalize() or "Unknown"
    if state in GONE and found.get("date_of_cessation"):
        status += f" on {str(found['date_of_cessation'])[:10]}"
    return RegisterEntry("Companies House", str(found.get("company_name") or ""), status, flagged=state in GONE)


def refresh(organisation: Organisation) -> RegisterEntry | None:
    """Look the organisation's numbers up (charity first) and keep what the register says; None if not asked."""
    entries = [
        entry
        for entry in (
            charity_commission(organisation.charity_number) if organisation.charity_number else None,
            companies_house(organisation.company_number) if organisation.company_number else None,
        )
        if entry is not None
    ]
    if not entries:
        return None
    entry = next((e for e in entries if e.flagged), entries[0])
    changed = (organisation.register_status, organisation.register_flagged) != (
        f"{entry.register}: {entry.status}",
        entry.flagged,
    )
    organisation.register_name = entry.name or None
    organisation.register_status = f"{entry.register}: {entry.status}"
    organisation.register_flagged = entry.flagged
    organisation.register_checked_at = utcnow()
    if changed:
        record(
            "organisation.register_checked",
            organisation,
            organisation=organisation,
            register=entry.register,
            status=entry.status,
            name=entry.name,
            actor=None,
        )
    return entry
