"""The statements blueprint with all its routes: drafting, participation, sign-off, discussion and the public page."""

from campaigns.statements import drafting_views, participation_views, public_views, signoff_views  # noqa: F401
from campaigns.statements.blueprint import bp

__all__ = ["bp"]
