"""Atom feeds (RFC 4287), built with feedgen: one function any area can call with its entries.

Each entry's id is its permanent link, so a feed reader never shows an entry twice; the feed's `updated` is
its newest entry's (or, with no entries, the time it was asked for).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from feedgen.feed import FeedGenerator

from campaigns.database import utcnow

ATOM_MIMETYPE = "application/atom+xml"


@dataclass(frozen=True)
class Entry:
    title: str
    #: The entry's own page; also its id.
    link: str
    published: datetime
    updated: datetime
    #: HTML, already sanitised (it goes into the feed as escaped text).
    content_html: str
    author: str | None = None
    summary: str | None = None


@dataclass(frozen=True)
class Feed:
    title: str
    #: The page the feed is about (rel="alternate").
    link: str
    #: The feed's own address (rel="self"); also its id.
    self_link: str
    subtitle: str | None = None
    author: str = "Common Ground"


def atom(feed: Feed, entries: Sequence[Entry]) -> bytes:
    """The feed as Atom XML (UTF-8), entries in the order given (newest first, by convention)."""
    generator = FeedGenerator()
    generator.id(feed.self_link)
    generator.title(feed.title)
    generator.author({"name": feed.author})
    generator.link(href=feed.link, rel="alternate", type="text/html")
    generator.link(href=feed.self_link, rel="self", type=ATOM_MIMETYPE)
    if feed.subtitle:
        generator.subtitle(feed.subtitle)
    generator.language("en-GB")
    generator.updated(max((entry.updated for entry in entries), default=utcnow()))
    # feedgen puts each new entry first; adding them oldest first keeps the order given.
    for item in reversed(entries):
        added = generator.add_entry()
        added.id(item.link)
        added.title(item.title)
        added.link(href=item.link, rel="alternate", type="text/html")
        added.published(item.published)
        added.updated(item.updated)
        added.content(item.content_html, type="html")
        if item.summary:
            added.summary(item.summary)
        if item.author:
            added.author({"name": item.author})
    return generator.atom_str(pretty=True)
