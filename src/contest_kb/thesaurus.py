"""A general English thesaurus, for questions asked in other words than the page's.

The table (``data/thesaurus.tsv``, generated from WordNet 3.0 by
``tools/make_thesaurus.py``) lists for each word or phrasal word its irregular
forms ("oversaw": "oversee", "overseen"), its synonyms in its most common
senses ("compulsory": "mandatory", "required") and the words derived from it
in those senses ("comply": "compliance"). It is a sorted text file,
looked up by binary search, so nothing is loaded: a lookup reads a few lines.
"""

from __future__ import annotations

import os
from functools import lru_cache

PATH = os.path.join(os.path.dirname(__file__), "data", "thesaurus.tsv")

# WordNet's rules for the base form of a regular inflection (its "morphy").
_DETACH = (
    ("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"), ("ies", "y"),
    ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""), ("er", ""), ("est", ""), ("er", "e"),
    ("est", "e"),
)


class Entry:
    """What the thesaurus knows of a word: other FORMS of it, its SYNONYMS and
    the words DERIVED from it."""

    __slots__ = ("derived", "forms", "synonyms")

    def __init__(self, forms: list[str], synonyms: list[str], derived: list[str] | None = None) -> None:
        self.forms = forms
        self.synonyms = synonyms
        self.derived = derived or []


class Thesaurus:
    """Lookups in a sorted table of ``word<TAB>forms<TAB>synonyms<TAB>derived``
    lines (lists separated by ``|``; the last column may be absent)."""

    def __init__(self, path: str = PATH) -> None:
        self.path = path
        self._handle = None
        self._size = 0

    def _line_at(self, offset: int) -> tuple[bytes, int]:
        """The first whole line starting at or after OFFSET, and where it starts."""
        handle = self._file()
        if offset:
            handle.seek(offset - 1)
            handle.readline()
        else:
            handle.seek(0)
        start = handle.tell()
        return handle.readline(), start

    def _file(self):
        if self._handle is None:
            self._handle = open(self.path, "rb")  # noqa: SIM115 - kept open for the process's lookups
            self._size = os.fstat(self._handle.fileno()).st_size
        return self._handle

    def entry(self, word: str) -> Entry | None:
        """The entry for WORD exactly as listed (lower case), or None."""
        if not word or "\t" in word or "\n" in word or not os.path.isfile(self.path):
            return None
        return _cached_entry(self, word)

    def _search(self, word: str) -> Entry | None:
        key = word.encode("utf-8")
        self._file()
        lo, hi = 0, self._size
        while lo < hi:
            mid = (lo + hi) // 2
            line, start = self._line_at(mid)
            found = line.split(b"\t", 1)[0] if line else None
            if found is None or key < found:
                hi = mid
            elif key > found:
                lo = start + len(line)
            else:
                columns = [c.split("|") if c else [] for c in line.rstrip(b"\n").decode("utf-8").split("\t")[1:4]]
                return Entry(*columns)
        return None

    def lookup(self, word: str) -> Entry | None:
        """The entry for WORD, or for its base form when WORD is a regular
        inflection ("locked up" -> "lock up", "terms" -> "term"): forms and
        synonyms of both, the word's own first."""
        first, _, rest = word.partition(" ")
        found = [self.entry(word)]
        tail = " " + rest if rest else ""
        for ending, base in _DETACH:
            if first.endswith(ending) and len(first) - len(ending) >= 2:
                stem = first[: len(first) - len(ending)] + base
                found.append(self.entry(stem + tail))
                if not base and len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
                    found.append(self.entry(stem[:-1] + tail))  # "stopping" -> "stop"
        entries = [e for e in found if e is not None]
        if not entries:
            return None
        forms: list[str] = []
        synonyms: list[str] = []
        derived: list[str] = []
        for e in entries:
            forms += [f for f in e.forms if f not in forms and f != word]
            synonyms += [s for s in e.synonyms if s not in synonyms and s != word]
            derived += [d for d in e.derived if d not in derived and d != word]
        return Entry(forms, synonyms, derived)


@lru_cache(maxsize=4096)
def _cached_entry(thesaurus: Thesaurus, word: str) -> Entry | None:
    return thesaurus._search(word)


@lru_cache(maxsize=1)
def english() -> Thesaurus:
    """The thesaurus shipped with contest-kb."""
    return Thesaurus()
