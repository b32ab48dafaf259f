"""Recording submissions and responses, the frozen signatory list, lateness and reminders."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from campaigns.database import clock_at
from campaigns.errors import DomainError, PermissionDenied
from campaigns.extensions import db
from campaigns.signatures import services as signatures
from campaigns.submissions import lateness, queries, reminders, services, targets
from campaigns.submissions.lateness import Standing
from campaigns.submissions.models import (
    Channel,
    ReminderSent,
    ResponseKind,
    Stance,
    Submission,
    SubmissionSignatory,
    SubmissionStatus,
    TargetKind,
)
from campaigns.submissions.seed import seed_targets
from campaigns.submissions.services import ResponseDetails, SubmissionDetails
from campaigns.submissions.targets import TargetDetails
from tests.factories import make_user
from tests.signatures.builders import confirmed, signing_organisation
from tests.statements.builders import partnership
from tests.submissions.builders import make_target, send, signed_statement

SENT = date(2026, 11, 2)  # a Monday; 20 working days later is Monday 30 November


def _names(submission: Submission) -> list[str]:
    rows = db.session.scalars(
        sa.select(SubmissionSignatory.name)
        .where(SubmissionSignatory.submission_id == submission.id)
        .order_by(SubmissionSignatory.position)
    )
    return list(rows)


def _respond(submission, kind=ResponseKind.FULL, received_on=date(2026, 11, 20), **fields):
    details = ResponseDetails(kind=kind, received_on=received_on, from_whom="The Minister", summary="Thanks.", **fields)
    response = services.record_response(submission, details, actor=_editor(submission), today=date(2026, 11, 25))
    db.session.commit()
    return response


def _editor(submission):
    return submission.recorded_by


def test_one_submission_is_recorded_per_target_with_the_expected_date_twenty_working_days_on(app):
    p = signed_statement()
    treasury, dwp = make_target("HM Treasury"), make_target("Department for Work and Pensions")
    first, second = send(p, treasury, dwp)
    assert {first.target_id, second.target_id} == {treasury.id, dwp.id}
    assert first.status == SubmissionStatus.SENT
    assert first.expected_by == date(2026, 11, 30)
    assert first.revision_id == p.statement.agreed_revision_id


def test_the_signatories_as_sent_stay_the_same_after_later_signatures_and_withdrawals(app):
    p = signed_statement("Alpha Trust", "Beta Council Services")
    [submission] = send(p)
    assert _names(submission) == ["Alpha Trust", "Beta Council Services"]
    assert submission.signatory_counts == {"vcs": 2}

    with clock_at(datetime(2026, 11, 5, 12, tzinfo=UTC)):
        late, late_signatory = signing_organisation("Gamma Foundation")
        confirmed(p.statement, late, late_signatory)
        alpha_signature = db.session.scalars(
            sa.select(signatures.Signature).where(signatures.Signature.statement_id == p.statement.id)
        ).first()
        signatures.withdraw(alpha_signature, actor=alpha_signature.signer, reason="Board decision")
        db.session.commit()
    db.session.expire_all()

    assert _names(submission) == ["Alpha Trust", "Beta Council Services"]
    assert db.session.get(Submission, submission.id).signatory_counts == {"vcs": 2}
    [later] = send(p, sent_on=date(2026, 11, 20))
    assert "Gamma Foundation" in _names(later)
    assert "Alpha Trust" not in _names(later)


def test_a_statement_that_is_not_agreed_cannot_be_sent(app):
    p = partnership()
    with pytest.raises(DomainError) as refused:
        services.record_submissions(
            p.statement,
            [make_target()],
            SubmissionDetails(channel=Channel.LETTER, sent_on=SENT),
            actor=p.council_editor,
            today=date(2026, 11, 25),
        )
    assert refused.value.status_code == 409
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 0


def test_a_sending_date_in_the_future_is_refused(app):
    p = signed_statement()
    with pytest.raises(DomainError, match="today or in the past"):
        send(p, make_target(), sent_on=date(2026, 11, 26), today=date(2026, 11, 25))


def test_a_target_of_another_statement_is_refused(app):
    p, other = signed_statement(), signed_statement("Other Trust")
    theirs = targets.create_target(
        TargetDetails(kind=TargetKind.OTHER, name="Their Forum"), actor=other.council_editor, statement=other.statement
    )
    db.session.commit()
    with pytest.raises(DomainError, match="from the list"):
        send(p, theirs)


def test_only_the_statements_editors_record_submissions(app):
    p = signed_statement()
    for outsider in (p.council_member, p.reviewer_member, make_user()):
        with pytest.raises(DomainError):
            services.record_submissions(
                p.statement,
                [make_target()],
                SubmissionDetails(channel=Channel.EMAIL, sent_on=SENT),
                actor=outsider,
                today=date(2026, 11, 25),
            )


def test_editors_add_only_targets_of_kind_other_and_only_admins_add_to_the_directory(app):
    p = signed_statement()
    with pytest.raises(DomainError):
        targets.create_target(
            TargetDetails(kind=TargetKind.DEPARTMENT, name="Made Up Dept"),
            actor=p.council_editor,
            statement=p.statement,
        )
    with pytest.raises(PermissionDenied):
        targets.create_target(TargetDetails(kind=TargetKind.OTHER, name="Forum"), actor=p.council_editor)
    own = targets.create_target(
        TargetDetails(kind=TargetKind.OTHER, name="Northshire Forum"), actor=p.council_editor, statement=p.statement
    )
    assert own in queries.targets_for(p.statement)
    assert own not in queries.targets_for()


def test_a_response_cannot_come_before_the_submission_was_sent(app):
    p = signed_statement()
    [submission] = send(p)
    with pytest.raises(DomainError, match="before the submission was sent"):
        _respond(submission, received_on=date(2026, 11, 1))


def test_an_acknowledgement_then_a_full_reply_move_the_status_on(app):
    p = signed_statement()
    [submission] = send(p)
    _respond(submission, ResponseKind.ACKNOWLEDGEMENT, received_on=date(2026, 11, 3))
    assert submission.status == SubmissionStatus.ACKNOWLEDGED
    _respond(submission, ResponseKind.FULL, stance=Stance.PARTLY, is_public=True)
    assert submission.status == SubmissionStatus.RESPONDED
    assert lateness.days_to_respond(submission) == 14
    assert len(submission.responses) == 2


def test_a_submission_becomes_overdue_then_very_overdue(app):
    p = signed_statement()
    [submission] = send(p)
    assert lateness.standing(submission, date(2026, 11, 30)) == Standing.AWAITING
    assert lateness.standing(submission, date(2026, 12, 1)) == Standing.OVERDUE
    assert lateness.waiting_days(submission, date(2026, 12, 1)) == 21
    # Twice 20 working days from 2 November, with Christmas Day and Monday 28 December (for Boxing Day) skipped.
    assert lateness.very_overdue_from(submission) == date(2026, 12, 30)
    assert lateness.standing(submission, date(2026, 12, 30)) == Standing.OVERDUE
    assert lateness.standing(submission, date(2026, 12, 31)) == Standing.VERY_OVERDUE


def test_a_promised_date_holds_off_overdue_until_it_passes(app):
    p = signed_statement()
    [submission] = send(p)
    _respond(submission, ResponseKind.HOLDING, received_on=date(2026, 11, 20), promised_by=date(2026, 12, 15))
    assert lateness.standing(submission, date(2026, 12, 10)) == Standing.AWAITING
    assert lateness.standing(submission, date(2026, 12, 16)) == Standing.OVERDUE


def test_reminders_go_to_the_editors_once_per_transition(app, deliver):
    p = signed_statement()
    send(p, make_target("HM Treasury"))
    deliver()  # the signatures' own emails
    assert reminders.send_reminders(date(2026, 11, 30)).sent == []

    run = reminders.send_reminders(date(2026, 12, 1))
    assert [kind for _, kind in run.sent] == ["overdue"]
    received = deliver()
    assert {r.recipients[0] for r in received} == {
        p.council_editor.email,
        p.charity_editor.email,
        p.charity_admin.email,
    }
    assert all("HM Treasury is overdue" in r.subject for r in received)

    assert reminders.send_reminders(date(2026, 12, 2)).sent == []
    db.session.commit()
    assert deliver() == []

    assert [kind for _, kind in reminders.send_reminders(date(2026, 12, 31)).sent] == ["very_overdue"]
    assert reminders.send_reminders(date(2027, 1, 4)).sent == []
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReminderSent)) == 2


def test_a_passed_promise_is_reminded_once_and_an_answered_submission_never(app):
    p = signed_statement()
    [late, answered] = send(p, make_target("HM Treasury"), make_target("Cabinet Office"))
    _respond(late, ResponseKind.HOLDING, received_on=date(2026, 11, 20), promised_by=date(2026, 12, 15))
    _respond(answered, ResponseKind.FULL, received_on=date(2026, 11, 20))
    assert reminders.send_reminders(date(2026, 12, 10)).sent == []
    run = reminders.send_reminders(date(2026, 12, 16))
    assert [(s.id, k) for s, k in run.sent] == [(late.id, "promise_passed")]
    assert reminders.send_reminders(date(2026, 12, 17)).sent == []


def test_the_starting_targets_are_seeded_once(app):
    assert seed_targets() == 20
    assert seed_targets() == 0
    names = {t.name for t in queries.targets_for()}
    assert {"HM Treasury", "Public Accounts Committee", "Local Government Association"} <= names


def test_a_promise_earlier_than_the_expected_date_is_reminded_when_it_passes(app):
    p = signed_statement()
    [submission] = send(p)
    _respond(submission, ResponseKind.HOLDING, received_on=date(2026, 11, 5), promised_by=date(2026, 11, 12))
    assert [kind for _, kind in reminders.send_reminders(date(2026, 11, 13)).sent] == ["promise_passed"]
    assert reminders.send_reminders(date(2026, 11, 16)).sent == []
