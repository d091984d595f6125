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
BLOCK = 16384  # bytes read whole at the end of a binary search

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
        self._size = -1  # unknown until opened; 0 when there is no table

    def _file(self):
        if self._size < 0:
            try:
                self._handle = open(self.path, "rb")  # noqa: SIM115 - kept open for the process's lookups
                self._size = os.fstat(self._handle.fileno()).st_size
            except OSError:
                self._size = 0
        return self._handle

    def _line_at(self, offset: int) -> tuple[bytes, int]:
        """The first whole line starting at or after OFFSET, and where it starts."""
        handle = self._file()
        handle.seek(offset - 1 if offset else 0)
        if offset:
            handle.readline()
        start = handle.tell()
        return handle.readline(), start

    def entry(self, word: str) -> Entry | None:
        """The entry for WORD exactly as listed (lower case), or None."""
        if not word or "\t" in word or "\n" in word:
            return None
        return _cached_entry(self, word)

    def _search(self, word: str) -> Entry | None:
        handle = self._file()
        if handle is None:
            return None
        key = word.encode("utf-8")
        # Halve the file down to a block, then read the block whole.
        lo, hi = 0, self._size
        while hi - lo > BLOCK:
            mid = (lo + hi) // 2
            line, start = self._line_at(mid)
            found = line.split(b"\t", 1)[0] if line else None
            if found is None or key < found:
                hi = mid
            elif key > found:
                lo = start + len(line)
            else:
                return _entry(line)
        line, start = self._line_at(lo)
        handle.seek(start)
        block = b"\n" + handle.read(hi - start) + handle.readline()
        at = block.find(b"\n" + key + b"\t")
        if at < 0:
            return None
        end = block.find(b"\n", at + 1)
        return _entry(block[at + 1 : end if end >= 0 else len(block)])

    def lookup(self, word: str) -> Entry | None:
        """The entry for WORD, or for its base form when WORD is a regular
        inflection ("locked up" -> "lock up", "terms" -> "term"): forms and
        synonyms of both, the word's own first."""
        first, _, rest = word.partition(" ")
        tail = " " + rest if rest else ""
        bases: dict[str, Entry | None] = {}
        for ending, base in _DETACH:
            if first.endswith(ending) and len(first) - len(ending) >= 2:
                stem = first[: len(first) - len(ending)] + base
                bases[stem] = self.entry(stem + tail)
                if not base and len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
                    bases[stem[:-1]] = self.entry(stem[:-1] + tail)  # "stopping" -> "stop"
        # "planes", "hoped", "noting": a base ending in "e" is the one inflected
        # when there is one ("plane", not "plan", which would give "plans").
        found = [self.entry(word), *(e for stem, e in bases.items() if not bases.get(stem + "e"))]
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


def _entry(line: bytes) -> Entry:
    columns = [c.split("|") if c else [] for c in line.rstrip(b"\n").decode("utf-8").split("\t")[1:4]]
    return Entry(*columns)


@lru_cache(maxsize=4096)
def _cached_entry(thesaurus: Thesaurus, word: str) -> Entry | None:
    return thesaurus._search(word)


@lru_cache(maxsize=1)
def english() -> Thesaurus:
    """The thesaurus shipped with contest-kb."""
    return Thesaurus()
