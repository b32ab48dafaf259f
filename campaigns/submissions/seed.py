"""The starting directory of targets: departments, select committees, parties and the LGA. Idempotent by name."""

from __future__ import annotations

import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.submissions.models import Target, TargetKind
from campaigns.submissions.targets import TargetDetails, create_target

D, C, P, OTHER = TargetKind.DEPARTMENT, TargetKind.COMMITTEE, TargetKind.PARTY, TargetKind.OTHER

# kind, name, short name, website
TARGETS: list[tuple[TargetKind, str, str, str]] = [
    (D, "HM Treasury", "HMT", "https://www.gov.uk/government/organisations/hm-treasury"),
    (
        D,
        "Ministry of Housing, Communities and Local Government",
        "MHCLG",
        "https://www.gov.uk/government/organisations/ministry-of-housing-communities-local-government",
    ),
    (
        D,
        "Department for Work and Pensions",
        "DWP",
        "https://www.gov.uk/government/organisations/department-for-work-pensions",
    ),
    (
        D,
        "Department for Environment, Food and Rural Affairs",
        "Defra",
        "https://www.gov.uk/government/organisations/department-for-environment-food-rural-affairs",
    ),
    (
        D,
        "Department for Culture, Media and Sport (civil society)",
        "DCMS",
        "https://www.gov.uk/government/organisations/department-for-culture-media-and-sport",
    ),
    (D, "Cabinet Office", "Cabinet Office", "https://www.gov.uk/government/organisations/cabinet-office"),
    (D, "Department for Education", "DfE", "https://www.gov.uk/government/organisations/department-for-education"),
    (
        D,
        "Department of Health and Social Care",
        "DHSC",
        "https://www.gov.uk/government/organisations/department-of-health-and-social-care",
    ),
    (C, "Housing, Communities and Local Government Committee", "HCLG Committee", "https://committees.parliament.uk/"),
    (C, "Work and Pensions Committee", "WP Committee", "https://committees.parliament.uk/"),
    (C, "Treasury Committee", "Treasury Committee", "https://committees.parliament.uk/"),
    (C, "Public Accounts Committee", "PAC", "https://committees.parliament.uk/"),
    (P, "Labour Party", "Labour", "https://labour.org.uk/"),
    (P, "Conservative and Unionist Party", "Conservatives", "https://www.conservatives.com/"),
    (P, "Liberal Democrats", "Lib Dems", "https://www.libdems.org.uk/"),
    (P, "Reform UK", "Reform UK", "https://www.reformparty.uk/"),
    (P, "Green Party of England and Wales", "Greens", "https://greenparty.org.uk/"),
    (P, "Scottish National Party", "SNP", "https://www.snp.org/"),
    (P, "Plaid Cymru", "Plaid Cymru", "https://www.partyof.wales/"),
    (OTHER, "Local Government Association", "LGA", "https://www.local.gov.uk/"),
]


def seed_targets() -> int:
    """Add whichever starting targets are missing from the directory; returns how many were added."""
    existing = set(db.session.scalars(sa.select(Target.name).where(Target.statement_id.is_(None))))
    added = 0
    for kind, name, short_name, website in TARGETS:
        if name in existing:
            continue
        create_target(TargetDetails(kind=kind, name=name, short_name=short_name, website=website), actor=None)
        added += 1
    db.session.flush()
    return added
