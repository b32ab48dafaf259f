"""Demo organisations and the people in them, in every role, for `flask seed-demo` (see campaigns/demo.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.accounts.passwords import hash_password
from campaigns.database import utcnow
from campaigns.extensions import db
from campaigns.organisations.models import Membership, Organisation, OrganisationKind, Role
from campaigns.slugs import slugify

DEMO_PASSWORD = "common-ground-demo"

C, V, P = OrganisationKind.COUNCIL, OrganisationKind.VCS, OrganisationKind.PUBLIC_BODY

# name, kind, subtype, region, verified, identifiers, description
ORGANISATIONS: list[tuple[str, OrganisationKind, str | None, str, bool, dict[str, str], str]] = [
    (
        "Northshire County Council",
        C,
        "county",
        "north_east",
        True,
        {"gss_code": "E10000901"},
        "A largely rural county council serving 600,000 people across market towns and upland villages.",
    ),
    (
        "Wexdale District Council",
        C,
        "district",
        "yorkshire_and_the_humber",
        True,
        {"gss_code": "E07000901"},
        "A rural district of dales and farming communities, with the sparsest population in the region.",
    ),
    (
        "Calderbridge Metropolitan Borough Council",
        C,
        "metropolitan_borough",
        "north_west",
        True,
        {"gss_code": "E08000901"},
        "A metropolitan borough of former mill towns working to bring good jobs back to its high streets.",
    ),
    (
        "London Borough of Eastwick",
        C,
        "london_borough",
        "london",
        True,
        {"gss_code": "E09000901"},
        "An inner London borough with one of the youngest and most diverse populations in England.",
    ),
    (
        "Severnvale Council",
        C,
        "unitary",
        "south_west",
        True,
        {"gss_code": "E06000901"},
        "A unitary authority covering a river valley of small towns and a long rural coastline.",
    ),
    (
        "Fenmarsh District Council",
        C,
        "district",
        "east_of_england",
        True,
        {"gss_code": "E07000902"},
        "A fenland district where most residents live in villages a long way from the nearest services.",
    ),
    (
        "Moorland and Dales Council",
        C,
        "unitary",
        "east_midlands",
        True,
        {"gss_code": "E06000902"},
        "A rural unitary council for moorland, dales and the market towns between them.",
    ),
    (
        "Kingsford City Council",
        C,
        "unitary",
        "west_midlands",
        True,
        {"gss_code": "E06000903"},
        "A city council working with its voluntary sector on employment support and the cost of living.",
    ),
    (
        "Coastal Downs District Council",
        C,
        "district",
        "south_east",
        False,
        {"gss_code": "E07000903"},
        "A coastal district with seasonal work and high housing costs.",
    ),
    (
        "Little Widford Parish Council",
        C,
        "town_or_parish",
        "south_east",
        True,
        {},
        "A parish council for a village of 1,200 people.",
    ),
    (
        "Tyneholm Town Council",
        C,
        "town_or_parish",
        "north_east",
        False,
        {},
        "A town council for a former shipbuilding town.",
    ),
    (
        "Northshire Community Foundation",
        V,
        "charity",
        "north_east",
        True,
        {"charity_number": "1190001"},
        "Raises and gives grants to community groups across Northshire.",
    ),
    (
        "Wexdale Rural Community Council",
        V,
        "infrastructure_body",
        "yorkshire_and_the_humber",
        True,
        {"charity_number": "1190002"},
        "Supports village halls, parish councils and community groups across the dales.",
    ),
    (
        "Calderbridge CVS",
        V,
        "infrastructure_body",
        "north_west",
        True,
        {"charity_number": "1190003", "company_number": "09100003"},
        "The council for voluntary service for Calderbridge: training, funding advice and a voice for the sector.",
    ),
    (
        "Eastwick Food Bank",
        V,
        "charity",
        "london",
        True,
        {"charity_number": "1190004"},
        "Emergency food and advice for people in crisis, with volunteers from every part of the borough.",
    ),
    (
        "Severnvale Citizens Advice",
        V,
        "charity",
        "south_west",
        True,
        {"charity_number": "1190005"},
        "Free, independent advice on benefits, debt, housing and work.",
    ),
    (
        "Fenmarsh Village Halls Network",
        V,
        "community_group",
        "east_of_england",
        True,
        {},
        "Volunteers who run 40 village halls, sharing what works.",
    ),
    (
        "Moorland Young Carers",
        V,
        "charity",
        "east_midlands",
        True,
        {"charity_number": "1190007"},
        "Breaks, groups and support at school for children who care for a family member.",
    ),
    (
        "Kingsford Refugee Welcome",
        V,
        "community_group",
        "west_midlands",
        False,
        {},
        "Friendship, English classes and help finding work for people rebuilding their lives.",
    ),
    (
        "Dales Credit Union",
        V,
        "social_enterprise",
        "yorkshire_and_the_humber",
        True,
        {"company_number": "IP030009"},
        "Affordable loans and savings for people the banks turn away.",
    ),
    (
        "Coastal Downs Faith Forum",
        V,
        "faith_group",
        "south_east",
        True,
        {},
        "Churches, mosques, gurdwaras and temples working together on local need.",
    ),
    (
        "Tyneholm Men's Shed",
        V,
        "community_group",
        "north_east",
        False,
        {},
        "A workshop and a cup of tea: tackling loneliness among older men.",
    ),
    (
        "National Association of Rural Charities",
        V,
        "infrastructure_body",
        "uk_wide",
        True,
        {"charity_number": "1190012"},
        "Represents charities working in rural communities across the UK.",
    ),
    (
        "Riverside Tenants' Association",
        V,
        "community_group",
        "london",
        True,
        {},
        "The voice of 900 households on the Riverside estate.",
    ),
    (
        "Kingsford Works",
        V,
        "social_enterprise",
        "west_midlands",
        True,
        {"company_number": "09100014"},
        "Employment support and paid placements for people far from the job market.",
    ),
    (
        "Severnvale Disability Rights",
        V,
        "charity",
        "south_west",
        True,
        {"charity_number": "1190015"},
        "Run by and for disabled people: advice, advocacy and campaigning.",
    ),
    (
        "Northshire Older People's Forum",
        V,
        "charity",
        "north_east",
        True,
        {"charity_number": "1190016"},
        "Makes sure older people's voices are heard in local decisions.",
    ),
    (
        "Calderbridge Mosque Welfare Trust",
        V,
        "faith_group",
        "north_west",
        True,
        {"charity_number": "1190017"},
        "Welfare support, a community kitchen and youth work, open to all.",
    ),
    (
        "Fenmarsh Community Transport",
        V,
        "social_enterprise",
        "east_of_england",
        True,
        {"company_number": "09100018"},
        "Minibuses and volunteer drivers for people who cannot get to services any other way.",
    ),
    (
        "Mid Wales Rural Action",
        V,
        "charity",
        "wales",
        True,
        {"charity_number": "1190019"},
        "Supports rural communities across Powys and Ceredigion.",
    ),
    (
        "Eastwick Youth Hub",
        V,
        "other",
        "london",
        True,
        {},
        "Youth clubs, mentoring and careers help for young people aged 11 to 25.",
    ),
    (
        "Northshire Integrated Care Board",
        P,
        None,
        "north_east",
        True,
        {},
        "Plans and pays for NHS services across Northshire.",
    ),
]


@dataclass(frozen=True)
class DemoPerson:
    name: str
    email: str
    memberships: tuple[tuple[str, Role], ...]
    platform_admin: bool = False


PEOPLE = [
    DemoPerson("Pat Okafor", "admin@demo.example.org", (), platform_admin=True),
    DemoPerson("Jo Whitfield", "jo.whitfield@northshire.example.org", (("Northshire County Council", Role.ADMIN),)),
    DemoPerson("Sam Patel", "sam.patel@northshire.example.org", (("Northshire County Council", Role.EDITOR),)),
    DemoPerson("Cllr Helen Lee", "cllr.lee@northshire.example.org", (("Northshire County Council", Role.SIGNATORY),)),
    DemoPerson("Alex Byrne", "alex.byrne@northshire.example.org", (("Northshire County Council", Role.MEMBER),)),
    DemoPerson(
        "Priya Shah", "priya@northshire-foundation.example.org", (("Northshire Community Foundation", Role.ADMIN),)
    ),
    DemoPerson(
        "Tom Reid", "tom@northshire-foundation.example.org", (("Northshire Community Foundation", Role.EDITOR),)
    ),
    DemoPerson(
        "Margaret Doyle",
        "chair@northshire-foundation.example.org",
        (("Northshire Community Foundation", Role.SIGNATORY),),
    ),
    DemoPerson(
        "Chris Morgan",
        "chris.morgan@calderbridge-cvs.example.org",
        (("Calderbridge CVS", Role.ADMIN), ("Calderbridge Metropolitan Borough Council", Role.MEMBER)),
    ),
    DemoPerson(
        "Nadia Hussain",
        "nadia.hussain@calderbridge.example.org",
        (("Calderbridge Metropolitan Borough Council", Role.ADMIN),),
    ),
    DemoPerson(
        "Gareth Evans",
        "gareth@wexdale-rcc.example.org",
        (("Wexdale Rural Community Council", Role.ADMIN), ("Dales Credit Union", Role.SIGNATORY)),
    ),
    DemoPerson("Ruth Kaur", "ruth.kaur@wexdale.example.org", (("Wexdale District Council", Role.ADMIN),)),
    DemoPerson("Femi Adeyemi", "femi@eastwick-foodbank.example.org", (("Eastwick Food Bank", Role.ADMIN),)),
    DemoPerson(
        "Cllr Dan Murphy", "cllr.murphy@eastwick.example.org", (("London Borough of Eastwick", Role.SIGNATORY),)
    ),
    DemoPerson("Aisha Khan", "aisha.khan@eastwick.example.org", (("London Borough of Eastwick", Role.ADMIN),)),
]


def load_demo_organisations() -> dict[str, int]:
    """Add whatever demo organisations, people and memberships are missing; returns how many of each were added."""
    added: dict[str, int] = {"organisations": 0, "people": 0, "memberships": 0}
    now = utcnow()
    by_name: dict[str, Organisation] = {}
    for name, kind, subtype, region, verified, identifiers, description in ORGANISATIONS:
        slug = slugify(name)
        organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
        if organisation is None:
            organisation = Organisation(
                name=name, slug=slug, kind=kind, subtype=subtype, region=region, description=description, **identifiers
            )
            organisation.verified_at = now - timedelta(days=365) if verified else None  # before the statements
            db.session.add(organisation)
            added["organisations"] += 1
        by_name[name] = organisation

    password_hash = hash_password(DEMO_PASSWORD)
    for person in PEOPLE:
        user = db.session.scalar(sa.select(User).where(User.email == person.email))
        if user is None:
            user = User(name=person.name, email=person.email, password_hash=password_hash, email_verified_at=now)
            user.is_platform_admin = person.platform_admin
            db.session.add(user)
            added["people"] += 1
        db.session.flush()
        for organisation_name, role in person.memberships:
            organisation = by_name[organisation_name]
            exists = db.session.scalar(
                sa.select(Membership.id).where(
                    Membership.organisation_id == organisation.id, Membership.user_id == user.id
                )
            )
            if exists is None:
                db.session.add(Membership(organisation_id=organisation.id, user_id=user.id, role=role))
                added["memberships"] += 1
    db.session.flush()
    return added
