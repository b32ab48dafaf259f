"""All the signatures routes, gathered on one blueprint."""

from campaigns.signatures import link_views, public_views, sign_views  # noqa: F401  (routes register on import)
from campaigns.signatures.blueprint import bp

__all__ = ["bp"]
