"""Accounts: registering, confirming an address, signing in, passwords, email, name, and forms kept over a sign-in."""

from __future__ import annotations

from tests.every_template.tour import as_each, emailed, emailed_link, new_client, visit
from tests.every_template.world import ROLES, World
from tests.factories import PASSWORD, make_user

SIGNED_IN = {role: 200 for role in ROLES if role != "anonymous"}
NEW_PASSWORD = "quietly humming orange lighthouse"


def account_pages(w: World) -> None:
    as_each(w, "/account", {"anonymous": 302, **SIGNED_IN}, "Your account")
    as_each(w, "/account/name", {"anonymous": 302, "newcomer": 200, "lead": 200}, "Change your name")
    as_each(w, "/account/password", {"anonymous": 302, "member": 200}, "Change your password")
    as_each(w, "/account/email", {"anonymous": 302, "reviewer": 200}, "Change your email address")
    as_each(
        w,
        "/account/acting-for",
        {"anonymous": 302, "lead": 200, "newcomer": 200},
        "Choose the organisation you are acting for",
    )


def registering(w: World) -> None:
    browser = new_client()
    visit(browser, "/account/register", heading="Create an account")
    visit(browser, "/account/register", 400, "Create an account", method="POST", data={"name": "Reg"})
    details = {"name": "Rhys Registrant", "email": "rhys@example.org", "password": NEW_PASSWORD}
    visit(browser, "/account/register", 302, method="POST", data=details)
    visit(browser, "/account/check-your-email", heading="Check your email")
    link = emailed_link("rhys@example.org", "verify_email", "/account/confirm/")
    visit(browser, link, heading="Confirm your email address")
    visit(browser, link, 302, method="POST")
    # Once used, the link is refused; and registering a confirmed address again tells its owner.
    visit(browser, link, 400, "There is a problem with this link", method="POST")
    visit(browser, "/account/register", 302, method="POST", data=details)
    emailed("rhys@example.org", "registration_attempt")
    visit(browser, "/account/confirm/resend", heading="Get a new link to confirm your email address")
    unconfirmed = make_user(verified=False)
    visit(browser, "/account/confirm/resend", 302, method="POST", data={"email": unconfirmed.email})
    emailed(unconfirmed.email, "confirm_choose_password")


def signing_in(w: World) -> None:
    person, browser = make_user(), new_client()
    visit(browser, "/sign-in", heading="Sign in")
    wrong = {"email": person.email, "password": "not the password"}
    visit(browser, "/sign-in", 400, "Sign in", method="POST", data=wrong)
    # A form sent after the session ended is kept while its sender signs in again.
    kept = {"name": "Nell Renamed"}
    visit(browser, "/account/name", 401, "Sign in to finish what you were doing", method="POST", data=kept)
    again = {**kept, "email": person.email, "password": PASSWORD, "resume_to": "/account/name"}
    visit(browser, "/sign-in/resume", 200, "You are signed in again", method="POST", data=again)
    # A form whose page expired (no valid CSRF token) is offered to send again.
    visit(browser, "/account/name", 400, "Your form could not be sent", method="POST", data=kept, csrf=False)
    visit(browser, "/sign-out", 302, method="POST")


def forgotten_password(w: World) -> None:
    forgetful = make_user()
    browser = new_client()
    visit(browser, "/account/password/forgotten", heading="Reset your password")
    visit(browser, "/account/password/forgotten", 302, method="POST", data={"email": forgetful.email})
    link = emailed_link(forgetful.email, "password_reset", "/account/password/reset/")
    visit(browser, link, heading="Choose a new password")
    visit(browser, link, 400, "Choose a new password", method="POST", data={"password": "short"})
    visit(browser, link, 302, method="POST", data={"password": NEW_PASSWORD})
    emailed(forgetful.email, "password_changed")
    visit(browser, link, 400, "There is a problem with this link")


def changing_password_name_and_email(w: World) -> None:
    person, browser = make_user(), new_client()
    browser.login(person)
    visit(browser, "/account/name", 302, method="POST", data={"name": "Someone Renamed"})
    wrong = {"current_password": "not it", "new_password": NEW_PASSWORD}
    visit(browser, "/account/password", 400, "Change your password", method="POST", data=wrong)
    right = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    visit(browser, "/account/password", 302, method="POST", data=right)
    emailed(person.email, "password_changed")
    taken = {"new_email": w.newcomer.email, "password": NEW_PASSWORD}
    visit(browser, "/account/email", 302, method="POST", data=taken)
    emailed(w.newcomer.email, "email_change_unavailable")
    moving = {"new_email": "moved@example.org", "password": NEW_PASSWORD}
    visit(browser, "/account/email", 302, method="POST", data=moving)
    emailed(person.email, "email_change_requested")
    link = emailed_link("moved@example.org", "email_change_confirm", "/account/email/confirm/")
    visit(browser, link, heading="Confirm your new email address")
    old_email = person.email
    visit(browser, link, 302, method="POST")
    emailed(old_email, "email_changed")
    visit(browser, link, 400, "There is a problem with this link", method="POST")


VISITS = [account_pages, registering, signing_in, forgotten_password, changing_password_name_and_email]
