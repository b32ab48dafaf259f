"""Domain errors: a rule refused an operation. Views turn them into a clear message and a 4xx."""

from __future__ import annotations


class DomainError(Exception):
    """Base for every refusal a user can be told about. `message` is shown to them as is."""

    status_code = 400
    #: The error page's heading; None for the usual one for its status.
    heading: str | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PermissionDenied(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Gone(DomainError):
    """It was here, and is no longer kept (a prepared download past its time)."""

    status_code = 410


class Conflict(DomainError):
    """The operation cannot be done in the state things are in now (closed, already done, taken)."""

    status_code = 409
    # Not "Someone else made a change first": most conflicts are a state, not a race (a race that loses
    # a row version gets that heading from handle_concurrent_change).
    heading = "This cannot be done now"


class InvalidLink(DomainError):
    """A signed link that is malformed, expired, already used or no longer applies."""

    status_code = 400
