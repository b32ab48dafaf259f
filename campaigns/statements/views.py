"""The statements blueprint with all its routes: drafting, participation, sign-off, discussion and the public page."""

from campaigns.statements import (  # noqa: F401
    amendment_views,
    discussion_views,
    drafting_views,
    participation_views,
    public_views,
    signoff_views,
)
from campaigns.statements.blueprint import bp

__all__ = ["bp"]
