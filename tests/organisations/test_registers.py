"""Register look-ups against a local HTTP server that answers as the Charity Commission's register API and
Companies House's public data API document, never the network; and org-id.guide identifiers."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.organisations.identifiers import org_id
from campaigns.organisations.models import Organisation
from tests.factories import make_user
from tests.signatures.builders import confirmed, open_statement, signing_organisation

CHARITY_KEY, COMPANY_KEY = "cc-test-key", "ch-test-key"

#: Answers in the shapes the registers document (fields trimmed to those read, plus a few others).
CHARITIES = {
    "1234567": {"reg_charity_number": 1234567, "group_subsid_suffix": 0, "charity_name": "EASTWICK FOOD BANK",
                "charity_type": "Charitable company", "reg_status": "R", "date_of_registration": "2012-04-01T00:00:00",
                "date_of_removal": None, "charity_co_reg_number": "07654321"},
    "1099999": {"reg_charity_number": 1099999, "group_subsid_suffix": 0, "charity_name": "OLD TOWN TRUST",
                "charity_type": "Trust", "reg_status": "RM", "date_of_registration": "2003-06-01T00:00:00",
                "date_of_removal": "2021-03-31T00:00:00"},
}  # fmt: skip
COMPANIES = {
    "07654321": {"company_name": "EASTWICK FOOD BANK LIMITED", "company_number": "07654321",
                 "company_status": "active", "type": "private-limited-guarant-nsc"},
    "01234567": {"company_name": "GONE AWAY LTD", "company_number": "01234567", "company_status": "dissolved",
                 "date_of_cessation": "2019-11-05", "type": "ltd"},
}  # fmt: skip


class Registers(BaseHTTPRequestHandler):
    requests: list[tuple[str, dict[str, str]]] = []

    def do_GET(self) -> None:
        Registers.requests.append((self.path, dict(self.headers)))
        found = None
        if self.path.startswith("/charities/allcharitydetailsV2/"):
            number, suffix = self.path.split("/")[-2:]
            if self.headers.get("Ocp-Apim-Subscription-Key") != CHARITY_KEY:
                return self._send(401, {"statusCode": 401, "message": "Access denied due to invalid subscription key."})
            found = CHARITIES.get(number) if suffix == "0" else None
        elif self.path.startswith("/companies/company/"):
            expected = "Basic " + base64.b64encode(f"{COMPANY_KEY}:".encode()).decode()
            if self.headers.get("Authorization") != expected:
                return self._send(401, {"error": "Invalid Authorization", "type": "ch:service"})
            found = COMPANIES.get(self.path.rsplit("/", 1)[-1])
        if found is None:
            return self._send(404, {"errors": [{"error": "company-profile-not-found", "type": "ch:service"}]})
        return self._send(200, found)

    def _send(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def registers(app) -> Iterator[type[Registers]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Registers)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    before = {
        k: app.config.get(k)
        for k in (
            "CHARITY_COMMISSION_API_KEY",
            "CHARITY_COMMISSION_API_URL",
            "COMPANIES_HOUSE_API_KEY",
            "COMPANIES_HOUSE_API_URL",
        )
    }
    app.config.update(
        CHARITY_COMMISSION_API_KEY=CHARITY_KEY,
        CHARITY_COMMISSION_API_URL=f"{base}/charities",
        COMPANIES_HOUSE_API_KEY=COMPANY_KEY,
        COMPANIES_HOUSE_API_URL=f"{base}/companies",
    )
    Registers.requests = []
    yield Registers
    app.config.update(before)
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def form(**fields: str) -> dict[str, str]:
    return {"name": "Eastwick Food Bank", "kind": "vcs", "subtype": "charity", "region": "london", **fields}


def test_a_charity_number_typed_fills_the_official_name_and_status_from_the_register(client, registers):
    client.login(make_user())
    response = client.post("/organisations/new", data=form(charity_number="1234567"))
    assert response.status_code == 302
    organisation = db.session.scalar(sa.select(Organisation))
    assert organisation.register_name == "EASTWICK FOOD BANK"
    assert organisation.register_status == "Charity Commission: Registered" and not organisation.register_flagged
    page = client.get(response.headers["Location"]).text
    assert "GB-CHC-1234567" in page and "EASTWICK FOOD BANK" in page and "Warning" not in page
    [(path, headers)] = registers.requests
    assert path == "/charities/allcharitydetailsV2/1234567/0" and headers["Ocp-Apim-Subscription-Key"] == CHARITY_KEY


def test_a_removed_charity_and_a_dissolved_company_are_flagged_on_the_page_and_in_the_owners_list(client, registers):
    admin = make_user()
    client.login(admin)
    client.post("/organisations/new", data=form(name="Old Town Trust", charity_number="1099999"))
    client.post(
        "/organisations/new", data=form(name="Gone Away", subtype="social_enterprise", company_number="1234567")
    )
    old, gone = db.session.scalars(sa.select(Organisation).order_by(Organisation.id)).all()
    assert old.register_flagged and old.register_status == "Charity Commission: Removed from the register on 2021-03-31"
    assert gone.register_flagged and gone.register_status == "Companies House: Dissolved on 2019-11-05"
    assert "Removed from the register" in client.get(f"/organisations/{old.slug}").text

    p = open_statement()
    confirmed(p.statement, gone, admin)
    client.login(p.council_editor)
    owners = client.get(f"/statements/{p.statement.slug}/signatures").text
    assert "Companies House: Dissolved on 2019-11-05" in owners


def test_a_number_the_register_does_not_know_is_flagged_and_a_register_that_fails_changes_nothing(app, registers):
    from campaigns.organisations import registers as lookups

    unknown, _ = signing_organisation("Nobody Trust", charity_number="1000001")
    assert lookups.refresh(unknown).status == "Not on the register"
    app.config.update(CHARITY_COMMISSION_API_KEY="wrong-key")
    known, _ = signing_organisation("Somebody Trust", charity_number="1234567")
    assert lookups.refresh(known) is None and known.register_status is None  # 401: not asked successfully


def test_without_api_keys_only_the_format_is_checked(client):
    client.login(make_user())
    assert client.post("/organisations/new", data=form(charity_number="12AB")).status_code == 400
    assert client.post("/organisations/new", data=form(charity_number="1234567")).status_code == 302
    assert db.session.scalar(sa.select(Organisation.register_status)) is None


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        (("1234567", None, None), "GB-CHC-1234567"),
        (("SC012345", "SC123456", None), "GB-SC-SC012345"),
        (("NIC100002", None, None), "GB-NIC-100002"),
        ((None, "07654321", None), "GB-COH-07654321"),
        ((None, None, "E07000163"), "E07000163"),
        ((None, None, None), None),
    ],
)
def test_identifiers_follow_org_id_guide(numbers, expected):
    assert org_id(*numbers) == expected
