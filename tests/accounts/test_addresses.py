import pytest

from campaigns.accounts.addresses import email_problem, normalise_email


def test_addresses_are_trimmed_and_lower_cased():
    assert normalise_email("  Jane.Smith@Example.ORG ") == "jane.smith@example.org"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", "Enter an email address"),
        ("   ", "Enter an email address"),
        ("jane", "Enter an email address in the correct format, like name@example.org"),
        ("jane@", "Enter an email address in the correct format, like name@example.org"),
        ("jane@@example.org", "Enter an email address in the correct format, like name@example.org"),
        ("a" * 310 + "@example.org", "Email address must be 320 characters or fewer"),
        ("jösé@example.org", "Enter an email address using only unaccented letters, numbers and symbols like . _ - +"),
    ],
)
def test_malformed_addresses_get_a_message_a_person_can_act_on(raw, problem):
    assert email_problem(raw) == problem


def test_a_normal_address_is_accepted():
    assert email_problem("cllr.lee@northshire.gov.uk") is None
