"""Helpers for tests of comments and amendments: reading pages as a person would, and sending their forms."""

from __future__ import annotations

import html
import re

import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.statements import services
from campaigns.statements.merging import StatementText
from campaigns.statements.models import Statement
from tests.statements.builders import draft

_TAG = re.compile(r"<[^>]+>")


def page_text(response) -> str:
    """What a reader sees: the page's text without tags, entities decoded and spaces collapsed."""
    return " ".join(html.unescape(_TAG.sub(" ", response.text)).split())


def paragraph_on_page(response, index: int) -> str:
    """The text shown in and under paragraph `index` (from 0) of the workspace."""
    page = response.text
    start = page.rfind("<", 0, page.index(f'id="paragraph-{index}"'))
    following = page.find(f'id="paragraph-{index + 1}"', start)
    end = page.rfind("<", 0, following) if following != -1 else page.index("Our asks", start)
    return " ".join(html.unescape(_TAG.sub(" ", page[start:end])).split())


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def edit(statement: Statement, editor, *, body: str | None = None, **changes) -> None:
    """An editor saves a new revision from the current one, changing the body or other fields."""
    current = statement.current_revision
    old = services.text_of(current)
    text = StatementText(
        changes.get("title", old.title), changes.get("summary", old.summary), body or old.body, old.asks
    )
    services.save(statement, draft(text, tuple(statement.topic_values)), based_on=current, actor=editor)
    db.session.commit()


def amendment_form(statement: Statement, rationale: str = "It reads better.", **changes) -> dict[str, str]:
    """The amendment form as it is first shown (the current text), with `changes` and a rationale."""
    revision = statement.current_revision
    data = {
        "title": revision.title,
        "summary": revision.summary,
        "body": revision.body,
        "asks": "\n".join(revision.asks),
        "based_on": str(revision.id),
        "rationale": rationale,
    }
    return {**data, **changes}


def replace_paragraph(body: str, index: int, new: str) -> str:
    paragraphs = body.split("\n\n")
    paragraphs[index] = new
    return "\n\n".join(paragraphs)
