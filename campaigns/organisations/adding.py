"""Adding an organisation without adding one twice: the same name (as its key compares it) or registered number
means the same organisation, and a second record of a name only follows an explicit, recorded "ours is a
different organisation". Two requests adding the same name at once end with one organisation.
"""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from campaigns.accounts.models import User
from campaigns.audit.services import record
from campaigns.database import insert_now, utcnow
from campaigns.errors import Conflict
from campaigns.extensions import db
from campaigns.organisations.matching import likely_matches, same_name
from campaigns.organisations.models import Membership, Organisation, Role
from campaigns.organisations.names import name_key
from campaigns.organisations.services import (
    Profile,
    check_numbers,
    require_verified_email,
)
from campaigns.slugs import free_slug, slugify

#: Slugs that would clash with fixed paths under /organisations/.
RESERVED_SLUGS = frozenset({"new"})


class SameName(Conflict):
    """Organisations of (nearly) the same name exist: the person must say which it is, or that theirs is different."""

    def __init__(self, matches: list[Organisation]) -> None:
        names = ", ".join(o.name for o in matches[:3])
        super().__init__(f"Common Ground already has {names}. Say whether yours is one of them.")
        self.matches = matches


def create_organisation(
    profile: Profile, *, actor: User, distinct_from: list[Organisation] | None = None
) -> Organisation:
    """Create an organisation, unverified, with `actor` as its first admin.

    If organisations of likely the same name exist, `distinct_from` must be them: the person has said theirs
    is a different one (recorded). An organisation of the same name added a moment ago is refused, never
    joined: the person would otherwise become admin of someone else's organisation.
    """
    require_verified_email(actor)
    check_numbers(profile)
    matches = likely_matches(profile.name)
    if matches and not _confirmed(matches, distinct_from):
        raise SameName(matches)
    organisation, added = _add_organisation(profile, created_by=actor, distinct=bool(matches))
    if not added:
        raise SameName([organisation])
    record("organisation.created", organisation, organisation=organisation, name=organisation.name, actor=actor)
    _record_distinct(actor, organisation, matches)
    return organisation


def add_while_signing(
    profile: Profile,
    *,
    distinct_from: list[Organisation] | None = None,
    same_key: list[Organisation] | None = None,
) -> tuple[Organisation, bool]:
    """An organisation added by someone without an account who is signing a statement for it: unverified
    and without members until a platform admin verifies it and invites its people.

    If an organisation with the same name key exists and the person did not say theirs is different, it is
    that one (returned with False): the same name arriving twice at once is one organisation. `same_key` is those
    organisations when the caller has just read them (otherwise they are looked up).
    """
    matches = same_name(profile.name) if same_key is None else same_key
    distinct = bool(matches) and _confirmed(matches, distinct_from)
    if matches and not distinct:
        return matches[0], False
    check_numbers(profile)
    # No organisation had the key a moment ago: the first twin number to try is 0 (the constraint settles a race).
    first_twin = None if matches else 0
    organisation, added = _add_organisation(profile, created_by=None, distinct=distinct, first_twin=first_twin)
    if added:
        record(
            "organisation.created",
            organisation,
            organisation=organisation,
            name=organisation.name,
            signing=True,
            actor=None,
        )
        _record_distinct(None, organisation, distinct_from or [])
    return organisation, added


def _confirmed(matches: list[Organisation], distinct_from: list[Organisation] | None) -> bool:
    """The person saw these organisations (or more) and said theirs is none of them."""
    return distinct_from is not None and {o.id for o in matches} <= {o.id for o in distinct_from}


def _record_distinct(actor: User | None, organisation: Organisation, matches: list[Organisation]) -> None:
    if not matches:
        return
    organisation.confirmed_distinct_at = organisation.confirmed_distinct_at or utcnow()
    record(
        "organisation.confirmed_different",
        organisation,
        organisation=organisation,
        name=organisation.name,
        not_these=[{"id": o.id, "name": o.name} for o in matches],
        actor=actor,
    )


def _next_twin(key: str) -> int:
    twins = db.session.scalar(sa.select(sa.func.max(Organisation.name_twin)).where(Organisation.name_key == key))
    return 0 if twins is None else twins + 1


def _slug(name: str, *, look_up: bool) -> str:
    """The organisation's slug: a free one looked up, or (when no organisation has its name key, so its name is very
    likely new) the name's own, left to the unique constraint to refuse if taken, for a free one on the next try."""
    slug = slugify(name, fallback="organisation")
    if look_up or slug in RESERVED_SLUGS:
        return free_slug(Organisation.slug, name, fallback="organisation", reserved=RESERVED_SLUGS)
    return slug


def _add_organisation(
    profile: Profile, created_by: User | None, *, distinct: bool, first_twin: int | None = None
) -> tuple[Organisation, bool]:
    """Insert the organisation; if one with the same name key and twin number was inserted a moment ago by
    another request, that one is returned instead (with False). `first_twin`, when the caller knows it, saves
    looking the first twin number up.

    The row is written at once and skipped if a unique constraint refuses it (no savepoint to undo): what it clashed
    with is then looked up, and a slug or twin number taken a moment ago is tried again with the next."""
    key = name_key(profile.name)
    for attempt in range(5):
        twin = first_twin if attempt == 0 and first_twin is not None else _next_twin(key)
        if twin and not distinct:
            existing = db.session.scalar(sa.select(Organisation).where(Organisation.name_key == key))
            assert existing is not None
            return existing, False
        organisation = Organisation(
            slug=_slug(profile.name, look_up=attempt > 0 or first_twin is None),
            created_by_id=created_by.id if created_by else None,
            name_key=key,
            name_twin=twin,
            confirmed_distinct_at=utcnow() if twin else None,
            **dataclasses.asdict(profile),
        )
        if insert_now(db.session(), organisation, skip_on_conflict=True):
            if created_by is not None:
                db.session.add(Membership(organisation_id=organisation.id, user_id=created_by.id, role=Role.ADMIN))
            return organisation, True
        check_numbers(profile)  # one of its registered numbers became another's a moment ago
        if not distinct:
            # The same name, added by another request a moment ago: it is that organisation.
            existing = db.session.scalar(
                sa.select(Organisation).where(Organisation.name_key == key, Organisation.name_twin == twin)
            )
            if existing is not None:
                return existing, False
        # a slug or twin number taken a moment ago: try the next
    raise Conflict("Could not create the organisation just now. Try again.")
