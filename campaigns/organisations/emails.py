"""Email about organisations and their members. Each function only queues a message."""

from __future__ import annotations

from collections.abc import Iterable

from campaigns.accounts.models import User
from campaigns.organisations.models import Invitation, Organisation, Role
from campaigns.outbox.services import queue_email
from campaigns.tokens import make_token
from campaigns.urls import external_url


def invitation_token(invitation: Invitation) -> str:
    return make_token("invitation", {"i": invitation.id, "e": invitation.email})


def send_invitation(invitation: Invitation, inviter: User) -> None:
    queue_email(
        invitation.email,
        "invitation",
        invitation=invitation,
        organisation=invitation.organisation,
        inviter=inviter,
        link=external_url("organisations.invitation", token=invitation_token(invitation)),
    )


def send_invitation_answered(invitation: Invitation, admins: Iterable[User], accepted: bool) -> None:
    for admin in admins:
        queue_email(
            admin.email,
            "invitation_answered",
            invitation=invitation,
            organisation=invitation.organisation,
            accepted=accepted,
            members_link=external_url("organisations.members", slug=invitation.organisation.slug),
        )


def send_role_changed(user: User, organisation: Organisation, role: Role) -> None:
    queue_email(
        user.email,
        "role_changed",
        user=user,
        organisation=organisation,
        role=role,
        link=external_url("organisations.show", slug=organisation.slug),
    )


def send_removed(user: User, organisation: Organisation) -> None:
    queue_email(user.email, "member_removed", user=user, organisation=organisation)


def send_verified(admins: Iterable[User], organisation: Organisation) -> None:
    for admin in admins:
        queue_email(
            admin.email,
            "organisation_verified",
            organisation=organisation,
            link=external_url("organisations.show", slug=organisation.slug),
        )
