"""The floor: what these three pages cost on this stack with nothing but the work they need.

Raw Flask and psycopg, one connection per gunicorn worker, the queries a well-indexed design needs and a plain
template. Same database as the product (bench/stack.py builds it). Each response says in `X-Queries` how many SQL
statements it sent.

- GET /s/<slug>: the statement, its agreed text and lead organisation (one query), its counts (one query)
- GET /s/<slug>/signatories: the same, and the newest 20 public signatories read by key from the list's index
- POST /s/<slug>/sign: a visitor signs for an organisation by name: found by its name key (index), with a look at
  organisations sharing a word of its name (the word index), or added with its words indexed; one signature per
  organisation (ON CONFLICT on the unique constraint), the confirmation email in the outbox and the audit entry,
  in one transaction
"""

from __future__ import annotations

import json
import os
import re
import secrets
from typing import Any

import psycopg
from flask import Flask, abort, g, redirect, render_template_string, request

app = Flask(__name__)
DSN = os.environ["FLOOR_DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
_connection: psycopg.Connection | None = None

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ s.title }}</title>
<link rel="stylesheet" href="/static/app.css"></head><body><header><a href="/">Common Ground</a></header>
<main><h1>{{ s.title }}</h1><p>Led by {{ s.lead }}</p><p>{{ s.summary }}</p>
<p><strong>{{ "{:,}".format(total) }}</strong> organisations have signed
({% for kind, n in counts %}{{ kind }}: {{ "{:,}".format(n) }}{% if not loop.last %}, {% endif %}{% endfor %})</p>
{% if signatories is none %}<div>{{ s.body }}</div><ol>{% for ask in s.asks %}<li>{{ ask }}</li>{% endfor %}</ol>
<form method="post" action="/s/{{ s.slug }}/sign"><label for="name">Organisation</label>
<input id="name" name="organisation_name"><button>Sign</button></form>
{% else %}<table><thead><tr><th>Organisation</th><th>Signed by</th><th>Comment</th></tr></thead><tbody>
{% for row in signatories %}<tr><td>{{ row[0] }}</td><td>{{ row[1] }}, {{ row[2] }}</td><td>{{ row[3] }}</td></tr>
{% endfor %}</tbody></table>
{% if signatories %}<a href="?after={{ signatories[-1][4] }}" rel="next">Older</a>{% endif %}
{% endif %}</main></body></html>"""

COMMON = {"and", "of", "for", "the", "in", "on", "at", "to", "a"}


def connection() -> psycopg.Connection:
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(DSN)
    return _connection


def sql(query: str, parameters: Any = None) -> psycopg.Cursor:
    g.queries = g.get("queries", 0) + 1
    return connection().execute(query, parameters)


@app.after_request
def count(response: Any) -> Any:
    response.headers["X-Queries"] = str(g.get("queries", 0))
    return response


@app.teardown_request
def finish(_error: object) -> None:
    if _connection is not None and not _connection.closed:
        _connection.rollback()


def statement(slug: str) -> dict[str, Any]:
    row = sql(
        "SELECT s.id, s.slug, r.title, r.summary, r.body, r.asks, o.name, s.agreed_revision_id FROM statements s "
        "JOIN revisions r ON r.id = s.agreed_revision_id JOIN organisations o ON o.id = s.lead_organisation_id "
        "WHERE s.slug = %s AND s.stage = 'open'",
        (slug,),
    ).fetchone()
    if row is None:
        abort(404)
    keys = ("id", "slug", "title", "summary", "body", "asks", "lead", "revision_id")
    return dict(zip(keys, row, strict=True))


def counts(statement_id: int) -> list[tuple[str, int]]:
    return sql(
        "SELECT kind, sum(count) FROM signature_counts WHERE statement_id = %s GROUP BY kind ORDER BY kind",
        (statement_id,),
    ).fetchall()


@app.get("/s/<slug>")
def show(slug: str) -> str:
    s = statement(slug)
    found = counts(s["id"])
    return render_template_string(PAGE, s=s, counts=found, total=sum(n for _, n in found), signatories=None)


@app.get("/s/<slug>/signatories")
def signatories(slug: str) -> str:
    s = statement(slug)
    found = counts(s["id"])
    after = request.args.get("after", type=int)
    rows = sql(
        "SELECT o.name, sg.signer_name, sg.signer_role, sg.comment, sg.id FROM signatures sg "
        "JOIN organisations o ON o.id = sg.organisation_id WHERE sg.statement_id = %s AND sg.status = 'confirmed' "
        "AND sg.list_publicly AND (%s::int IS NULL OR sg.id < %s) ORDER BY sg.confirmed_at DESC, sg.id DESC LIMIT 20",
        (s["id"], after, after),
    ).fetchall()
    return render_template_string(PAGE, s=s, counts=found, total=sum(n for _, n in found), signatories=rows)


def name_key(name: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", name.lower()))[:200]


@app.post("/s/<slug>/sign")
def sign(slug: str) -> Any:
    form = request.form
    name, email = form.get("organisation_name", "").strip(), form.get("email", "").strip()
    if not name or "@" not in email:
        abort(400)
    s = statement(slug)
    key = name_key(name)
    found = sql("SELECT id FROM organisations WHERE name_key = %s AND name_twin = 0", (key,)).fetchone()
    # Near-duplicates: organisations sharing a word of the name, through the word index (a few, to offer).
    sql(
        "SELECT o.id, o.name FROM organisations o WHERE o.id IN (SELECT organisation_id FROM organisation_words "
        "WHERE word = ANY(%s) ORDER BY word, organisation_id LIMIT 100)",
        ([word for word in key.split() if word not in COMMON],),
    ).fetchall()
    if found is None:
        slug_of = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:100] + "-" + secrets.token_hex(3)
        organisation_id = sql(
            "INSERT INTO organisations (name, slug, kind, subtype, region, description, name_key, created_at, "
            "updated_at) VALUES (%s, %s, 'vcs', 'charity', 'london', '', %s, now(), now()) "
            "ON CONFLICT (name_key, name_twin) DO UPDATE SET updated_at = now() RETURNING id",
            (name, slug_of, key),
        ).fetchone()[0]
        words = [(word, organisation_id) for word in dict.fromkeys(key.split()) if word not in COMMON]
        g.queries += 1
        insert_words = "INSERT INTO organisation_words (word, organisation_id) VALUES (%s, %s)"
        connection().cursor().executemany(insert_words, words)
    else:
        organisation_id = found[0]
    nonce = secrets.token_hex(16)
    signed = sql(
        "INSERT INTO signatures (statement_id, organisation_id, revision_id, status, signer_name, signer_role, "
        "signer_email, comment, consent_text, consented_at, nonce, created_at) "
        "VALUES (%s, %s, %s, 'pending', %s, %s, %s, %s, 'List us publicly', now(), %s, now()) "
        "ON CONFLICT (statement_id, organisation_id) DO NOTHING RETURNING id",
        (
            s["id"],
            organisation_id,
            s["revision_id"],
            form.get("signer_name", ""),
            form.get("signer_role", ""),
            email,
            form.get("comment", "")[:500],
            nonce,
        ),
    ).fetchone()
    if signed is None:
        connection().rollback()
        return "Already signed", 409
    sql(
        "INSERT INTO outbox_messages (recipient, subject, text_body, headers, message_id, status, next_attempt_at, "
        "created_at, updated_at) VALUES (%s, %s, %s, '{}', %s, 'queued', now(), now(), now())",
        (
            email,
            f"Confirm your signature on {s['title']}",
            f"Confirm: https://example.org/confirm/{nonce}",
            f"<{nonce}@floor.example>",
        ),
    )
    sql(
        "INSERT INTO audit_events (created_at, organisation_id, action, object_type, object_id, detail) "
        "VALUES (now(), %s, 'signature.signed', 'statements', %s, %s)",
        (organisation_id, s["id"], json.dumps({"signature": signed[0]})),
    )
    connection().commit()
    return redirect(f"/s/{slug}/sign/sent", 303)
