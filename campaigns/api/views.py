"""The API's routes: the public read API, its documentation for people, private reads with an organisation's API
token, and the pages where its admins manage those tokens."""

from campaigns.api import doc_views, private_views, public_views, token_views  # noqa: F401  (their routes)
from campaigns.api.blueprint import bp

__all__ = ["bp"]
