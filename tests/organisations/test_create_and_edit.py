import sqlalchemy as sa

from campaigns.audit.models import AuditEvent
from campaigns.extensions import db
from campaigns.organisations.models import Membership, Organisation, OrganisationKind, Role
from tests.factories import add_member, make_organisation, make_user

COUNCIL = {
    "name": "Northshire County Council",
    "kind": "council",
    "subtype": "county",
    "region": "north_east",
    "website": "www.northshire.gov.uk",
    "contact_email": "Enquiries@Northshire.gov.uk",
    "description": "A rural county.",
    "gss_code": "e10000 901",
}


def test_anyone_signed_in_can_add_an_organisation_and_becomes_its_admin(client):
    user = make_user()
    client.login(user)
    response = client.post("/organisations/new", data=COUNCIL)
    assert response.status_code == 302
    organisation = db.session.scalar(sa.select(Organisation))
    assert response.headers["Location"] == f"/organisations/{organisation.slug}"
    assert organisation.slug == "northshire-county-council"
    assert organisation.kind == OrganisationKind.COUNCIL
    assert organisation.subtype == "county"
    assert organisation.website == "https://www.northshire.gov.uk"
    assert organisation.contact_email == "enquiries@northshire.gov.uk"
    assert organisation.gss_code == "E10000901"
    assert not organisation.is_verified
    membership = db.session.scalar(sa.select(Membership))
    assert (membership.user_id, membership.role) == (user.id, Role.ADMIN)
    assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.organisation_id == organisation.id)) == (
        "organisation.created"
    )

    page = client.get(response.headers["Location"])
    assert "Northshire County Council" in page.text
    assert "Unverified" in page.text
    assert "You are an admin of Northshire County Council" in page.text
    assert page.text.count("E10000901") == 1 and "Identifier (GSS code)" not in page.text  # shown once, as its GSS code


def test_a_second_organisation_of_the_same_name_is_added_only_when_confirmed_different_and_gets_its_own_address(
    client,
):
    client.login(make_user())
    client.post("/organisations/new", data=COUNCIL)
    second = {**COUNCIL, "name": "The Northshire County Council", "gss_code": ""}
    asked = client.post("/organisations/new", data=second)
    assert asked.status_code == 409 and "already on Common Ground" in asked.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 1
    client.post("/organisations/new", data={**second, "different": "y"})
    rows = db.session.execute(sa.select(Organisation.slug, Organisation.name_twin).order_by(Organisation.id)).all()
    assert rows == [("northshire-county-council", 0), ("the-northshire-county-council", 1)]
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "organisation.confirmed_different")
        )
        == 1
    )


def test_an_organisation_called_new_does_not_hide_the_add_page(client):
    client.login(make_user())
    client.post("/organisations/new", data={**COUNCIL, "name": "New"})
    assert db.session.scalar(sa.select(Organisation.slug)) == "new-2"
    assert client.get("/organisations/new").status_code == 200


def test_adding_an_organisation_asks_its_kind_first_then_the_questions_for_that_kind(client):
    client.login(make_user())
    first = client.get("/organisations/new")
    assert "What kind of organisation are you adding?" in first.text
    assert 'method="get"' in first.text
    council = client.get("/organisations/new?kind=council").text
    assert "What type of council is it?" in council and "County council" in council and "Charity" not in council
    assert "GSS code" in council
    vcs = client.get("/organisations/new?kind=vcs").text
    assert "What type of organisation is it?" in vcs and "Social enterprise" in vcs and "GSS code" not in vcs
    other = client.get("/organisations/new?kind=public_body").text
    assert "What type of" not in other


def test_an_unknown_kind_asks_again_with_a_message(client):
    client.login(make_user())
    page = client.get("/organisations/new?kind=army")
    assert page.status_code == 400
    assert "Choose what kind of organisation it is" in page.text


def test_the_type_must_be_one_of_that_kinds_types(client):
    client.login(make_user())
    for kind, subtype, message in (
        ("vcs", "", "Select the type of organisation"),
        ("vcs", "county", "Select the type of organisation"),
        ("council", "charity", "Select the type of council"),
    ):
        page = client.post(
            "/organisations/new", data={"name": "Food Bank", "kind": kind, "subtype": subtype, "region": "london"}
        )
        assert page.status_code == 400
        assert f'<a href="#subtype">{message}</a>' in page.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def test_another_public_body_has_no_subtype(client):
    client.login(make_user())
    client.post("/organisations/new", data={"name": "Northshire ICB", "kind": "public_body", "region": "london"})
    organisation = db.session.scalar(sa.select(Organisation))
    assert (organisation.kind, organisation.subtype) == (OrganisationKind.PUBLIC_BODY, None)


def test_identifiers_are_checked_for_format(client):
    client.login(make_user())
    page = client.post(
        "/organisations/new",
        data={
            "name": "Food Bank",
            "kind": "vcs",
            "subtype": "charity",
            "region": "london",
            "charity_number": "12AB",
            "company_number": "ABC",
            "gss_code": "E07000163",
            "website": "not a website",
            "contact_email": "nope",
        },
    )
    assert page.status_code == 400
    assert "Enter a registered charity number in the correct format" in page.text
    assert "Enter a company number in the correct format" in page.text
    assert "Only councils have a GSS code" in page.text
    assert "Enter a website address in the correct format" in page.text
    assert "Enter an email address in the correct format" in page.text


def test_identifiers_are_normalised(client):
    client.login(make_user())
    client.post(
        "/organisations/new",
        data={
            "name": "Scottish Charity",
            "kind": "vcs",
            "subtype": "charity",
            "region": "scotland",
            "charity_number": "sc 012345",
            "company_number": "123456",
        },
    )
    organisation = db.session.scalar(sa.select(Organisation))
    assert (organisation.charity_number, organisation.company_number) == ("SC012345", "00123456")


def test_unknown_choices_and_oversized_fields_are_refused(client):
    client.login(make_user())
    page = client.post(
        "/organisations/new",
        data={"name": "x" * 201, "kind": "vcs", "subtype": "army", "region": "atlantis", "description": "y" * 2001},
    )
    assert page.status_code == 400
    for message in (
        "Name must be 200 characters or fewer",
        "Select the type of organisation",
        "Select a region",
        "Description must be 2000 characters or fewer",
    ):
        assert message in page.text


def test_adding_an_organisation_needs_a_signed_in_person(client):
    assert client.get("/organisations/new").status_code == 302
    # A form sent while signed out is kept: the person is asked to sign in and send it again.
    kept = client.post("/organisations/new", data=COUNCIL)
    assert kept.status_code == 401
    assert "Sign in to finish what you were doing" in kept.text and 'value="Northshire County Council"' in kept.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)) == 0


def _edit_form(organisation, **changes):
    data = {
        "name": organisation.name,
        "kind": organisation.kind.value,
        "subtype": organisation.subtype,
        "region": organisation.region,
        "description": organisation.description,
        "version": str(organisation.version),
    }
    return {**data, **changes}


def test_an_admin_edits_the_profile(client):
    admin = make_user()
    organisation = make_organisation("Food Bank", admin=admin)
    client.login(admin)
    form = client.get(f"/organisations/{organisation.slug}/edit")
    assert 'value="Food Bank"' in form.text
    response = client.post(
        f"/organisations/{organisation.slug}/edit", data=_edit_form(organisation, description="Feeding people.")
    )
    assert response.status_code == 302
    assert db.session.get(Organisation, organisation.id).description == "Feeding people."
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "organisation.updated"))
    assert event.detail["changed"] == {"description": ["", "Feeding people."]}


def test_only_admins_edit_the_profile(client):
    organisation = make_organisation()
    editor = add_member(organisation, role=Role.EDITOR).user
    client.login(editor)
    assert client.get(f"/organisations/{organisation.slug}/edit").status_code == 403
    response = client.post(f"/organisations/{organisation.slug}/edit", data=_edit_form(organisation, name="Hijacked"))
    assert response.status_code == 403
    assert db.session.get(Organisation, organisation.id).name != "Hijacked"


def test_two_admins_editing_at_once_never_overwrite_each_other(client, app):
    first, second = make_user(), make_user()
    organisation = make_organisation("Food Bank", admin=first)
    add_member(organisation, second, Role.ADMIN)
    stale = _edit_form(organisation)
    other_browser = app.test_client()
    other_browser.login(second)
    other_browser.post(f"/organisations/{organisation.slug}/edit", data={**stale, "description": "Second's words."})

    client.login(first)
    page = client.post(f"/organisations/{organisation.slug}/edit", data={**stale, "name": "Food Bank North"})
    assert page.status_code == 409
    assert "Someone else saved this profile while you were editing it" in page.text
    assert "<title>Error: " in page.text
    assert page.text.index("Someone else saved") < page.text.index("<h1")
    assert "saved as ‘Second&#39;s words.’" in page.text
    assert 'value="Food Bank North"' in page.text
    saved = db.session.get(Organisation, organisation.id)
    assert (saved.name, saved.description) == ("Food Bank", "Second's words.")

    # Saving again from the conflict page is a deliberate choice, made with the latest version in hand.
    assert f'name="version" type="hidden" value="{saved.version}"' in page.text
    again = client.post(
        f"/organisations/{organisation.slug}/edit",
        data={**stale, "name": "Food Bank North", "description": "Second's words.", "version": str(saved.version)},
    )
    assert again.status_code == 302
    saved = db.session.get(Organisation, organisation.id)
    assert (saved.name, saved.description) == ("Food Bank North", "Second's words.")


def test_an_admin_can_change_the_kind_of_organisation(client):
    admin = make_user()
    organisation = make_organisation("Parish Hall Trust", admin=admin)
    client.login(admin)
    choose = client.get(f"/organisations/{organisation.slug}/edit/kind")
    assert "Change the kind of Parish Hall Trust" in choose.text
    form = client.get(f"/organisations/{organisation.slug}/edit?kind=council").text
    assert "What type of council is it?" in form and 'value="Parish Hall Trust"' in form
    response = client.post(
        f"/organisations/{organisation.slug}/edit",
        data={**_edit_form(organisation), "kind": "council", "subtype": "town_or_parish"},
    )
    assert response.status_code == 302
    saved = db.session.get(Organisation, organisation.id)
    assert (saved.kind, saved.subtype) == (OrganisationKind.COUNCIL, "town_or_parish")
