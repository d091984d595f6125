"""Verify quotations against the corpus, forgiving typography only.

Runs of white space, line breaks, non-breaking spaces, curly and straight
quotes, and en/em dashes and hyphens all compare equal; case and words must
match (unless case is ignored), and a match starts and ends on word
boundaries: "54" is not found in "254" nor in "5,400", "eat" not in "threat".

Two editorial marks are understood:

* an ellipsis (``…``, ``...``, ``[…]``, ``[...]``) stands for words left out:
  the parts around it must appear in this order within one paragraph, or two
  adjacent paragraphs, of one section;
* a bracketed insertion stands for the words it replaces: ``[the MAC]``
  standing alone matches up to MAX_INSERTION_WORDS words (or none), and
  brackets inside a word (``[T]he``, ``organisation[s]``) match a few letters.

A quotation not found is answered with the closest passage in the corpus
and a word diff aligned on it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

from .citations import Place
from .errors import InvalidInput
from .sections import Paragraph, Section
from .text import plain

MIN_QUOTE_WORDS = 6
MAX_INSERTION_WORDS = 4
MAX_ELIDED_PARAGRAPHS = 2
CLOSEST_CANDIDATES = 25
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\s*){3}\]|\.\s?\.\s?\.)\s*")
_BRACKET = re.compile(r"\[[^\[\]]*\]")
_WORD_EDGE = re.compile(r"\w")


class Closest:
    """The passage nearest to a quotation that was not found, and how they
    differ: CHANGES is a list of (op, quoted words, published words) with op
    "equal", "replace", "delete" or "insert"."""

    __slots__ = ("changes", "match", "similarity", "text")

    def __init__(self, match: Place, text: str, similarity: float, changes: list[tuple[str, str, str]]) -> None:
        self.match = match
        self.text = text
        self.similarity = similarity
        self.changes = changes

    @property
    def diff(self) -> str:
        """The changes as text: [-quoted words-] {+published words+}."""
        return diff_text(self.changes)

    def to_dict(self) -> dict:
        data = self.match.to_dict()
        data.update({"text": self.text, "similarity": round(self.similarity, 3), "diff": self.diff,
                     "changes": [{"op": op, "quoted": a, "published": b} for op, a, b in self.changes]})
        return data


class QuoteResult:
    """Where a quotation was found (MATCHES), or the CLOSEST passage if nowhere."""

    __slots__ = ("closest", "matches", "text")

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


def _literal(token: str) -> str:
    """The pattern of one quoted word, brackets inside it matching a few letters."""
    out, pos = [], 0
    for m in _BRACKET.finditer(token):
        out.append(re.escape(token[pos : m.start()]))
        out.append(r"[\w'-]{0,20}")
        pos = m.end()
    out.append(re.escape(token[pos:]))
    return "".join(out)


def _part_pattern(part: str) -> str | None:
    """The pattern of one part of a quotation (between ellipses), anchored on
    word boundaries; None when the part holds no word."""
    tokens = re.findall(r"[^\s\[\]]*(?:\[[^\[\]]*\][^\s\[\]]*)+|\S+", part)
    pieces: list[str] = []  # each a word pattern, or "" for a standalone insertion
    for token in tokens:
        pieces.append("" if _BRACKET.fullmatch(token) else _literal(token))
    while pieces and not pieces[0]:
        pieces.pop(0)
    while pieces and not pieces[-1]:
        pieces.pop()
    if not pieces:
        return None
    out = []
    for k, piece in enumerate(pieces):
        if piece:
            out.append(piece)
            if k + 1 < len(pieces):
                out.append(" ")
        elif not out or out[-1] != rf"(?:\S{{1,60}} ){{0,{MAX_INSERTION_WORDS}}}":
            out.append(rf"(?:\S{{1,60}} ){{0,{MAX_INSERTION_WORDS}}}")
    head = pieces[0]
    start = ""
    if _WORD_EDGE.match(head[:1] or " ") or head.startswith(r"[\w"):
        start = r"(?<!\w)(?<!\d[.,])" if head[:1].isdigit() else r"(?<!\w)"
    tail = pieces[-1]
    end = ""
    if re.search(r"\w$", tail) or tail.endswith("{0,20}"):
        end = r"(?!\w)(?![.,]\d)" if tail[-1:].isdigit() else r"(?!\w)"
    return start + "".join(out) + end


class Quotation:
    """A quotation compiled for matching: its parts (split at ellipses) as
    patterns, and the plain words it holds (for the prefilter and the diff)."""

    def __init__(self, text: str, ignore_case: bool = False) -> None:
        self.text = text
        folded = fold(text, ignore_case)
        if not re.search(r"\w", folded):
            raise InvalidInput("the quotation is empty; give the text to look for")
        flags = re.IGNORECASE if ignore_case else 0
        patterns = [p for p in (_part_pattern(part) for part in _ELLIPSIS.split(folded)) if p]
        if not patterns:
            raise InvalidInput(f"the quotation {text!r} holds only editorial marks; give the quoted words")
        self.parts = [re.compile(p, flags) for p in patterns]
        self.elided = len(self.parts) > 1
        literal = _BRACKET.sub(" ", _ELLIPSIS.sub(" ", folded))
        self.words = literal.split()
        # The quoted words outside brackets (an insertion stands for other words).
        self.literal_words = [t for t in _ELLIPSIS.sub(" ", folded).split() if "[" not in t and "]" not in t]
        self.ignore_case = ignore_case
        # Every word outside brackets must occur in a passage for it to match.
        self._needles = [w for w in re.findall(r"[^\s\[\]]+", literal) if len(w) > 2]

    def may_occur_in(self, folded: str) -> bool:
        return all(n in folded for n in self._needles)

    def spans(self, folded: str) -> list[tuple[int, int]]:
        """(start, end) of each non-overlapping occurrence in FOLDED text."""
        if not self.elided:
            return [m.span() for m in self.parts[0].finditer(folded)]
        out: list[tuple[int, int]] = []
        pos = 0
        for first in self.parts[0].finditer(folded):
            if first.start() < pos:
                continue
            end = first.end()
            for part in self.parts[1:]:
                m = part.search(folded, end)
                if m is None:
                    return out
                end = m.end()
            out.append((first.start(), end))
            pos = end
        return out


def contains(passage: str, quote: str, ignore_case: bool = False) -> bool:
    """Whether PASSAGE contains QUOTE (typography forgiven, word boundaries
    kept, ellipses and insertions understood)."""
    compiled = Quotation(quote, ignore_case)
    return bool(compiled.spans(fold(passage, ignore_case)))


def _norm(word: str, ignore_case: bool = True) -> str:
    word = word.strip(".,;:!?'\"()[]")
    return word.lower() if ignore_case else word


def align(quoted: Sequence[str], published: Sequence[str], ignore_case: bool = False) -> list[tuple[str, str, str]]:
    """The word-level changes between QUOTED and PUBLISHED words. Punctuation
    around a word is not a difference (a quotation may stop before a comma);
    case is, unless IGNORE_CASE."""
    a_norm = [_norm(w, ignore_case) for w in quoted]
    b_norm = [_norm(w, ignore_case) for w in published]
    matcher = difflib.SequenceMatcher(None, a_norm, b_norm, autojunk=False)
    return [(op, " ".join(quoted[i1:i2]), " ".join(published[j1:j2])) for op, i1, i2, j1, j2 in matcher.get_opcodes()]


def diff_text(changes: Iterable[tuple[str, str, str]], context: int = 4, longest: int = 12) -> str:
    """[-quoted-] {+published+} for each change; equal words as they are, a
    run of more than LONGEST of them cut to CONTEXT words next to the changes."""
    out = []
    changes = list(changes)
    for k, (op, a, b) in enumerate(changes):
        if op == "equal":
            words = a.split()
            keep_head = context if k > 0 else 0
            keep_tail = context if k + 1 < len(changes) else 0
            if len(words) > longest:
                a = " ".join(words[:keep_head] + ["…"] + (words[-keep_tail:] if keep_tail else []))
            out.append(a)
            continue
        if a:
            out.append(f"[-{a}-]")
        if b:
            out.append(f"{{+{b}+}}")
    return " ".join(out)


def word_diff(expected: str, found: str) -> str:
    """A word-level diff: [-words only in EXPECTED-] {+words only in FOUND+}."""
    return diff_text(align(expected.split(), found.split()))


def _best_window(quoted: list[str], words: list[str]) -> tuple[float, int, int]:
    """(similarity, start, end) of the run of WORDS most like QUOTED.

    Similarity is the share of the longer of the two that matches, so a
    window holding the published figure in place of a misquoted one ("254"
    for "54") beats the window that leaves it out."""
    target = [_norm(w) for w in quoted]
    normed = [_norm(w) for w in words]
    n = len(target)
    slack = max(2, n // 3)
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(target)
    best = (-1.0, 0, 0)
    wanted = set(target)
    for start in range(len(normed)):
        if normed[start] not in wanted and start + 1 < len(normed) and normed[start + 1] not in wanted:
            continue
        for size in range(max(1, n - slack), n + slack + 1):
            if start + size > len(normed) and start > 0:
                break
            window = normed[start : start + size]
            matcher.set_seq1(window)
            same = sum(block.size for block in matcher.get_matching_blocks())
            ratio = same / max(len(window), n)
            if ratio > best[0] or (ratio == best[0] and abs(len(window) - n) < abs(best[2] - best[1] - n)):
                best = (ratio, start, start + len(window))
            if start + size >= len(normed):
                break  # a longer window would be this one again
    return best


class QuoteFinder:
    """Finds quotations in an opened index (an IndexedCorpus).

    Only sections holding the quotation's rarest word are read: every place
    a quotation appears holds every word of it. The closest passage to a
    quotation not found is sought among the paragraphs sharing most of its
    words, found with the index too."""

    def __init__(self, kb) -> None:
        self.kb = kb
        self._sections: dict[str, Section | None] = {}
        self._folded: dict[tuple[str, bool], tuple[str, list[tuple[int, int]]]] = {}

    def _section(self, section_id: str) -> Section | None:
        if section_id not in self._sections:
            self._sections[section_id] = self.kb.section(section_id)
        return self._sections[section_id]

    def _candidate_sections(self, compiled: Quotation) -> list[str]:
        """Ids of the sections holding the quotation's rarest word, in corpus order."""
        from . import store
        from .analysis import plain_terms

        reader = self.kb.searcher.reader()
        terms = set(plain_terms(" ".join(compiled.literal_words)))
        if not terms:
            return []
        rarest = min(terms, key=lambda t: (reader.doc_frequency("plain", t), t))
        if not reader.doc_frequency("plain", rarest):
            return []
        found = {fields["section"]: fields for fields in self.kb.searcher.documents(plain=rarest)}
        order = {sid: k for k, sid in enumerate(self.kb.source_ids)}
        return sorted(found, key=lambda sid: (order.get(found[sid]["source"], 0), store.data_of(found[sid]).slines[0], sid))

    def _section_text(self, section: Section, ignore_case: bool) -> tuple[str, list[tuple[int, int]]]:
        """The folded text of SECTION's paragraphs joined by spaces, and where
        each paragraph lies in it."""
        key = (section.id, ignore_case)
        cached = self._folded.get(key)
        if cached is None:
            bounds, parts, pos = [], [], 0
            for para in section.paragraphs:
                text = fold(para.text, ignore_case)
                bounds.append((pos, pos + len(text)))
                parts.append(text)
                pos += len(text) + 1
            cached = self._folded[key] = (" ".join(parts), bounds)
        return cached

    def find(self, quote: str, ignore_case: bool = False) -> QuoteResult:
        """Every place QUOTE appears, or the closest passage when none."""
        compiled = Quotation(quote, ignore_case)
        matches: list[Place] = []
        for section_id in self._candidate_sections(compiled):
            section = self._section(section_id)
            if section is None:
                continue
            text, bounds = self._section_text(section, ignore_case)
            if not compiled.may_occur_in(text):
                continue
            source = self.kb.source(section.source)
            for start, end in compiled.spans(text):
                paras = [p for p, (a, b) in zip(section.paragraphs, bounds) if a < end and start < b]
                if compiled.elided and len(paras) > MAX_ELIDED_PARAGRAPHS:
                    continue
                matches.append(Place(section, source, paras))
        closest = None if matches else self.closest(compiled)
        return QuoteResult(quote, matches, closest)

    def closest(self, compiled: Quotation) -> Closest | None:
        """The run of corpus words most like the quotation, word for word."""
        words = compiled.words
        wanted = {_norm(w) for w in words} - {""}
        if not wanted:
            return None
        from whoosh import query as Q

        from . import store
        from .analysis import plain_terms

        terms = sorted(set(plain_terms(" ".join(words))))
        if not terms:
            return None
        results = self.kb.searcher.search(Q.Or([Q.Term("plain", t) for t in terms]), limit=CLOSEST_CANDIDATES * 4)
        candidates: list[tuple[int, int, Section, Paragraph]] = []
        for rank, hit in enumerate(results):
            fields = hit.fields()
            para = store.paragraph_from(fields)
            shared = len(wanted & {_norm(w) for w in fold(para.text, compiled.ignore_case).split()})
            if shared:
                candidates.append((-shared, rank, store.section_from(fields, [para]), para))
        candidates.sort(key=lambda c: (c[0], c[1]))
        best: tuple[float, Section, Paragraph, list[str]] | None = None
        for _, _, section, para in candidates[:CLOSEST_CANDIDATES]:
            pwords = fold(para.text).split()
            ratio, start, end = _best_window(words, pwords)
            if best is None or ratio > best[0]:
                best = (ratio, section, para, pwords[start:end])
        if best is None:
            return None
        ratio, section, para, window = best
        match = Place(section, self.kb.source(section.source), [para])
        changes = align(words, window, compiled.ignore_case)
        # Published words beyond either end of the quotation are context, not differences.
        while changes and changes[-1][0] == "insert":
            changes.pop()
        while changes and changes[0][0] == "insert":
            changes.pop(0)
        shown = " ".join(published for _, _, published in changes if published)
        return Closest(match, shown, ratio, changes)
