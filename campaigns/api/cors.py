"""Any website may read the API from a browser: CORS for GET under /api/.

A browser sends no cookies with such a request (the answer says `*`, never an origin with credentials), so
another site's script reads only what any visitor may.
"""

from __future__ import annotations

from flask import Response, request

from campaigns.api.problems import is_api_request

#: Headers a script may read: revalidating, following pages and backing off.
EXPOSED = "ETag, Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"


def allow_reading_from_anywhere(response: Response) -> Response:
    """After every request under /api/: allow GET (and a preflight for it) from any origin."""
    if not is_api_request() or request.method not in ("GET", "HEAD", "OPTIONS"):
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD"
        response.headers["Access-Control-Allow-Headers"] = "Authorization, If-None-Match"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response
