"""Checking a printed pack: /verify/<digest> shows the list as held, and its canonical text to hash oneself."""

from __future__ import annotations

from flask import Response, render_template

from campaigns.submissions import queries
from campaigns.submissions.blueprint import bp
from campaigns.submissions.signatories import canonical_text, saved


@bp.get("/verify/<digest>")
def verify(digest: str) -> str:
    submission = queries.submission_by_digest(digest)
    rows = saved(submission)
    return render_template("submissions/verify.html", submission=submission, rows=rows, digest=submission.digest)


@bp.get("/verify/<digest>.txt")
def verify_text(digest: str) -> Response:
    submission = queries.submission_by_digest(digest)
    body = canonical_text(submission, saved(submission))
    response = Response(body, mimetype="text/plain")
    response.headers["Content-Disposition"] = f'inline; filename="{submission.digest}.txt"'
    return response
