"""The buttons: each action that answers with a redirect, or with the page again when it is refused.

They run last, since they change the world the other visits read.
"""

from __future__ import annotations

from tests.every_template.tour import emailed, new_client, visit
from tests.every_template.world import World
from tests.factories import make_invitation, make_user


def sending_an_update(w: World) -> None:
    draft = f"/statements/{w.slug}/updates/{w.draft_update.id}"
    visit(w.client("lead"), f"{draft}/request-approval", 303, method="POST")
    visit(w.client("signatory"), f"{draft}/approve", 303, method="POST")
    emailed(w.p.council_editor.email, "mailing_approved")
    visit(w.client("lead"), f"{draft}/send", 400, w.draft_update.title, method="POST", data={"when": "never"})
    # By now every signatory who wanted updates has withdrawn, been hidden or stopped them: there is nobody to send to.
    now = {"when": "now"}
    visit(w.client("lead"), f"{draft}/send", 400, method="POST", data=now, shows="Nobody would get this update")
    sent = f"/statements/{w.slug}/updates/{w.sent.id}"
    visit(w.client("lead"), f"{sent}/publish", 303, method="POST")  # no longer public
    visit(w.client("lead"), f"{sent}/cancel", 303, method="POST")  # what has not gone yet will not go


def answering_invitations(w: World) -> None:
    council = f"/organisations/{w.p.council.slug}/invitations"
    invitation = make_invitation(w.p.council, invited_by=w.p.council_editor)
    visit(w.client("lead"), f"{council}/{invitation.id}/resend", 302, method="POST")
    visit(w.client("lead"), f"{council}/{invitation.id}/revoke", 302, method="POST")
    visit(w.client("anonymous"), f"{w.invitation_link(make_invitation(w.p.council))}/decline", 302, method="POST")
    person, browser = make_user(), new_client()
    browser.login(person)
    visit(browser, f"{w.invitation_link(make_invitation(w.p.council, person.email))}/accept", 302, method="POST")


def working_on_a_draft(w: World) -> None:
    draft = f"/statements/{w.draft.slug}"
    # Accepting an amendment written from an older text that changed in the same place: reconcile it first.
    heading = f"Accept amendment {w.conflicting.number}: reconcile it with the current text"
    visit(w.client("lead"), f"{draft}/amendments/{w.conflicting.number}/accept", 409, heading, method="POST")
    visit(w.client("coauthor"), f"{draft}/amendments/{w.conflicting.number}/withdraw", 302, method="POST")
    visit(w.client("lead"), f"{draft}/comments/{w.comment.id}/resolve", 302, method="POST")
    visit(w.client("lead"), f"{draft}/comments/{w.comment.id}/reopen", 302, method="POST")
    visit(w.client("lead"), f"{draft}/participants/{w.invited.id}/withdraw", 302, method="POST")
    visit(w.client("lead"), f"{draft}/revisions/1/restore", 302, method="POST")
    visit(w.client("lead"), f"{draft}/propose", 302, method="POST")
    # Opening for signatures needs every co-author's agreement first.
    visit(w.client("lead"), f"{draft}/open", 400, "There is a problem with your request", method="POST")
    visit(w.client("lead"), f"/statements/{w.embargoed.slug}/close", 200, "Close ‘Employment support that works’")
    visit(w.client("lead"), f"/statements/{w.embargoed.slug}/close", 302, method="POST")
    private_link = f"/statements/{w.slug}/signatures/settings/private-link"
    visit(w.client("lead"), private_link, 303, method="POST")


def recording_submissions(w: World) -> None:
    one = f"/statements/{w.slug}/submissions/{w.submission.id}"
    heading = f"Sent to {w.submission.target.name}"
    visit(w.client("lead"), f"{one}/dates", 400, heading, method="POST", data={"expected_by": "soon"})
    visit(w.client("lead"), f"{one}/sent", 400, heading, method="POST", data={})
    visit(w.client("lead"), f"{one}/attachments", 400, heading, method="POST", data={})
    visit(w.client("lead"), f"{one}/close", 302, method="POST")
    visit(w.client("admin"), f"/targets/{w.target.slug}/retire", 302, method="POST")
    visit(w.client("anonymous"), "/static/dist/app.css")


VISITS = [sending_an_update, answering_invitations, working_on_a_draft, recording_submissions]
