"""Signatures follow what happens to statements and organisations, in the same transaction."""

from __future__ import annotations

from typing import Any

from campaigns.organisations.events import organisation_changed
from campaigns.organisations.models import Organisation
from campaigns.signatures import services
from campaigns.statements.events import revision_agreed, statement_opened
from campaigns.statements.models import Revision, Stage, Statement


@statement_opened.connect
def _prepare(statement: Statement, **_: Any) -> None:
    services.prepare_for_signatures(statement)


@revision_agreed.connect
def _ask_signatories(statement: Statement, *, revision: Revision, **_: Any) -> None:
    if statement.stage in (Stage.OPEN, Stage.CLOSED):
        services.ask_to_reconfirm(statement, revision)


@organisation_changed.connect
def _recount(organisation: Organisation, **_: Any) -> None:
    services.recount_organisation(organisation)
