"""Reading an Atom feed (RFC 4287) as a feed reader would, refusing one that lacks what the format requires."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime

ATOM = "{http://www.w3.org/2005/Atom}"


def _text(element: ET.Element, name: str, where: str) -> str:
    found = element.find(f"{ATOM}{name}")
    assert found is not None and (found.text or "").strip(), f"{where} has no atom:{name} (RFC 4287 requires one)"
    return (found.text or "").strip()


def _date(element: ET.Element, name: str, where: str) -> datetime:
    value = _text(element, name, where)
    parsed = datetime.fromisoformat(value)  # RFC 3339, or this raises
    assert parsed.tzinfo is not None, f"{where}'s {name} {value!r} has no time zone"
    return parsed


def _alternate(entry: ET.Element) -> ET.Element | None:
    """The entry's rel="alternate" link (a link with no rel is one, RFC 4287 4.2.7.2)."""
    return next((link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"), None)


def parse_atom(data: bytes) -> ET.Element:
    """The feed element, once its required elements are checked: an id, title and updated on the feed and on each
    entry, an author on the feed or on every entry, a rel="self" link, and each entry's id unique with a link or
    content. Dates must be RFC 3339 with a time zone."""
    feed = ET.fromstring(data)  # well-formed XML, or this raises
    assert feed.tag == f"{ATOM}feed", f"the root is {feed.tag}, not atom:feed"
    _text(feed, "id", "the feed")
    _text(feed, "title", "the feed")
    _date(feed, "updated", "the feed")
    assert feed.find(f"{ATOM}link[@rel='self']") is not None, "the feed has no rel=self link"
    feed_has_author = feed.find(f"{ATOM}author/{ATOM}name") is not None
    ids = []
    for number, entry in enumerate(feed.findall(f"{ATOM}entry"), 1):
        where = f"entry {number}"
        ids.append(_text(entry, "id", where))
        _text(entry, "title", where)
        _date(entry, "updated", where)
        assert feed_has_author or entry.find(f"{ATOM}author/{ATOM}name") is not None, f"{where} has no author"
        linked = _alternate(entry) is not None
        assert linked or entry.find(f"{ATOM}content") is not None, f"{where} has neither a link nor content"
    assert len(ids) == len(set(ids)), f"entry ids repeat: {ids}"
    return feed


def entries(feed: ET.Element) -> list[dict[str, str]]:
    """Each entry's title, id, link, summary, author and content, in the feed's order."""
    found = []
    for entry in feed.findall(f"{ATOM}entry"):
        link = _alternate(entry)
        found.append(
            {
                "title": entry.findtext(f"{ATOM}title", ""),
                "id": entry.findtext(f"{ATOM}id", ""),
                "link": link.get("href", "") if link is not None else "",
                "summary": entry.findtext(f"{ATOM}summary", ""),
                "author": entry.findtext(f"{ATOM}author/{ATOM}name", ""),
                "content": entry.findtext(f"{ATOM}content", ""),
            }
        )
    return found


def alternate_feeds(html: str) -> list[str]:
    """The addresses of the Atom feeds a page links to in its head (rel="alternate")."""
    return re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)">', html)
