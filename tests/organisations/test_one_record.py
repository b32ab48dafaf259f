"""One organisation, one record: names compared by key, near-duplicates offered, registered numbers unique, and
many people adding the same new names at once ending with one organisation per name."""

from collections import Counter
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.organisations.adding import add_while_signing
from campaigns.organisations.matching import THRESHOLD, closeness, likely_matches
from campaigns.organisations.models import Organisation, OrganisationKind
from campaigns.organisations.names import name_key
from campaigns.organisations.services import Profile
from campaigns.signatures.models import Signature
from tests.factories import make_organisation
from tests.signatures.builders import open_statement
from tests.support.concurrency import at_once


@pytest.mark.parametrize(
    "typed",
    [
        "Eastwick Foodbank",
        "The Eastwick Food Bank",
        "Eastwick Food Bank Ltd",
        "EASTWICK FOOD-BANK LIMITED",
        "eastwick  food bank, CIO",
    ],
)
def test_ways_of_writing_one_name_share_its_key(typed):
    assert name_key(typed) == name_key("Eastwick Food Bank") == "eastwick foodbank"


def test_the_key_reads_ampersands_saints_and_cvs_one_way():
    assert name_key("Carers & Families") == name_key("Carers and Families CIC")
    assert name_key("St Mary's Church") == name_key("Saint Marys Church")
    assert name_key("Calderbridge Council for Voluntary Service") == name_key("Calderbridge CVS")
    assert name_key("The Centre") == "centre" and name_key("The") == "the"


def test_near_duplicate_names_are_offered_the_organisation_already_here(app):
    food_bank = make_organisation("Eastwick Food Bank")
    make_organisation("Eastwick Youth Project")
    make_organisation("London Borough of Eastwick", kind=OrganisationKind.COUNCIL, subtype="london_borough")
    for typed in ("Eastwick Foodbank", "The Eastwick Food Bank", "Eastwick Food Bank Ltd", "Eastwik Food Bank"):
        assert [o.id for o in likely_matches(typed)][:1] == [food_bank.id], typed
    assert [o.name for o in likely_matches("Eastwick Community Food Bank")] == ["Eastwick Food Bank"]
    assert likely_matches("Hillside Tenants Group") == []


def test_signing_for_a_near_duplicate_asks_which_organisation_and_never_adds_one_unasked(client):
    p = open_statement()
    existing = make_organisation("Eastwick Food Bank")
    form = {
        "signer_name": "Femi Adeyemi",
        "signer_role": "Director",
        "email": "femi@eastwick.example.org",
        "organisation_name": "The Eastwick Foodbank Ltd",
        "list_publicly": "y",
    }
    asked = client.post(f"/s/{p.statement.slug}/sign", data=form)
    assert asked.status_code == 200 and "Eastwick Food Bank" in asked.text and "Is it one of these?" in asked.text
    # A form with the new organisation's details but no answer to the question adds nothing.
    again = client.post(
        f"/s/{p.statement.slug}/sign", data={**form, "organisation_type": "vcs:charity", "region": "london"}
    )
    assert again.status_code == 400 and "Select your organisation" in again.text
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Organisation).where(Organisation.name_key == "eastwick foodbank")
        )
        == 1
    )
    chosen = client.post(f"/s/{p.statement.slug}/sign", data={**form, "organisation_choice": str(existing.id)})
    assert chosen.status_code == 303
    assert db.session.scalar(sa.select(Signature.organisation_id)) == existing.id


def test_the_same_name_added_while_signing_without_saying_it_is_different_is_the_organisation_already_here(app):
    existing = make_organisation("Eastwick Food Bank")
    profile = Profile(name="Eastwick Foodbank", kind=OrganisationKind.VCS, subtype="charity", region="london")
    found, added = add_while_signing(profile)
    assert (found.id, added) == (existing.id, False)
    twin, added = add_while_signing(profile, distinct_from=[existing])
    db.session.commit()
    assert added and twin.id != existing.id and twin.name_twin == 1 and twin.confirmed_distinct_at is not None


def test_registered_numbers_are_unique_by_named_constraints(app):
    make_organisation("Alpha Trust", charity_number="1234567")
    with pytest.raises(sa.exc.IntegrityError, match=r"uq_organisations_charity_number|organisations\.charity_number"):
        make_organisation("Beta Trust", charity_number="1234567")
    db.session.rollback()


def test_a_charity_number_already_here_means_that_organisation_when_adding_one(client):
    from tests.factories import make_user

    make_organisation("Alpha Trust", charity_number="1234567")
    client.login(make_user())
    response = client.post(
        "/organisations/new",
        data={
            "name": "Alpha Charitable Trust",
            "kind": "vcs",
            "subtype": "charity",
            "region": "london",
            "charity_number": "1234567",
        },
    )
    assert response.status_code == 409 and "That charity number belongs to Alpha Trust" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1


def test_sixty_four_people_signing_for_fifteen_new_organisations_at_once_make_fifteen(app):
    p = open_statement()
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))
    towns = (
        "Ashby Barrow Castlemere Dunmore Elmstead Farleigh Greyhaven Hartwell Zennor Kelsey Lowick Netherby Oakridge"
    )
    names = [f"{town} Tenants Group" for town in towns.split()] + ["Pelham Credit Union", "Quarry Bank Youth Project"]
    # Fifteen names, none like another (or signing for one would rightly ask about the others).
    assert not [(a, b) for a in names for b in names if a < b and closeness(name_key(a), name_key(b)) >= THRESHOLD]
    path = f"/s/{p.statement.slug}/sign"
    clients = [app.test_client() for _ in range(64)]

    def attempt(n: int) -> Callable[[], int]:
        form = {
            "signer_name": f"Person {n}",
            "signer_role": "Chair",
            "email": f"person{n}@hillside.example.org",
            "organisation_name": names[n % 15] if n % 2 else names[n % 15].upper(),
            "organisation_type": "vcs:community_group",
            "region": "london",
            "list_publicly": "y",
        }
        return lambda: clients[n].post(path, data=form, environ_base={"REMOTE_ADDR": f"10.4.0.{n}"}).status_code

    statuses = Counter(at_once(*(attempt(n) for n in range(64))))

    assert statuses[303] == 15 and set(statuses) <= {303, 409}, statuses
    after = db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))
    assert after - before == 15
    assert db.session.scalar(sa.select(sa.func.count(sa.distinct(Signature.organisation_id)))) == 15
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Signature)) == 15


def test_many_adding_the_same_name_at_once_through_the_service_get_one_organisation(app):
    def add(n: int) -> Callable[[], bool]:
        def run() -> bool:
            with app.app_context():
                name = "Riverside Tenants" if n % 3 else "The Riverside Tenants Ltd"
                profile = Profile(name=name, kind=OrganisationKind.VCS, subtype="community_group", region="london")
                _organisation, added = add_while_signing(profile)
                db.session.commit()
                return added

        return run

    added = Counter(at_once(*(add(n) for n in range(30))))

    assert added == {True: 1, False: 29}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1
