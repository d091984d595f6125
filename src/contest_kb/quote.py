"""Verify quotations against the corpus, forgiving typography only.

Runs of white space, line breaks, non-breaking spaces, curly and straight
quotes, and en/em dashes and hyphens all compare equal; case and words must
match (unless case is ignored). A quotation not found is answered with the
closest passage in the corpus and a word-level diff.
"""

from __future__ import annotations

import difflib
import re
from typing import Iterable, Sequence

from .citations import Place
from .errors import InvalidInput
from .sections import Paragraph, Section
from .text import plain

MIN_QUOTE_WORDS = 6


class Closest:
    """The passage nearest to a quotation that was not found, and how they differ."""

    __slots__ = ("match", "text", "similarity", "diff")

    def __init__(self, match: Place, text: str, similarity: float, diff: str) -> None:
        self.match = match
        self.text = text
        self.similarity = similarity
        self.diff = diff

    def to_dict(self) -> dict:
        data = self.match.to_dict()
        data.update({"text": self.text, "similarity": round(self.similarity, 3), "diff": self.diff})
        return data


class QuoteResult:
    """Where a quotation was found (MATCHES), or the CLOSEST passage if nowhere."""

    __slots__ = ("text", "matches", "closest")

    def __init__(self, text: str, matches: list[Place], closest: Closest | None) -> None:
        self.text = text
        self.matches = matches
        self.closest = closest

    @property
    def found(self) -> bool:
        return bool(self.matches)

    def to_dict(self) -> dict:
        return {
            "quote": self.text,
            "found": self.found,
            "places": [m.to_dict() for m in self.matches],
            "closest": self.closest.to_dict() if self.closest else None,
        }


def fold(text: str, ignore_case: bool = False) -> str:
    """TEXT as quotation matching compares it (typography folded)."""
    folded = plain(text)
    return folded.lower() if ignore_case else folded


def contains(passage: str, quote: str, ignore_case: bool = False) -> bool:
    """Whether PASSAGE contains QUOTE, forgiving typography only."""
    return fold(quote, ignore_case) in fold(passage, ignore_case)


def word_diff(expected: str, found: str) -> str:
    """A word-level diff: [-words only in EXPECTED-]{+words only in FOUND+}."""
    a, b = expected.split(), found.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(a[i1:i2])
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


class QuoteFinder:
    """Finds quotations in the sections of an opened index."""

    def __init__(self, sections: Iterable[Section], sources: dict) -> None:
        self.sections = list(sections)
        self.sources = sources

    def find(self, quote: str, ignore_case: bool = False) -> QuoteResult:
        """Every place QUOTE appears, or the closest passage when none."""
        needle = fold(quote, ignore_case)
        if not re.search(r"\w", needle):
            raise InvalidInput("the quotation is empty; give the text to look for")
        matches: list[Place] = []
        for section in self.sections:
            source = self.sources[section.source]
            hits = [p for p in section.paragraphs if needle in fold(p.text, ignore_case)]
            if hits:
                matches.extend(Place(section, source, [p]) for p in hits)
                continue
            span = self._across(section, needle, ignore_case)
            if span:
                matches.append(Place(section, source, span))
        closest = None if matches else self.closest(quote, ignore_case)
        return QuoteResult(quote, matches, closest)

    @staticmethod
    def _across(section: Section, needle: str, ignore_case: bool) -> list[Paragraph] | None:
        """The paragraphs a quotation spans when it runs over a paragraph break."""
        texts = [fold(p.text, ignore_case) for p in section.paragraphs]
        joined = " ".join(texts)
        at = joined.find(needle)
        if at < 0:
            return None
        out, pos = [], 0
        for para, text in zip(section.paragraphs, texts):
            start, end = pos, pos + len(text)
            if start < at + len(needle) and at < end:
                out.append(para)
            pos = end + 1
        return out

    def closest(self, quote: str, ignore_case: bool = False) -> Closest | None:
        """The window of corpus text most like QUOTE, word for word."""
        words = fold(quote, ignore_case).split()
        if not words:
            return None
        best: tuple[float, Section, Paragraph, str] | None = None
        wanted = set(w.strip(".,;:'\"()").lower() for w in words)
        for section in self.sections:
            for para in section.paragraphs:
                folded = fold(para.text, ignore_case)
                pwords = folded.split()
                if not wanted & {w.strip(".,;:'\"()").lower() for w in pwords}:
                    continue
                size = len(words)
                for start in range(0, max(1, len(pwords) - size + 1)):
                    window = pwords[start : start + size]
                    ratio = difflib.SequenceMatcher(None, words, window, autojunk=False).ratio()
                    if best is None or ratio > best[0]:
                        best = (ratio, section, para, " ".join(window))
        if best is None:
            return None
        ratio, section, para, text = best
        match = Place(section, self.sources[section.source], [para])
        return Closest(match, text, ratio, word_diff(" ".join(words), text))


_BLOCKQUOTE = re.compile(r"^\s{0,3}>\s?(.*)$")
_QUOTED = re.compile(r"[\"“]([^\"“”]+)[\"”]")


def quotations_in_markdown(text: str) -> list[tuple[int, str]]:
    """(line, text) of each quotation in a Markdown document: every blockquote
    (consecutive '>' lines joined) and every double-quoted run of at least
    six words outside blockquotes."""
    out: list[tuple[int, str]] = []
    block: list[str] = []
    block_start = 0
    in_fence = False
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        m = _BLOCKQUOTE.match(line)
        if m:
            if not block:
                block_start = lineno
            block.append(m.group(1))
            continue
        if block:
            out.append((block_start, _strip_markdown(" ".join(block))))
            block = []
        for q in _QUOTED.finditer(line):
            if len(q.group(1).split()) >= MIN_QUOTE_WORDS:
                out.append((lineno, q.group(1).strip()))
    if block:
        out.append((block_start, _strip_markdown(" ".join(block))))
    return [(n, q) for n, q in out if q]


def _strip_markdown(text: str) -> str:
    text = re.sub(r"[*_`]+", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", text)
    return " ".join(text.split()).strip().strip('"“”')


def check_quotations(finder: QuoteFinder, quotes: Sequence[tuple[int, str]], ignore_case: bool = False) -> list[tuple[int, QuoteResult]]:
    """Look up each (line, quotation)."""
    return [(line, finder.find(q, ignore_case)) for line, q in quotes]
