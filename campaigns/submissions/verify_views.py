"""Checking a printed pack: /verify/<digest> shows the list as held, and its canonical text to hash oneself."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Response, render_template

from campaigns.errors import NotFound
from campaigns.extensions import db
from campaigns.submissions.blueprint import bp
from campaigns.submissions.models import Submission
from campaigns.submissions.signatories import canonical_text, saved

DIGEST = re.compile(r"^[0-9a-f]{64}$")


def _held(digest: str) -> Submission:
    submission = (
        db.session.scalar(sa.select(Submission).where(Submission.digest == digest.lower()))
        if DIGEST.match(digest.lower())
        else None
    )
    if submission is None:
        raise NotFound(
            "No submission list has that digest. Check the address against the pack: it is 64 letters a to f and "
            "digits."
        )
    return submission


@bp.get("/verify/<digest>")
def verify(digest: str) -> str:
    submission = _held(digest)
    rows = saved(submission)
    return render_template("submissions/verify.html", submission=submission, rows=rows, digest=submission.digest)


@bp.get("/verify/<digest>.txt")
def verify_text(digest: str) -> Response:
    submission = _held(digest)
    body = canonical_text(submission, saved(submission))
    response = Response(body, mimetype="text/plain")
    response.headers["Content-Disposition"] = f'inline; filename="{submission.digest}.txt"'
    return response
