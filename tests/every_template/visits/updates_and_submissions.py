"""Email updates (writing, approving, sending, unsubscribing) and submissions (targets, replies, packs)."""

from __future__ import annotations

from flask import current_app

from campaigns.submissions.dashboard_views import calendar_key
from tests.every_template.tour import as_each, emailed, visit
from tests.every_template.world import World

#: The co-authors' editors write updates; their signatories approve them. Nobody else sees them before they go.
UPDATES = {
    "anonymous": 302,
    "outsider": 404,
    "member": 403,
    "reviewer": 403,
    "coauthor": 200,
    "signatory": 200,
    "lead": 200,
}
EDITORS = {**UPDATES, "signatory": 403}


def email_updates(w: World) -> None:
    base = f"/statements/{w.slug}/updates"
    title = w.p.statement.current_revision.title
    as_each(w, base, UPDATES, title)
    visit(w.client("lead"), f"/statements/{w.closed.slug}/updates", heading="Protect the Household Support Fund")
    as_each(w, f"{base}/new", EDITORS, "Write an update")
    visit(w.client("lead"), f"{base}/new", 400, "Write an update", method="POST", data={"subject": ""})
    draft = f"{base}/{w.draft_update.id}"
    as_each(w, f"{draft}/edit", EDITORS, "Change the update")
    as_each(w, draft, UPDATES, w.draft_update.title)
    as_each(w, f"{draft}/recipients", UPDATES, f"Who will get ‘{w.draft_update.title}’")
    visit(w.client("lead"), f"{draft}/email", shows=w.draft_update.body)
    visit(w.client("lead"), f"{draft}/test", 303, method="POST")
    emailed(w.p.council_editor.email, "mailing_test")
    sent = f"{base}/{w.sent.id}"
    as_each(w, f"{sent}/progress", UPDATES, w.sent.title)
    visit(w.client("lead"), f"{sent}/progress.json")
    # The lead's editors choose whether updates need approving; a choice left out is asked again.
    visit(w.client("lead"), f"{base}/settings", 400, "Approving updates", method="POST", data={})
    visit(w.client("coauthor"), f"{base}/settings", 403, method="POST", data={})


def approving_an_update(w: World) -> None:
    awaiting = f"/statements/{w.slug}/updates/{w.awaiting_update.id}"
    visit(w.client("signatory"), awaiting, heading=w.awaiting_update.title)
    back = f"{awaiting}/send-back"
    visit(w.client("signatory"), back, 400, w.awaiting_update.title, method="POST", data={"reason": ""})
    visit(w.client("signatory"), back, 303, method="POST", data={"reason": "Say thank you first."})
    emailed(w.p.council_editor.email, "mailing_returned")


def unsubscribing(w: World) -> None:
    email = w.s.wanting[0].signer_email
    link = w.unsubscribe_link(email)
    title = w.p.statement.agreed_revision.title
    visit(w.client("anonymous"), link, heading=f"Stop updates about ‘{title}’")
    visit(w.client("anonymous"), link, heading="Updates stopped", method="POST")
    visit(w.client("anonymous"), link, 400, "You have already stopped these updates")
    visit(w.client("anonymous"), f"{link}/all", heading="All updates stopped", method="POST")


def targets(w: World) -> None:
    as_each(w, "/targets/new", {"anonymous": 302, "lead": 403, "admin": 200}, "Add a target")
    visit(w.client("admin"), "/targets/new", 400, "Add a target", method="POST", data={"name": ""})
    edit = f"/targets/{w.target.slug}/edit"
    as_each(w, edit, {"anonymous": 302, "lead": 403, "admin": 200}, f"Edit {w.target.name}")


def submissions(w: World) -> None:
    title = w.p.statement.current_revision.title
    base = f"/statements/{w.slug}"
    # Where it was sent and every reply: the people of the co-author organisations only; reviewers see the public page.
    seeing = {"anonymous": 302, "outsider": 404, "reviewer": 403, "member": 200, "coauthor": 200, "lead": 200}
    editing = {**seeing, "member": 403}
    as_each(w, f"{base}/submissions", seeing, title)
    as_each(w, f"{base}/submissions/new", editing, "Record a submission")
    visit(w.client("lead"), f"{base}/submissions/new", 400, "Record a submission", method="POST", data={})
    as_each(w, f"{base}/targets/new", editing, "Add another body to send to")
    one = f"{base}/submissions/{w.submission.id}"
    as_each(w, one, seeing, f"Sent to {w.submission.target.name}")
    private = f"{base}/submissions/{w.private_submission_id}"
    as_each(w, private, seeing, "Sent to Target for")
    visit(w.client("coauthor"), f"{private}/attachments/{w.attachment_id}")
    as_each(w, f"{one}/responses/new", editing, f"Log a reply from {w.submission.target.name}")
    visit(w.client("lead"), f"{one}/responses/new", 400, "Log a reply", method="POST", data={})
    as_each(w, f"{one}/pack", seeing, w.submission.revision.title)
    visit(w.client("lead"), f"{one}/pack.pdf")


def dashboards_and_reminders(w: World) -> None:
    council = w.p.council
    dashboard = f"/organisations/{council.slug}/submissions"
    as_each(w, dashboard, {"anonymous": 302, "outsider": 403, "member": 200, "lead": 200}, "Submissions")
    visit(w.client("lead"), f"{dashboard}?show=awaiting", heading="Submissions")
    visit(w.client("anonymous"), f"{dashboard}/{calendar_key(council)}.ics")
    # The daily job emails the editors about replies that are overdue.
    result = current_app.test_cli_runner().invoke(args=["send-reminders", "--today", "2027-03-01"])
    assert result.exit_code == 0, result.output
    emailed(w.p.council_editor.email, "submission_reminder")


VISITS = [email_updates, approving_an_update, unsubscribing, targets, submissions, dashboards_and_reminders]
