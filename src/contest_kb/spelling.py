"""Spelling suggestions that respect real words.

A word of the query is respelled only when it is unknown everywhere: not in
the corpus (as written or by its stem), not a glossary term, not an English
word (pyspellchecker's English word list, loaded only when a query holds a
word the corpus does not), not a number, and not name-like (an acronym, a
mixed-case word, or a capitalised word after the first). Only the words of
the parsed query are respelled, so operators and phrases stay as typed.

Candidates come from Whoosh's own automaton over the sorted term list of the
index (``IndexReader.terms_within``), not from a scan of the vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from whoosh import query as Q

from .analysis import american

if TYPE_CHECKING:
    from .query import Glossary

MIN_WORD = 3
MAX_WORD = 24  # longer is no word to respell (and its automaton grows large)
FIRST_LETTERS_KEPT = 1


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The lower-case English words of pyspellchecker's word list."""
    import gzip
    import json
    from importlib import resources

    data = (resources.files("spellchecker") / "resources" / "en.json.gz").read_bytes()
    return frozenset(json.loads(gzip.decompress(data)))


def is_english(word: str) -> bool:
    """Whether lower-case WORD is an English word of pyspellchecker's list,
    in its spelling or in the British one of a word there ("organisation")."""
    words = english_words()
    return word in words or american(word) in words


def max_edits(word: str) -> int:
    """How many edits a respelling of WORD may make: 1, or 2 for longer words."""
    return 1 if len(word) <= 5 else 2


def _name_like(typed: str, first: bool) -> bool:
    letters = [c for c in typed if c.isalpha()]
    if any(c.isupper() for c in letters[1:]):
        return True  # MI5, CONTEST, McCallum
    return bool(letters) and letters[0].isupper() and not first


class Speller:
    """Suggests respellings for the words of a query against one index."""

    def __init__(self, reader, glossary: Glossary | None = None, frequency: Callable[[str, str], int] | None = None) -> None:
        self.reader = reader
        # Its words are left alone (read only for a word the corpus lacks).
        self.glossary = glossary
        # How many paragraphs hold a term (the searcher's remembered count, if given).
        self.frequency = frequency or reader.doc_frequency
        # The last query's fixes: planning a query and suggesting for it ask alike.
        self._last: tuple[str, Q.Query | None, list[tuple[int, int, str, str]]] | None = None

    def knows(self, word: str) -> bool:
        """Whether WORD (normalised, lower case) is a word to leave alone."""
        from .analysis import stem_word

        if not word.isalpha() or not MIN_WORD <= len(word) <= MAX_WORD:
            return True
        if self.frequency("plain", word):
            return True
        stem = stem_word(word)
        if not stem or self.frequency("body", stem) or self.frequency("heading", stem):
            return True
        return (self.glossary is not None and word in self.glossary.words) or word in english_words()

    def respell(self, word: str) -> str | None:
        """The corpus word closest to WORD within max_edits, most frequent first."""
        from .query import edit_distance

        limit = max_edits(word)
        best: tuple[int, int, str] | None = None
        for candidate in self.reader.terms_within("plain", word, limit, prefix=FIRST_LETTERS_KEPT):
            if candidate == word or not candidate.isalpha():
                continue
            rank = (edit_distance(word, candidate, limit), -self.frequency("plain", candidate), candidate)
            if best is None or rank < best:
                best = rank
        return best[2] if best else None

    def suggest(self, cleaned: str, parsed: Q.Query | None) -> str | None:
        """CLEANED (the query text as parsed) with each unknown word of the
        parsed query PARSED respelled, or None when nothing changes."""
        fixes = self.fixes(cleaned, parsed)
        if not fixes:
            return None
        out = cleaned
        for start, end, _, fix in sorted(fixes, reverse=True):
            out = out[:start] + fix + out[end:]
        return out

    def respellings(self, cleaned: str, parsed: Q.Query | None) -> dict[str, str]:
        """Each unknown word of PARSED (as a key form) and the corpus word it
        is respelled as (lower case)."""
        return {key: fix.lower() for _, _, key, fix in self.fixes(cleaned, parsed)}

    def fixes(self, cleaned: str, parsed: Q.Query | None) -> list[tuple[int, int, str, str]]:
        """The unknown words of the parsed query PARSED, each as (start, end,
        key form, respelling cased as typed), by where they stand in CLEANED."""
        if self._last is not None and self._last[0] == cleaned and self._last[1] is parsed:
            return self._last[2]
        fixes = self._fixes(cleaned, parsed)
        self._last = (cleaned, parsed, fixes)
        return fixes

    def _fixes(self, cleaned: str, parsed: Q.Query | None) -> list[tuple[int, int, str, str]]:
        from .analysis import is_searched, shouted, title_cased
        from .query import key_form

        if parsed is None:
            return []
        first_start = len(cleaned) - len(cleaned.lstrip())
        capitals = shouted(cleaned)
        titled = title_cased(cleaned)
        fixes: list[tuple[int, int, str, str]] = []
        for node in parsed.leaves():
            if type(node) is not Q.Term or node.fieldname not in ("q", "heading"):
                continue
            start, end = getattr(node, "startchar", None), getattr(node, "endchar", None)
            if start is None or end is None:
                continue
            typed = cleaned[start:end]
            key = key_form(typed)
            if not is_searched(key) or (not capitals and _name_like(typed, start == first_start or titled)):
                continue
            if self.knows(key):
                continue
            fix = self.respell(key)
            if fix:
                fixes.append((start, end, key, fix.upper() if capitals else fix.capitalize() if typed[:1].isupper() else fix))
        return fixes
