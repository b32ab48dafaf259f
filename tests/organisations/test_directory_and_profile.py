from campaigns.organisations.models import OrganisationKind
from tests.factories import make_organisation, make_user


def test_the_public_profile_shows_name_kind_region_badge_and_description(client):
    organisation = make_organisation(
        "Moorland Young Carers",
        region="east_midlands",
        description="Breaks for young carers.",
        website="https://carers.example.org",
        contact_email="hello@carers.example.org",
    )
    page = client.get(f"/organisations/{organisation.slug}")
    assert page.status_code == 200
    for text in ("Moorland Young Carers", "Charity", "East Midlands", "Verified", "Breaks for young carers."):
        assert text in page.text
    assert '<a class="govuk-link" href="https://carers.example.org" rel="nofollow noopener ugc">' in page.text
    assert 'href="mailto:hello@carers.example.org"' in page.text
    assert "Your membership" not in page.text


def test_the_directory_filters_by_kind_region_and_name(client):
    make_organisation("Fenmarsh District Council", kind=OrganisationKind.COUNCIL, region="east_of_england")
    make_organisation("Fenmarsh Food Bank", region="east_of_england")
    make_organisation("Eastwick Food Bank", region="london")
    page = client.get("/organisations?kind=council").text
    assert "Fenmarsh District Council" in page and "Food Bank" not in page
    page = client.get("/organisations?region=london").text
    assert "Eastwick Food Bank" in page and "Fenmarsh" not in page
    page = client.get("/organisations?q=food%20bank").text
    assert "Eastwick Food Bank" in page and "Fenmarsh Food Bank" in page and "Fenmarsh District" not in page


def test_a_search_for_percent_signs_matches_only_percent_signs(client):
    make_organisation("Plain Name")
    assert "Plain Name" not in client.get("/organisations?q=%25").text


def test_the_directory_pages_by_name_without_repeats_or_gaps(client):
    names = [f"Group {n:02d}" for n in range(30)]
    for name in reversed(names):
        make_organisation(name)
    first = client.get("/organisations").text
    assert "Group 24" in first and "Group 25" not in first
    next_link = first[first.index("after=") : first.index('"', first.index("after="))]
    second = client.get(f"/organisations?{next_link}").text
    assert "Group 25" in second and "Group 29" in second and "Group 24" not in second
    assert 'rel="next"' not in second


def test_nonsense_filters_show_an_empty_list_not_an_error(client):
    page = client.get("/organisations?kind=army&region=atlantis&after=abc&q=" + "x" * 500)
    assert page.status_code == 200


def test_flashed_messages_are_shown_in_a_notification_banner_as_text(client):
    user = make_user()
    client.login(user)
    client.post("/account/name", data={"name": "<b>Bold</b> Name"})
    page = client.get("/account").text
    assert '<p class="govuk-notification-banner__heading">Your name has been changed.</p>' in page
    assert "&lt;b&gt;Bold&lt;/b&gt; Name" in page
