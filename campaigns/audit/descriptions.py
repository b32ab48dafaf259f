"""What each audit action means, in words, for the activity pages. Unknown actions show their code."""

from __future__ import annotations

from campaigns.audit.models import AuditEvent
from campaigns.organisations.models import Role
from campaigns.statements.models import ParticipantRole

DESCRIPTIONS = {
    "account.registered": "Created an account",
    "account.registered_again": "Registered again before confirming the email address",
    "account.email_verified": "Confirmed their email address",
    "account.signed_in": "Signed in",
    "account.sign_in_failed": "Failed to sign in (wrong password)",
    "account.signed_out": "Signed out",
    "account.password_reset_requested": "Asked for a password reset link",
    "account.password_reset": "Reset their password",
    "account.password_changed": "Changed their password",
    "account.name_changed": "Changed their name",
    "account.email_change_requested": "Asked to change their email address",
    "account.email_changed": "Changed their email address",
    "account.platform_admin_granted": "Was made a platform admin",
    "account.data_export_requested": "Asked for a copy of their data",
    "account.deleted": "Deleted their account (name and email address erased)",
    "account.deleted_by_platform_admin": "Deleted an account at its owner's request (name and email address erased)",
    "organisation.member_account_deleted": "A member's account was deleted, so their membership ended",
    "organisation.created": "Added the organisation",
    "organisation.updated": "Changed the organisation's profile",
    "organisation.verified": "Verified the organisation",
    "organisation.verification_withdrawn": "Withdrew the organisation's verification",
    "organisation.member_invited": "Invited someone to join",
    "organisation.invitation_renewed": "Sent an invitation again",
    "organisation.invitation_accepted": "Accepted an invitation to join",
    "organisation.invitation_declined": "Declined an invitation to join",
    "organisation.invitation_revoked": "Cancelled an invitation",
    "organisation.member_role_changed": "Changed a member's role",
    "organisation.member_removed": "Removed a member",
    "organisation.member_left": "Left the organisation",
    "api_token.created": "Made an API token",
    "api_token.revoked": "Revoked an API token",
    "api_token.used": "A program read data with an API token",
    "statement.created": "Started the statement",
    "statement.revised": "Saved a new revision",
    "statement.restored": "Restored an earlier revision",
    "statement.topics_changed": "Changed the topics",
    "statement.participant_invited": "Invited an organisation to take part",
    "statement.invitation_withdrawn": "Withdrew an invitation to take part",
    "statement.invitation_accepted": "Agreed to take part",
    "statement.invitation_declined": "Declined to take part",
    "statement.participant_stepped_down": "Stepped down from the statement",
    "statement.proposed": "Proposed a revision for agreement",
    "statement.approved": "Agreed the proposed revision",
    "statement.changes_requested": "Asked for changes to the proposed revision",
    "statement.agreed": "Every co-author agreed the revision",
    "statement.opened": "Opened the statement for signatures",
    "statement.closed": "Closed the statement to new signatures",
    "statement.amendment_outdated": "An amendment no longer fits the current text",
    "statement.comment_added": "Commented on the statement",
    "statement.comment_replied": "Replied to a comment",
    "statement.comment_resolved": "Resolved a comment",
    "statement.comment_reopened": "Reopened a comment",
    "statement.amendment_proposed": "Proposed an amendment",
    "statement.amendment_accepted": "Accepted an amendment",
    "statement.amendment_rejected": "Rejected an amendment",
    "statement.amendment_withdrawn": "Withdrew their amendment",
    "signature.signed": "Signed the statement for the organisation (to be confirmed by email)",
    "signature.confirmed": "Confirmed the organisation's signature",
    "signature.withdrawn": "Withdrew the organisation's signature",
    "signature.hidden": "Hid a signature from the list and the counts",
    "signature.reconfirmed": "Confirmed the signature for the newer agreed text",
    "signature.lapsed": "A signature of an earlier version stopped counting",
    "signature.counts_again": "A signature of an earlier version counts again (the time limit was changed)",
    "signature.settings_changed": "Changed the signature settings",
    "signature.private_link_renewed": "Made a new private link to sign (the old one stopped working)",
    "demo.loaded": "Loaded the demo data",
    "target.added": "Added a target to send statements to",
    "target.updated": "Changed a target",
    "target.retired": "Retired a target",
    "target.restored": "Restored a retired target",
    "submission.recorded": "Recorded the statement sent to a target",
    "submission.sent": "Recorded a planned submission as sent",
    "submission.dates_changed": "Changed when a reply is expected",
    "submission.closed": "Closed a submission",
    "submission.response_recorded": "Logged a reply",
    "submission.file_attached": "Attached a file to a submission",
    "submission.reminder_overdue": "Reminded the editors that a reply is overdue",
    "submission.reminder_very_overdue": "Reminded the editors that a reply is very overdue",
    "submission.reminder_promise_passed": "Reminded the editors that a promised reply date passed",
    "webhook.endpoint_added": "Added a webhook endpoint",
    "webhook.endpoint_removed": "Removed a webhook endpoint",
    "webhook.endpoint_disabled": "Turned off a webhook endpoint",
    "webhook.endpoint_enabled": "Turned a webhook endpoint back on",
    "webhook.sent_again": "Sent a webhook delivery again",
    "webhook.secret_rotated": "Rotated the signing secret of a webhook endpoint",
}

#: Detail keys shown with a label; any other key is shown as it is.
DETAIL_LABELS = {
    "changed": "Changed",
    "email": "Email address",
    "role": "Role",
    "old": "Before",
    "new": "After",
    "reason": "Reason",
    "revision": "Revision",
    "name": "Name",
    "title": "Title",
    "invited": "Organisation",
    "user_id": "Person (id)",
    "amendment": "Amendment",
    "paragraph": "Paragraph",
    "comment": "Comment (id)",
}


#: Roles as stored (an organisation member's, a statement participant's), as people read them.
ROLE_NAMES = {str(role): role.label for role in (*Role, *ParticipantRole)}


def describe(event: AuditEvent) -> str:
    return DESCRIPTIONS.get(event.action, event.action)


def detail_rows(event: AuditEvent) -> list[tuple[str, str]]:
    rows = []
    for key, value in (event.detail or {}).items():
        if isinstance(value, dict):
            # {"name": ["Old", "New"]}: what changed, from what, to what.
            text = "; ".join(
                f"{field.replace('_', ' ')} from ‘{change[0] or ''}’ to ‘{change[1] or ''}’"
                if isinstance(change, list) and len(change) == 2
                else f"{field}: {change}"
                for field, change in value.items()
            )
        elif isinstance(value, list):
            text = ", ".join(str(item) for item in value)
        elif isinstance(value, bool):
            text = "Yes" if value else "No"
        else:
            text = ROLE_NAMES.get(str(value), str(value)) if key in ("role", "old", "new") else str(value)
        rows.append((DETAIL_LABELS.get(key, key.replace("_", " ").capitalize()), text))
    return rows
