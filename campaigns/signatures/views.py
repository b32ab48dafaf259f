"""All the signatures routes, gathered on one blueprint."""

from campaigns.signatures import (  # noqa: F401  (routes register on import)
    contact_views,
    export_views,
    link_views,
    owner_views,
    public_views,
    settings_views,
    sharing_views,
    sign_views,
)
from campaigns.signatures.blueprint import bp

__all__ = ["bp"]
