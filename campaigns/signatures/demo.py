"""Demo signatures: a few hundred fictional organisations across kinds and regions signing the demo statements
that are open or closed, over the past weeks, with some waiting, withdrawn, hidden or not named.

Written straight to the tables (as the rest of the demo data is), but counted through `counting`, so the
counters and the chart agree with the rows. Idempotent: a statement that has signatures is left alone.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import sqlalchemy as sa

from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.organisations.models import REGIONS, Organisation, OrganisationKind
from campaigns.signatures import contacts
from campaigns.signatures.counting import count, uncount
from campaigns.signatures.models import Signature, SignatureStatus
from campaigns.signatures.services import consent_wording
from campaigns.slugs import slugify
from campaigns.statements.models import Statement
from campaigns.statements.queries import Author

TOWNS = (
    "Ashby Moor", "Barrowdale", "Brackenfield", "Castlemere", "Cobham Vale", "Dunmore", "Elmstead", "Farleigh",
    "Greyhaven", "Hartwell", "Holmbrook", "Irwell Cross", "Kelsey", "Langford", "Lowick", "Marlow Fen",
    "Netherby", "Oakridge", "Pelham", "Quarry Bank", "Redmire", "Saltcote", "Shelford", "Stanwick", "Thornby",
    "Upton Wold", "Wainfleet", "Westerby", "Whitcombe", "Yarrowby",
)  # fmt: skip
VCS_NAMES = (
    ("{} Food Bank", "charity"),
    ("{} Citizens Advice", "charity"),
    ("{} Community Trust", "charity"),
    ("{} Youth Project", "community_group"),
    ("{} Carers Centre", "charity"),
    ("{} Credit Union", "social_enterprise"),
    ("{} Tenants Association", "community_group"),
    ("{} Council for Voluntary Service", "infrastructure_body"),
    ("{} Churches Together", "faith_group"),
    ("{} Community Transport", "social_enterprise"),
)
COUNCIL_NAMES = (("{} Town Council", "town_or_parish"), ("{} Parish Council", "town_or_parish"))
PUBLIC_BODY_NAMES = ("{} Integrated Care Board", "{} Fire and Rescue Service")
ROLES = ("Chief Executive", "Chair of Trustees", "Manager", "Town Clerk", "Director", "Coordinator")
FIRST = ("Alex", "Sam", "Jordan", "Priya", "Tom", "Aisha", "Gareth", "Mei", "Olu", "Rhian", "Dev", "Kath")
LAST = ("Bennett", "Shah", "Owen", "Clarke", "Nowak", "Hughes", "Okafor", "Evans", "Ali", "Murray")

#: Demo statement slug → how many organisations sign it.
SIGNING = {"fair-funding-for-rural-councils": 320, "protect-the-household-support-fund": 120}


def _organisations(rng: random.Random) -> list[Organisation]:
    """The fictional signing organisations, created once."""
    wanted: list[tuple[str, OrganisationKind, str | None]] = []
    for town in TOWNS:
        wanted += [(pattern.format(town), OrganisationKind.VCS, subtype) for pattern, subtype in VCS_NAMES]
        wanted += [(pattern.format(town), OrganisationKind.COUNCIL, subtype) for pattern, subtype in COUNCIL_NAMES]
        wanted += [(pattern.format(town), OrganisationKind.PUBLIC_BODY, None) for pattern in PUBLIC_BODY_NAMES[:1]]
    existing = {
        o.slug: o for o in db.session.scalars(sa.select(Organisation).where(Organisation.created_by_id.is_(None)))
    }
    regions = [region for region in REGIONS if region not in ("scotland", "northern_ireland", "uk_wide")]
    town_region = {town: rng.choice(regions) for town in TOWNS}
    now = utcnow()
    organisations = []
    for name, kind, subtype in wanted:
        slug = slugify(name)
        organisation = existing.get(slug) or db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
        if organisation is None:
            town = next(t for t in TOWNS if name.startswith(t))
            organisation = Organisation(name=name, slug=slug, kind=kind, subtype=subtype, region=town_region[town])
            # Most are checked by the platform's admins; a few added while signing are not yet.
            if rng.random() > 0.08:  # checked months before signing (drawn apart, so the rest stays as it was)
                checked = now - timedelta(days=random.Random(slug).randint(200, 400))
                organisation.created_at = organisation.verified_at = checked
            db.session.add(organisation)
        organisations.append(organisation)
    db.session.flush()
    return organisations


def _signature(rng: random.Random, statement: Statement, organisation: Organisation, signed_at: datetime) -> Signature:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    listed = rng.random() > 0.06
    updates = rng.random() > 0.5
    return Signature(
        statement_id=statement.id,
        organisation_id=organisation.id,
        revision_id=statement.agreed_revision_id,
        status=SignatureStatus.PENDING,
        signer_name=name,
        signer_role=rng.choice(ROLES),
        signer_email=f"{slugify(name)}.{organisation.slug}@example.org",
        comment=rng.choice(("", "", "", "Our community feels this every day.", "Proud to stand with our partners.")),
        list_publicly=listed,
        wants_updates=updates,
        consent_text=consent_wording(listed, updates),
        consented_at=signed_at,
        created_at=signed_at,
    )


def _contact_choices(signature: Signature, authors: list[Author]) -> None:
    """Most signers let some of the authors contact them, a few none (drawn apart from the main sequence, so the
    rest of the demo stays as it was)."""
    rng = random.Random(signature.id)
    chosen = [author for author in authors if rng.random() > 0.35]
    signature.consent_text = consent_wording(
        signature.list_publicly, signature.wants_updates, [(author, author in chosen) for author in authors]
    )
    signature.consent_version = contacts.CONSENT_VERSION
    contacts.record_choices(signature, chosen, signed_at=signature.consented_at)


def load_demo_signatures() -> int:
    """Sign the open and closed demo statements; returns how many signatures were added."""
    rng = random.Random(2026)
    organisations = _organisations(rng)
    added = 0
    for slug, how_many in SIGNING.items():
        statement = db.session.scalar(sa.select(Statement).where(Statement.slug == slug))
        if statement is None or statement.agreed_revision_id is None:
            continue
        if db.session.scalar(sa.select(Signature.id).where(Signature.statement_id == statement.id).limit(1)):
            continue
        # Signed while it was open: more in the first days after opening, then a steady trickle.
        now = utcnow()
        until = min(statement.closed_at or now, now)
        opened = statement.opened_at or until - timedelta(days=42)
        authors = contacts.offered(statement)
        for organisation in rng.sample(organisations, how_many):
            signed_at = opened + (until - opened) * (1 - rng.random() ** 0.6)
            signature = _signature(rng, statement, organisation, signed_at)
            db.session.add(signature)
            db.session.flush()
            _contact_choices(signature, authors)
            added += 1
            outcome = rng.random()
            if outcome < 0.04 and now - signed_at < timedelta(days=7):
                continue  # still waiting for the emailed link to be followed
            signature.status = SignatureStatus.CONFIRMED
            signature.confirmed_at = min(signed_at + timedelta(minutes=rng.randint(2, 600)), until)
            count(signature, at=signature.confirmed_at)
            if outcome > 0.97:
                signature.status = SignatureStatus.WITHDRAWN
                signature.withdrawn_at = min(signature.confirmed_at + timedelta(days=2), now)
                signature.withdrawal_reason = "Our trustees decided not to take a position."
                uncount(signature, at=signature.withdrawn_at)
    return added
