"""Pages for the organisations taking part: invite, answer an invitation, step down."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from campaigns.errors import NotFound, PermissionDenied
from campaigns.extensions import db
from campaigns.http import parse_id
from campaigns.organisations.acting import acting_for
from campaigns.organisations.models import Organisation
from campaigns.pages import render_form
from campaigns.statements import participation, queries
from campaigns.statements.blueprint import bp, visible_statement
from campaigns.statements.forms import InviteParticipantForm, RespondForm, StepDownForm
from campaigns.statements.models import Participant, ParticipantRole, Statement
from campaigns.statements.permissions import Action, organisations_for


@bp.route("/statements/<slug>/participants", methods=["GET", "POST"])
@login_required
def participants(slug: str) -> str | Response | tuple[str, int]:
    statement = visible_statement(slug)
    q = " ".join(request.args.get("q", "").split())[:100]
    form = InviteParticipantForm()
    status = 200
    if form.is_submitted():
        if not form.validate():
            status = 400
        else:
            organisation_id = parse_id(form.organisation_id.data)
            organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
            if organisation is None:
                raise NotFound("We could not find that organisation.")
            try:
                participation.invite(
                    statement,
                    organisation,
                    ParticipantRole(form.role.data),
                    actor=current_user,
                    acting_for=acting_for(),
                )
            except participation.AlreadyTakingPart as error:
                flash(error.message, "info")
                return redirect(url_for("statements.participants", slug=slug))
            db.session.commit()
            flash(f"We have invited {organisation.name} and emailed its admins.", "success")
            return redirect(url_for("statements.participants", slug=slug))
    return render_template(
        "statements/participants.html",
        statement=statement,
        participants=queries.participants(statement),
        may_manage=bool(organisations_for(current_user, statement, Action.MANAGE_PARTICIPANTS)),
        q=q,
        candidates=queries.matching_organisations(statement, q),
        form=form,
    ), status


@bp.post("/statements/<slug>/participants/<id:participant_id>/withdraw")
@login_required
def withdraw_invitation(slug: str, participant_id: int) -> Response:
    statement = visible_statement(slug)
    participant = _participant(statement, participant_id)
    participation.withdraw_invitation(statement, participant, actor=current_user, acting_for=acting_for())
    db.session.commit()
    flash(f"The invitation to {participant.organisation.name} has been withdrawn.", "success")
    return redirect(url_for("statements.participants", slug=slug))


def _participant(statement: Statement, participant_id: int) -> Participant:
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.statement_id != statement.id:
        raise NotFound("We could not find that organisation in this statement.")
    return participant


def _own_participant(statement: Statement, action: Action) -> Participant:
    """The participant row of the organisation the signed-in person answers for."""
    organisations = organisations_for(current_user, statement, action)
    if not organisations:
        raise PermissionDenied("None of your organisations can do this for this statement.")
    chosen = acting_for()
    organisation = next((o for o in organisations if chosen and o.id == chosen.id), organisations[0])
    participant = queries.participant_for(statement, organisation.id)
    assert participant is not None
    return participant


@bp.route("/statements/<slug>/invitation", methods=["GET", "POST"])
@login_required
def invitation(slug: str) -> str | Response | tuple[str, int]:
    statement = visible_statement(slug)
    participant = _own_participant(statement, Action.RESPOND)
    form = RespondForm()
    if not form.validate_on_submit():
        return render_form("statements/invitation.html", form, statement=statement, participant=participant)
    accept = form.answer.data == "accept"
    participation.respond(statement, participant, actor=current_user, accept=accept, reason=form.reason.data or "")
    db.session.commit()
    if accept:
        flash(
            f"{participant.organisation.name} is now a {participant.role.label.lower()} of this statement.", "success"
        )
        return redirect(url_for("statements.workspace", slug=slug))
    flash(f"You have declined for {participant.organisation.name}. The lead organisation has been told.", "success")
    return redirect(url_for("statements.mine"))


@bp.route("/statements/<slug>/step-down", methods=["GET", "POST"])
@login_required
def step_down(slug: str) -> str | Response | tuple[str, int]:
    statement = visible_statement(slug)
    participant = _own_participant(statement, Action.STEP_DOWN)
    form = StepDownForm()
    if not form.validate_on_submit():
        return render_form("statements/step_down.html", form, statement=statement, participant=participant)
    participation.step_down(statement, participant, actor=current_user, reason=form.reason.data or "")
    db.session.commit()
    flash(f"{participant.organisation.name} no longer takes part in this statement.", "success")
    return redirect(url_for("statements.mine"))
