def test_the_home_page_says_what_common_ground_is_for(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "Councils and the voluntary sector, lobbying together" in page.text
    assert "Create an account" in page.text


def test_the_accessibility_statement_and_privacy_notice_are_linked_from_every_page(client):
    page = client.get("/organisations")
    assert 'href="/accessibility"' in page.text
    assert 'href="/privacy"' in page.text
    assert "Accessibility statement for Common Ground" in client.get("/accessibility").text
    assert "Privacy notice" in client.get("/privacy").text
