"""Submissions as tests need them: an agreed statement with signatories, targets, and submissions. All committed."""

from __future__ import annotations

from datetime import date

from campaigns.extensions import db
from campaigns.submissions import services
from campaigns.submissions.models import Channel, Submission, Target, TargetKind
from campaigns.submissions.services import SubmissionDetails, TargetDetails
from tests.signatures.builders import confirmed, open_statement, signing_organisation
from tests.statements.builders import Partnership


def make_target(name: str = "HM Treasury", kind: TargetKind = TargetKind.DEPARTMENT, **fields: str) -> Target:
    target = services.create_target(TargetDetails(kind=kind, name=name, **fields), actor=None)
    db.session.commit()
    return target


def signed_statement(*names: str) -> Partnership:
    """An open statement that the organisations named have signed and confirmed."""
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
