"""HTTP caching: public pages for readers who are not signed in may be kept briefly by browsers, proxies and CDNs.

A view marked `@public_page` answers a reader who is not signed in with

    Cache-Control: public, max-age=0, s-maxage=60, stale-while-revalidate=300
    ETag: "<strong tag>"
    Vary: Cookie

A browser asks again every time (max-age=0) and gets a 304 while nothing has changed, so someone who has just
signed or withdrawn sees the list as it now is. A shared cache (proxy, CDN) may serve its copy for a minute
(s-maxage) and a stale one for five more while it asks again.

The tag is worked out before the page is rendered, from a few small reads that change whenever anything the
page shows could have: the newest entry in the activity log (every change anyone makes is recorded there), the
statement's stage, agreed revision and settings version, its kept counters, whether it has launched or closed,
and the day (reply deadlines become overdue by the day). A request whose `If-None-Match` names it gets 304 at
once, with no template rendered.

The page itself is kept too, in each server process, under the same tag (`PageCache`): a reader not signed in
who asks for a page whose tag has not changed is sent the kept copy, with no template rendered. A statement in
the news is rendered once per change (and once a minute), not once per reader. Only a whole, ordinary page is
kept: nothing streamed, nothing over `CAMPAIGNS_PAGE_CACHE_MAX_BYTES`, nothing for one reader (below).

Everyone signed in gets `Cache-Control: private, no-store` and `Vary: Cookie` on every page. So does any response
that carries something for one reader only, public page or not: a flash message shown (the session changed)
or a form with a CSRF token.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Response, current_app, g, has_request_context, make_response, request, session
from flask_login import current_user

from campaigns.audit.models import AuditEvent
from campaigns.database import utcnow
from campaigns.extensions import db

MAX_AGE = 60
STALE_WHILE_REVALIDATE = 300
PUBLIC = f"public, max-age=0, s-maxage={MAX_AGE}, stale-while-revalidate={STALE_WHILE_REVALIDATE}"
PRIVATE = "private, no-store"


T = TypeVar("T")


def once_per_request(key: tuple[object, ...], read: Callable[[], T]) -> T:
    """`read()`, remembered for the rest of this GET request: a public page's cache tag and the page itself both
    need the statement and its counts, so they are read once. Outside a GET request, always read afresh."""
    if not has_request_context() or request.method not in ("GET", "HEAD"):
        return read()
    current = request._get_current_object()  # type: ignore[attr-defined]
    remembered = g.get("read_this_request")
    if remembered is None or remembered[0] is not current:
        remembered = g.read_this_request = (current, {})
    if key not in remembered[1]:
        remembered[1][key] = read()
    return remembered[1][key]


def _tag(parts: Sequence[object]) -> str:
    newest_change = db.session.scalar(sa.select(sa.func.max(AuditEvent.id)))
    text = repr((request.endpoint, request.view_args, request.query_string, newest_change, utcnow().date(), *parts))
    # Keyed with the secret: nobody can make up the tag of a page they were never shown (a 304 for a private
    # target or a draft statement would say that it exists).
    return hmac.new(str(current_app.secret_key).encode(), text.encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class KeptPage:
    body: bytes
    headers: list[tuple[str, str]]
    kept_at: float


class PageCache:
    """The newest pages rendered for readers not signed in, by tag, the least recently used dropped first."""

    def __init__(self, entries: int, max_bytes: int, seconds: float = MAX_AGE) -> None:
        self.entries = entries
        self.max_bytes = max_bytes
        # However sure the tag is, no copy outlives what a shared cache may keep: a change the tag missed shows
        # within a minute, as it would behind a CDN.
        self.seconds = seconds
        self._pages: OrderedDict[str, KeptPage] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, tag: str) -> KeptPage | None:
        with self._lock:
            page = self._pages.get(tag)
            if page is None:
                return None
            if time.monotonic() - page.kept_at > self.seconds:
                del self._pages[tag]
                return None
            self._pages.move_to_end(tag)
            return page

    def keep(self, tag: str, response: Response) -> None:
        if self.entries == 0 or not _keepable(response):
            return
        body = response.get_data()
        if len(body) > self.max_bytes:
            return
        headers = [(name, value) for name, value in response.headers.items() if name.lower() != "content-length"]
        with self._lock:
            self._pages[tag] = KeptPage(body, headers, time.monotonic())
            self._pages.move_to_end(tag)
            while len(self._pages) > self.entries:
                self._pages.popitem(last=False)


def _keepable(response: Response) -> bool:
    """A whole 200 page with nothing in it for one reader: no form token, no cookie, no message shown."""
    return (
        response.status_code == 200
        and not response.is_streamed
        and not response.direct_passthrough
        and "Set-Cookie" not in response.headers
        and not session.modified
        and g.get("csrf_token") is None
    )


def page_cache() -> PageCache:
    """This process's kept pages (made on first use, sized by the settings)."""
    cache = current_app.extensions.get("campaigns_page_cache")
    if cache is None:
        cache = current_app.extensions["campaigns_page_cache"] = PageCache(
            current_app.config["CAMPAIGNS_PAGE_CACHE_ENTRIES"], current_app.config["CAMPAIGNS_PAGE_CACHE_MAX_BYTES"]
        )
    return cache


def public_page(parts: Callable[..., Sequence[object]] | None = None) -> Callable[[Callable[..., Any]], Any]:
    """Let shared caches keep the view's page for readers who are not signed in, and answer revalidations with 304.

    `parts(**view_args)` gives what, besides the activity log and the day, decides what the page shows.
    """

    def decorate(view: Callable[..., Any]) -> Callable[..., Response]:
        @wraps(view)
        def cached(**view_args: Any) -> Response:
            if current_user.is_authenticated or session.get("_flashes"):
                return make_response(view(**view_args))
            tag = _tag(parts(**view_args) if parts else ())
            # Only a tag we gave (never "*"): a 304 must not say that a page this reader may not see exists.
            kept = page_cache().get(tag)
            if tag in request.if_none_match.as_set(include_weak=True):
                response = Response(status=304)
            elif kept is not None:
                response = Response(kept.body, headers=kept.headers)
            else:
                response = make_response(view(**view_args))
                page_cache().keep(tag, response)
            if response.status_code in (200, 304):
                response.set_etag(tag)
                response.headers["Cache-Control"] = PUBLIC
                response.vary.add("Cookie")
            return response

        return cached

    return decorate


def private(response: Response) -> None:
    response.headers["Cache-Control"] = PRIVATE
    response.headers.pop("ETag", None)
    response.vary.add("Cookie")


def cache_headers(response: Response) -> None:
    """After every request but static files: nothing for one reader is ever stored publicly."""
    if (
        current_user.is_authenticated
        or session.modified
        or g.get("csrf_token") is not None
        or "Set-Cookie" in response.headers
    ):
        private(response)
