"""Domain errors: a rule refused an operation. Views turn them into a clear message and a 4xx."""

from __future__ import annotations


class DomainError(Exception):
    """Base for every refusal a user can be told about. `message` is shown to them as is."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PermissionDenied(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class InvalidLink(DomainError):
    """A signed link that is malformed, expired, already used or no longer applies."""

    status_code = 400
