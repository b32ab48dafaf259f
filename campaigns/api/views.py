"""The API's routes: the public read API and its documentation for people."""

from campaigns.api import doc_views, public_views  # noqa: F401  (their routes)
from campaigns.api.blueprint import bp

__all__ = ["bp"]
