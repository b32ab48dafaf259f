"""Registered identifiers: normalised, then checked for format (nothing is looked up online)."""

from __future__ import annotations

import re

# England and Wales: 6 or 7 digits; Scotland: SC and 6 digits; Northern Ireland: NIC and 6 digits.
_CHARITY = re.compile(r"^(\d{6,7}|SC\d{6}|NIC\d{6})$")
# Companies House: 8 digits, or a 2-letter prefix (SC, NI, OC, IP, RS, ...) and 6 digits.
_COMPANY = re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$")
# ONS Government Statistical Service codes: a country letter and 8 digits, e.g. E07000163.
_GSS = re.compile(r"^[EWSN]\d{8}$")


def _compact(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw).upper()


def normalise_charity_number(raw: str) -> str:
    return _compact(raw)


def normalise_company_number(raw: str) -> str:
    value = _compact(raw)
    # People often leave off the leading zeros of an 8-digit number.
    return value.zfill(8) if value.isdigit() and len(value) < 8 else value


def normalise_gss_code(raw: str) -> str:
    return _compact(raw)


def charity_number_problem(value: str) -> str | None:
    if _CHARITY.match(value):
        return None
    return (
        "Enter a registered charity number in the correct format: 6 or 7 digits (England and Wales), "
        "SC and 6 digits (Scotland) or NIC and 6 digits (Northern Ireland)"
    )


def company_number_problem(value: str) -> str | None:
    if _COMPANY.match(value):
        return None
    return "Enter a company number in the correct format: 8 digits, or 2 letters and 6 digits, like SC123456"


def gss_code_problem(value: str) -> str | None:
    if _GSS.match(value):
        return None
    return "Enter a GSS code in the correct format: a letter (E, W, S or N) and 8 digits, like E07000163"


def org_id(charity_number: str | None, company_number: str | None, gss_code: str | None) -> str | None:
    """The organisation's identifier in the org-id.guide form where it has one: a charity's (GB-CHC- for England
    and Wales, GB-SC- for Scotland, GB-NIC- for Northern Ireland), else its company's (GB-COH-), else a
    council's GSS code as it is."""
    if charity_number:
        if charity_number.startswith("SC"):
            return f"GB-SC-{charity_number}"
        if charity_number.startswith("NIC"):
            return f"GB-NIC-{charity_number[3:]}"
        return f"GB-CHC-{charity_number}"
    if company_number:
        return f"GB-COH-{company_number}"
    return gss_code or None
