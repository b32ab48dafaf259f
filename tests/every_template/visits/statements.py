"""Drafting a statement: its workspace and every page about it, as each role; amendments, comments, agreeing."""

from __future__ import annotations

from tests.every_template.tour import as_each, new_client, visit
from tests.every_template.world import World
from tests.statements.helpers import amendment_form

#: Who may read a draft: the people of the organisations taking part. Others are told it is not there.
READERS = {
    "anonymous": 302,
    "outsider": 404,
    "admin": 404,
    "newcomer": 404,
    "member": 200,
    "reviewer": 200,
    "coauthor": 200,
    "lead": 200,
}
#: Who may edit it: the editors of the lead and the co-authors.
EDITORS = {**READERS, "member": 403, "reviewer": 403}


def the_lists_of_statements(w: World) -> None:
    as_each(w, "/statements/mine", {"anonymous": 302, "newcomer": 200, "lead": 200, "reviewer": 200}, "Your statements")
    as_each(w, "/statements/new", {"anonymous": 302, "newcomer": 403, "member": 403, "lead": 200}, "Start a statement")
    visit(w.client("lead"), "/statements/new", 400, "Start a statement", method="POST", data={"title": ""})


def a_draft_and_its_history(w: World) -> None:
    draft = f"/statements/{w.draft.slug}"
    title = w.draft.current_revision.title
    as_each(w, draft, READERS, title)
    as_each(w, f"{draft}/edit", EDITORS, "Edit the statement")
    visit(w.client("lead"), f"{draft}/edit", 400, "Edit the statement", method="POST", data={"title": ""})
    as_each(w, f"{draft}/history", READERS, title)
    as_each(w, f"{draft}/compare", READERS, "Compare revisions 1 and 2")
    as_each(w, f"{draft}/activity", READERS, title)
    as_each(w, f"{draft}/revisions/1", READERS, title)
    as_each(w, f"{draft}/participants", READERS, title)
    visit(w.client("lead"), f"{draft}/participants?q=Unrelated", heading=title)


def amendments_and_comments(w: World) -> None:
    draft = f"/statements/{w.draft.slug}"
    as_each(w, f"{draft}/amendments", READERS, "Amendments")
    as_each(w, f"{draft}/amendments/{w.amendment.number}", READERS, f"Amendment {w.amendment.number}")
    as_each(w, f"{draft}/amendments/new", READERS, "Propose an amendment")
    as_each(
        w,
        f"{draft}/amendments/{w.conflicting.number}/resolve",
        EDITORS,
        f"Accept amendment {w.conflicting.number}: reconcile it with the current text",
    )
    as_each(w, f"{draft}/comments/new", READERS, "Comment on the statement")
    visit(w.client("reviewer"), f"{draft}/comments/new?paragraph=1", heading="Comment on paragraph 2")
    as_each(w, f"{draft}/comments/{w.comment.id}", READERS, "Comment by")
    # Sending them: a reply left empty, a comment, an amendment, and the lead rejecting one (its proposer is told).
    reply = f"{draft}/comments/{w.comment.id}/replies"
    visit(w.client("member"), reply, 400, "Comment by", method="POST", data={"body": ""})
    visit(w.client("reviewer"), f"{draft}/comments/new", 302, method="POST", data={"body": "A fair point."})
    proposed = amendment_form(w.draft, title="Fund councils fairly, now")
    visit(w.client("reviewer"), f"{draft}/amendments/new", 302, method="POST", data=proposed)
    reject = f"{draft}/amendments/{w.amendment.number}/reject"
    visit(w.client("lead"), reject, 400, f"Amendment {w.amendment.number}", method="POST", data={"reason": ""})
    visit(w.client("lead"), reject, 302, method="POST", data={"reason": "Not this time."})


def taking_part(w: World) -> None:
    draft = f"/statements/{w.draft.slug}"
    invited = new_client()
    invited.login(w.invited_admin)
    visit(invited, f"{draft}/invitation", heading="Take part in")
    visit(invited, f"{draft}/invitation", 400, "Take part in", method="POST", data={"answer": "maybe"})
    as_each(w, f"{draft}/invitation", {"coauthor": 403, "outsider": 404})
    as_each(w, f"{draft}/step-down", {"coauthor_admin": 200, "reviewer": 403, "outsider": 404}, "Step down from")


def agreeing(w: World) -> None:
    proposed = f"/statements/{w.proposed.slug}"
    heading = f"Does {w.p.charity.name} agree revision 1?"
    as_each(w, f"{proposed}/decide", {"signatory": 200, "coauthor": 403, "outsider": 404}, heading)
    visit(w.client("signatory"), f"{proposed}/decide", 400, heading, method="POST", data={"decision": ""})
    changes = {"decision": "changes_requested", "comment": "Cite the figures.", "revision": ""}
    changes["revision"] = str(w.proposed.proposed_revision_id)
    visit(w.client("signatory"), f"{proposed}/decide", 302, method="POST", data=changes)


VISITS = [the_lists_of_statements, a_draft_and_its_history, amendments_and_comments, taking_part, agreeing]
