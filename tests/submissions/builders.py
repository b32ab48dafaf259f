"""Submissions as tests need them: an agreed statement with signatories, targets, and submissions. All committed."""

from __future__ import annotations

from datetime import UTC, date, datetime

from campaigns.database import clock_at
from campaigns.extensions import db
from campaigns.statements.models import Statement
from campaigns.submissions import services, targets, uploads
from campaigns.submissions.models import Attachment, Channel, Response, ResponseKind, Submission, Target, TargetKind
from campaigns.submissions.services import SubmissionDetails
from campaigns.submissions.targets import TargetDetails
from tests.signatures.builders import confirmed, open_statement, signing_organisation
from tests.statements.builders import Partnership


def make_target(name: str = "HM Treasury", kind: TargetKind = TargetKind.DEPARTMENT, **fields: str) -> Target:
    target = targets.create_target(TargetDetails(kind=kind, name=name, **fields), actor=None)
    db.session.commit()
    return target


#: When the statements built here were agreed, opened and signed: before every date the tests send on.
AGREED_AT = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def signed_statement(*names: str, at: datetime = AGREED_AT) -> Partnership:
    """A statement agreed and opened `at`, which the organisations named signed and confirmed then too."""
    with clock_at(at):
        p = open_statement()
        for name in names or ("Riverside Community Trust",):
            organisation, signatory = signing_organisation(name)
            confirmed(p.statement, organisation, signatory)
    return p


def send(
    p: Partnership, *targets: Target, sent_on: date | None = date(2026, 11, 2), today: date = date(2026, 11, 25)
) -> list[Submission]:
    submissions = services.record_submissions(
        p.statement,
        list(targets) or [make_target()],
        SubmissionDetails(channel=Channel.EMAIL, sent_on=sent_on, reference="REF-1", sent_by="Carla Council"),
        actor=p.council_editor,
        today=today,
    )
    db.session.commit()
    return submissions


def private_reply_with_a_file(statement: Statement) -> tuple[int, int]:
    """A submission of `statement` (at whatever stage) with a private reply and a file attached to it: ids of both."""
    lead = statement.lead_organisation
    submission = Submission(
        statement_id=statement.id,
        target_id=make_target(f"Target for {statement.slug}").id,
        revision_id=statement.current_revision_id,
        organisation_id=lead.id,
        channel=Channel.EMAIL,
        sent_on=date(2026, 11, 2),
        expected_by=date(2026, 11, 30),
    )
    db.session.add(submission)
    db.session.flush()
    reply = Response(
        submission_id=submission.id,
        kind=ResponseKind.FULL,
        received_on=date(2026, 11, 20),
        from_whom="Minister",
        summary="Not for publication: the minister's private view.",
        is_public=False,
    )
    db.session.add(reply)
    db.session.flush()
    attachment = Attachment(
        submission_id=submission.id,
        response_id=reply.id,
        filename="reply.pdf",
        content_type=uploads.PDF,
        size=12,
        stored_name=services.new_stored_name(),
    )
    (uploads.folder() / attachment.stored_name).write_bytes(b"%PDF-1.7\n%%EOF")
    db.session.add(attachment)
    db.session.commit()
    return submission.id, attachment.id
