"""Organisation names reduced to a key, so that "The Eastwick Foodbank Ltd" and "Eastwick Food Bank" are seen
to be the same name, and to the words that index them for finding near-duplicates.

The key ignores case, accents, punctuation and spacing; reads "&" as "and"; drops a leading "The" and
legal suffixes (Ltd, Limited, CIC, CIO, plc, LLP and their long forms); and writes common variants one
way (foodbank and food bank, centre and center, Saint and St, "council for voluntary service" and CVS).
"""

from __future__ import annotations

import re
import unicodedata

#: Ends of a name that say what legal form it has, not which organisation it is (longest first).
LEGAL_SUFFIXES = (
    ("charitable", "incorporated", "organisation"),
    ("community", "interest", "company"),
    ("limited", "liability", "partnership"),
    ("public", "limited", "company"),
    ("limited",),
    ("ltd",),
    ("cic",),
    ("cio",),
    ("plc",),
    ("llp",),
    ("inc",),
    ("incorporated",),
)

#: Several words written one way, before single words are (the phrase, then the one form it becomes).
PHRASES = (
    (("food", "bank"), ("foodbank",)),
    (("council", "for", "voluntary", "service"), ("cvs",)),
    (("council", "for", "voluntary", "services"), ("cvs",)),
    (("citizens", "advice", "bureau"), ("citizens", "advice")),
)

#: One word, spelt one way.
SPELLINGS = {
    "center": "centre",
    "centers": "centres",
    "organization": "organisation",
    "organizations": "organisations",
    "neighborhood": "neighbourhood",
    "neighborhoods": "neighbourhoods",
    "saint": "st",
    "foodbanks": "foodbank",
    "&": "and",
    "+": "and",
}

#: Words too common to tell organisations apart; they are kept in the key but not looked up on their own.
COMMON_WORDS = frozenset({"and", "of", "for", "the", "in", "on", "at", "to", "a"})


def _words(name: str) -> list[str]:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['’`]", "", text)  # St Mary's -> st marys
    text = text.replace("&", " & ").replace("+", " + ")
    return re.findall(r"[a-z0-9]+|[&+]", text)


def _replace_phrases(words: list[str]) -> list[str]:
    result: list[str] = []
    i = 0
    while i < len(words):
        for phrase, replacement in PHRASES:
            if tuple(words[i : i + len(phrase)]) == phrase:
                result.extend(replacement)
                i += len(phrase)
                break
        else:
            result.append(words[i])
            i += 1
    return result


def _strip_suffixes(words: list[str]) -> list[str]:
    changed = True
    while changed and len(words) > 1:
        changed = False
        for suffix in LEGAL_SUFFIXES:
            if len(words) > len(suffix) and tuple(words[-len(suffix) :]) == suffix:
                words = words[: -len(suffix)]
                changed = True
                break
    return words


def name_key(name: str) -> str:
    """The name as compared: "The Eastwick Foodbank Ltd" and "eastwick food bank" both give "eastwick foodbank"."""
    words = [SPELLINGS.get(word, word) for word in _words(name)]
    words = _replace_phrases(words)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    words = _strip_suffixes(words)
    return " ".join(words)[:200]


def key_words(key: str) -> list[str]:
    """The distinct words of a key that can find it (common words left out), in order."""
    seen: dict[str, None] = {}
    for word in key.split():
        if word not in COMMON_WORDS:
            seen.setdefault(word[:60])
    return list(seen)


def variants(word: str) -> set[str]:
    """The word and every form of it with one letter left out: two words share a variant when one typing slip
    (a letter added, dropped, changed or two swapped) turns one into the other."""
    found = {word}
    if len(word) > 3:
        found |= {word[:i] + word[i + 1 :] for i in range(len(word))}
    return found
