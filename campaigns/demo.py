"""Demo data for `flask --app wsgi seed-demo`: councils and VCS organisations, people in every role.

Idempotent: organisations are matched by slug and people by email, so running it again adds only
what is missing. Everything is fictional; addresses are under example.org, which never receives mail.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.api.demo import load_demo_token
from campaigns.audit.services import record
from campaigns.consultations.demo import load_demo_consultations
from campaigns.extensions import db
from campaigns.mailings.demo import load_demo_updates
from campaigns.organisations.demo import PEOPLE, load_demo_organisations
from campaigns.signatures.demo import load_demo_signatures
from campaigns.statements.demo import load_demo_statements
from campaigns.submissions.demo import load_demo_submissions


def load_demo_data() -> dict[str, int]:
    """Add whatever demo data is missing, area by area. Returns what was added."""
    added: dict[str, Any] = {**load_demo_organisations()}
    added["statements"] = load_demo_statements()
    added["signatures"] = load_demo_signatures()
    added["submissions"] = load_demo_submissions()
    added["updates"] = load_demo_updates()
    added["api_tokens"] = load_demo_token()
    added["consultations"] = load_demo_consultations()
    record("demo.loaded", None, **added, actor=None)
    return added


def demo_loaded() -> bool:
    return db.session.scalar(sa.select(User.id).where(User.email == PEOPLE[0].email)) is not None


def database_is_empty() -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
