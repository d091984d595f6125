"""Split a document into sections and paragraphs.

Two ways in: ``split_page`` reads a captured page of plain text line by line
(described below); ``sections_from_blocks`` takes the headings and paragraphs
that a format reader (Markdown, HTML, PDF; see ``ingest``) found, with their
levels and locators. Both give sections the same stable ids.

A page is read line by line. Site chrome (lines matching the corpus's
boilerplate patterns) is dropped first; the remaining lines form blocks
separated by blank lines. A block is a heading when it is a Markdown heading
(``## Background``), a wiki heading (``== Background ==``), or a single short line without closing punctuation (a question mark is
allowed, so "How does CTP contribute to the delivery of CONTEST?" is a
heading). On pages captured with single line breaks, a short heading-like
line that stands between the end of one sentence and the start of a long
line is a heading too ("Martyn's Law" above "The UK has faced..."). Every
other block holds paragraphs: each bullet is a paragraph, and
each line that ends a sentence ends a paragraph.

Plain text has no heading levels, so they are inferred:

* the first heading of a page is its title (level 1);
* other headings are level 2, except that a heading is level 3, under the
  level-2 heading before it, when its words occur more than once among the
  page's headings (the two "Key information" parts of the Home Office page),
  or when the level-2 section it follows ends with a lead-in line ending in
  a colon and it is short (the one-word strand headings under "How does CTP
  contribute to the delivery of CONTEST?").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from re import Pattern

from .text import plain, tidy

MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 120
SHORT_HEADING_WORDS = 3
PATH_SEPARATOR = " › "

# Signs that mark a list item and nothing else (a dash or "1." may also open a line of text).
BULLET_SIGNS = "•●▪◦‣∙·"
_BULLET = rf"^\s*(?:[{BULLET_SIGNS}*+\-–]|\d{{1,3}}[.)])\s+"
# Closing hashes are stripped in code: a lazy group before "\s*#*\s*$" backtracks
# quadratically on a long line of spaces.
_MD_HEADING = r"^(#{1,6})\s+(.*)$"
_CLOSING = (".", ",", ";", ":", "!", "…")
_SENTENCE_END = r"""[.!?:…]["'”’)\]]*$"""
_SENTENCE_START = re.compile(r"(?<=[.!?])\s+")
_QUOTE_MARKS = ('"', "“", "‘", "'", "«")
# A lead-in is a clause ("This legislation will:"); a longer "sentence" is a
# run of text without stops, not one to repeat with every item after it.
MAX_LEAD_IN_CHARS = 300
_SLUG_DROP = r"[^a-z0-9]+"


class Locator:
    """Where a paragraph is in its document: its 1-based line range (in the
    file, or in the extracted text of a PDF) and, in a paginated document,
    its page."""

    __slots__ = ("lines", "page")

    def __init__(self, lines: tuple[int, int], page: int | None = None) -> None:
        self.lines = lines
        self.page = page

    def describe(self, n: int) -> str:
        """"¶3 (lines 61–62)", or "p. 12, ¶3" in a paginated document."""
        if self.page is not None:
            return f"p. {self.page}, ¶{n}"
        a, b = self.lines
        return f"¶{n} (line {a})" if a == b else f"¶{n} (lines {a}–{b})"

    def to_dict(self) -> dict:
        return {"lines": list(self.lines), "page": self.page}


class Paragraph:
    """One paragraph (or bullet) of a section, with its 1-based line range
    and, in a paginated document (PDF), its page. ``lead_in`` is the line
    ending in a colon that introduces it, when it is an item of a list or a
    quotation after one ("This legislation will:", "Sajid Javid said:"): it
    ranks the paragraph and counts as its context, as a heading does.
    ``introduces`` says the paragraph is nothing but the lead-in of the list
    items after it ("The aims of Prevent are to:"); ``item`` that it is an
    item of a list."""

    __slots__ = ("introduces", "item", "lead_in", "lines", "n", "page", "text")

    def __init__(self, n: int, lines: tuple[int, int], text: str, page: int | None = None, lead_in: str = "",
                 item: bool = False) -> None:
        self.n = n
        self.lines = tuple(lines)
        self.text = text
        self.page = page
        self.lead_in = lead_in
        self.item = item
        self.introduces = False

    @property
    def locator(self) -> Locator:
        return Locator((self.lines[0], self.lines[1]), self.page)

    def __repr__(self) -> str:
        return f"Paragraph(n={self.n}, lines={self.lines}, text={self.text[:40]!r}...)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Paragraph) and (self.n, self.lines, self.text, self.page) == (
            other.n, other.lines, other.text, other.page)

    def to_dict(self) -> dict:
        return {"n": self.n, **self.locator.to_dict(), "text": self.text}


class Section:
    """A heading and the paragraphs under it, within one source page.

    ``strands`` lists the strands the section is about; ``overview`` marks a
    section that lists all four strands without belonging to one; ``evidence``
    holds the cues behind the tags (see strands.py).
    """

    __slots__ = ("evidence", "heading_path", "id", "level", "lines", "overview", "paragraphs", "size", "source", "strands")

    def __init__(
        self,
        id: str,
        source: str,
        heading_path: list[str],
        level: int,
        lines: tuple[int, int],
        paragraphs: list[Paragraph],
        strands: list[str] | None = None,
        overview: bool = False,
        evidence: list[dict] | None = None,
    ) -> None:
        self.id = id
        self.source = source
        self.heading_path = list(heading_path)
        self.level = level
        self.lines = tuple(lines)
        self.paragraphs = paragraphs
        self.strands = strands or []
        self.overview = overview
        self.evidence = evidence or []
        # How many paragraphs the section has; PARAGRAPHS may hold only some
        # of them when the section was read from the index for a citation.
        self.size = len(paragraphs)

    def __repr__(self) -> str:
        return f"Section(id={self.id!r}, strands={self.strands}, paragraphs={len(self.paragraphs)})"

    @property
    def heading(self) -> str:
        """The section's own heading (the last element of its path)."""
        return self.heading_path[-1]

    @property
    def text(self) -> str:
        """The section's paragraphs joined by blank lines."""
        return "\n\n".join(p.text for p in self.paragraphs)


class Block:
    """One heading (LEVEL set) or paragraph of a document, in reading order,
    as a format reader found it: its text, 1-based line range in the file
    (or in the extracted text of a PDF), page (PDF only) and whether it is
    an item of a list."""

    __slots__ = ("item", "level", "lines", "page", "text")

    def __init__(self, text: str, lines: tuple[int, int], level: int | None = None, page: int | None = None,
                 item: bool = False) -> None:
        self.text = text
        self.lines: tuple[int, int] = (lines[0], lines[1])
        self.level = level
        self.page = page
        self.item = item

    def __repr__(self) -> str:
        kind = f"h{self.level}" if self.level else "p"
        return f"Block({kind}, lines={self.lines}, page={self.page}, text={self.text[:40]!r})"


class _Block:
    __slots__ = ("lines", "md_level")

    def __init__(self, lines: list[tuple[int, str]], md_level: int | None = None) -> None:
        self.lines = lines
        self.md_level = md_level

    @property
    def first(self) -> int:
        return self.lines[0][0]


def slug(text: str, max_chars: int = 48) -> str:
    """Return a lowercase ASCII slug of TEXT, cut at a word boundary."""
    words = [w for w in re.split(_SLUG_DROP, plain(text).lower()) if w]
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > max_chars and out:
            break
        out = candidate
    return out or "section"


def is_heading_line(text: str) -> bool:
    """Whether a lone line of plain text reads as a heading."""
    if not text or re.match(_BULLET, text) or text.endswith(_CLOSING):
        return False
    if len(text) > MAX_HEADING_CHARS or len(text.split()) > MAX_HEADING_WORDS:
        return False
    return text[0].isupper() or text[0].isdigit()


def _marked_heading(text: str) -> tuple[int, str] | None:
    """(level, heading) of a Markdown (``## Aims``) or wiki (``== Aims ==``)
    heading line, else None."""
    md = re.match(_MD_HEADING, text)
    if md:
        return len(md.group(1)), tidy(md.group(2).rstrip().rstrip("#"))
    line = text.strip()
    level = len(line) - len(line.lstrip("="))
    if 1 <= level <= 6 and line.endswith("=" * level) and len(line) > 2 * level:
        inner = line[level:-level].strip()
        if inner and not inner.startswith("=") and not inner.endswith("="):
            return level, tidy(inner)
    return None


def _starts_body(text: str) -> bool:
    """Whether a line reads as the start of a paragraph: a capital (or digit
    or quotation mark) and a full sentence or more words than a heading."""
    text = plain(text)
    if not text or not (text[0].isupper() or text[0].isdigit() or text[0] in "\"'("):
        return False
    return bool(re.search(_SENTENCE_END, text)) or len(text.split()) > MAX_HEADING_WORDS


def _glued_headings(block: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Split a block of a page captured with single line breaks where short
    heading-like lines stand between the end of a sentence (or the block's
    start) and the start of a long paragraph; each such line becomes a block
    of its own. Wrapped paragraphs are left alone: their lines are of like
    length, and a wrapped line is followed by lower case."""
    if len(block) < 2:
        return [list(block)] if block else []
    widest = max(len(t.strip()) for _, t in block)
    folded = [plain(t) for _, t in block]
    candidate = [is_heading_line(f) and len(f) < 0.6 * widest for f in folded]
    split = [False] * len(block)
    k = 0
    while k < len(block):
        end = k
        while end < len(block) and candidate[end]:
            end += 1
        after_sentence = k == 0 or bool(re.search(_SENTENCE_END, folded[k - 1]))
        if end > k and end < len(block) and after_sentence and _starts_body(folded[end]):
            split[k:end] = [True] * (end - k)
        k = max(end, k + 1)
    out: list[list[tuple[int, str]]] = [[]]
    for line, alone in zip(block, split):
        if alone:
            out.extend([[line], []])
        else:
            out[-1].append(line)
    return [b for b in out if b]


def _blocks(lines: Iterable[tuple[int, str]]) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[tuple[int, str]] = []

    def close() -> None:
        blocks.extend(_Block(part) for part in _glued_headings(current))
        current.clear()

    for lineno, text in lines:
        marked = _marked_heading(text) if text.lstrip()[:1] in ("#", "=") else None
        if marked:
            close()
            blocks.append(_Block([(lineno, marked[1])], md_level=marked[0]))
        elif text.strip():
            current.append((lineno, text))
        else:
            close()
    close()
    return blocks


def _paragraphs(block: _Block) -> list[tuple[tuple[int, int], str, bool]]:
    """Split a block of lines into (line range, text, is an item) paragraphs."""
    out: list[tuple[tuple[int, int], str, bool]] = []
    start = end = 0
    parts: list[str] = []
    item = False
    for lineno, raw in block.lines:
        bullet = re.match(_BULLET, raw)
        text = tidy(raw[bullet.end():] if bullet else raw)
        if not text:
            continue
        if parts and (bullet or re.search(_SENTENCE_END, parts[-1])):
            out.append(((start, end), " ".join(parts), item))
            parts = []
        if not parts:
            start = lineno
            item = bool(bullet)
        parts.append(text)
        end = lineno
    if parts:
        out.append(((start, end), " ".join(parts), item))
    return out


def nests_below(heading: str, headings: list[str], lead_in: bool) -> bool:
    """Whether HEADING, a heading the document does not mark with a level,
    goes a level below the one before it: its words recur among the page's
    such HEADINGS (plain, lower case), or it is short and follows a section
    that ends with a lead-in line ending in a colon (LEAD_IN)."""
    text = plain(heading)
    short = len(text.split()) <= SHORT_HEADING_WORDS and not text.endswith(("?", ":"))
    return headings.count(text.lower()) > 1 or lead_in and short


def _heading_levels(blocks: list[_Block], headings: list[int]) -> dict[int, int]:
    """Infer a level for each plain-text heading block (see the module doc)."""
    levels: dict[int, int] = {}
    texts = [plain(blocks[i].lines[0][1]).lower() for i in headings]
    seen_level2 = False
    lead_in = False
    for pos, i in enumerate(headings):
        block = blocks[i]
        if block.md_level is not None:
            levels[i] = block.md_level
            seen_level2 = block.md_level >= 2 or seen_level2
            continue
        if not levels:
            levels[i] = 1
            lead_in = False
        elif seen_level2 and nests_below(block.lines[0][1], texts, lead_in):
            levels[i] = 3
        else:
            levels[i] = 2
            seen_level2 = True
            nxt = headings[pos + 1] if pos + 1 < len(headings) else len(blocks)
            body = blocks[i + 1 : nxt]
            lead_in = bool(body) and plain(body[-1].lines[-1][1]).endswith(":")
    return levels


class _Sections:
    """Collects sections as headings and paragraphs arrive in reading order:
    a heading closes the section before it; ids are the slugs of the heading
    path, numbered when one repeats on a page."""

    def __init__(self, source_id: str, source_title: str, back_matter: frozenset[str] = frozenset()) -> None:
        self.source_id = source_id
        self.source_title = source_title
        self.sections: list[Section] = []
        self._used: dict[str, int] = {}
        self._stack: list[tuple[int, str]] = []
        self._paragraphs: list[Paragraph] = []
        self._heading_line = 0
        self._back_matter = back_matter
        # The level of the back-matter heading being skipped under, if any.
        self._skipping: int | None = None

    def heading(self, level: int, text: str, line: int) -> None:
        self.flush()
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, tidy(text)))
        self._heading_line = line
        if self._skipping is not None and level <= self._skipping:
            self._skipping = None
        if self._skipping is None and is_back_matter(text, self._back_matter):
            self._skipping = level

    def paragraph(self, lines: tuple[int, int], text: str, page: int | None = None, item: bool = False) -> None:
        """Add a paragraph; ITEM says it is an item of a list. Under a
        back-matter heading nothing is added."""
        if self._skipping is not None:
            return
        lead_in = self._lead_in(text, item)
        if item and lead_in and self._paragraphs[-1].text == lead_in:
            self._paragraphs[-1].introduces = True
        self._paragraphs.append(Paragraph(len(self._paragraphs) + 1, lines, text, page, lead_in, item))

    def _lead_in(self, text: str, item: bool) -> str:
        """The lead-in of a paragraph TEXT about to be added: the last sentence
        of the paragraph before when that ends in a colon, or its own lead-in,
        for an item of a list or a quotation ("" for any other paragraph)."""
        if not self._paragraphs or not (item or text.startswith(_QUOTE_MARKS)):
            return ""
        before = self._paragraphs[-1]
        if plain(before.text).endswith(":"):
            lead_in = _SENTENCE_START.split(before.text)[-1]
            return lead_in if len(lead_in) <= MAX_LEAD_IN_CHARS else ""
        return before.lead_in

    def flush(self) -> None:
        paragraphs, self._paragraphs = self._paragraphs, []
        if not paragraphs:
            return
        stack = self._stack
        full = [h for _, h in stack] or [self.source_title]
        # The page title prefixes every path on its page; it is kept only on
        # the part that sits directly under it.
        path = full[1:] if len(stack) > 1 and stack[0][0] == 1 else full
        base = f"{self.source_id}/" + "/".join(slug(h) for h in path)
        self._used[base] = self._used.get(base, 0) + 1
        sid = base if self._used[base] == 1 else f"{base}-{self._used[base]}"
        first = self._heading_line or paragraphs[0].lines[0]
        self.sections.append(
            Section(
                id=sid,
                source=self.source_id,
                heading_path=path,
                level=stack[-1][0] if stack else 1,
                lines=(first, paragraphs[-1].lines[1]),
                paragraphs=paragraphs,
            )
        )


def back_matter_key(heading: str) -> str:
    """HEADING as back-matter headings are compared: typography and white
    space folded, a closing colon dropped, lower case."""
    return plain(heading).rstrip(" :").casefold()


def is_back_matter(heading: str, back_matter: frozenset[str]) -> bool:
    """Whether HEADING names back matter: one of BACK_MATTER (each a
    back_matter_key), such as "See also" or "References"."""
    return bool(back_matter) and back_matter_key(heading) in back_matter


def _is_chrome(text: str, chrome: list[Pattern[str]]) -> bool:
    folded = plain(text)
    return bool(folded) and any(p.fullmatch(folded) for p in chrome)


def split_page(
    text: str,
    source_id: str,
    source_title: str,
    chrome: Iterable[Pattern[str]] = (),
    back_matter: frozenset[str] = frozenset(),
) -> list[Section]:
    """Split the text of one page into sections with stable ids.

    CHROME holds compiled patterns; a line whose folded text matches one of
    them in full is site chrome and is dropped. A section under a heading
    in BACK_MATTER (lower case: "see also", "references"), and every section
    below it, lists other works and is dropped. Sections without paragraphs
    (a title directly followed by a sub-heading, or a signature block at the
    end of the page) are not returned, but their headings still form the
    heading paths of the sections under them.
    """
    chrome = list(chrome)
    kept = [(lineno, "" if _is_chrome(raw, chrome) else raw) for lineno, raw in enumerate(text.splitlines(), start=1)]

    blocks = _blocks(kept)
    # A signature block ("Home Office" / "The Rt Hon ...") closes some pages:
    # short lines without punctuation and no text after them.
    if blocks and blocks[-1].md_level is None and all(is_heading_line(plain(t)) for _, t in blocks[-1].lines):
        blocks.pop()
    headings = [
        i
        for i, b in enumerate(blocks)
        if b.md_level is not None or (len(b.lines) == 1 and is_heading_line(plain(b.lines[0][1])))
    ]
    levels = _heading_levels(blocks, headings)

    out = _Sections(source_id, source_title, back_matter)
    for i, block in enumerate(blocks):
        if i in levels:
            out.heading(levels[i], block.lines[0][1], block.first)
        else:
            for lines, para, item in _paragraphs(block):
                out.paragraph(lines, para, item=item)
    out.flush()
    return out.sections


def sections_from_blocks(
    blocks: Iterable[Block],
    source_id: str,
    source_title: str,
    chrome: Iterable[Pattern[str]] = (),
    back_matter: frozenset[str] = frozenset(),
) -> list[Section]:
    """Sections of a document whose reader found its headings (with levels)
    and paragraphs. Blocks whose text matches a CHROME pattern in full are
    dropped, and so is back matter, as for ``split_page``, which makes the
    ids the same way."""
    chrome = list(chrome)
    out = _Sections(source_id, source_title, back_matter)
    for block in blocks:
        text = tidy(block.text)
        if not text or _is_chrome(text, chrome):
            continue
        if block.level:
            out.heading(block.level, text, block.lines[0])
        else:
            out.paragraph(block.lines, text, block.page, item=block.item)
    out.flush()
    return out.sections
