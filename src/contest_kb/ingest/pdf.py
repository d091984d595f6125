"""PDF: the text layer of each page, read with pypdf, rebuilt into headings
and paragraphs.

Lines come in the order the file draws them (so the columns of a
two-column page are read one after the other), each with its position, font
size and weight. Running headers and footers (a line at the top or bottom
of most pages, page numbers aside; a small line atop a later page, set apart
from the text) and page numbers are dropped. Headings are short lines set
larger than the body text, or in bold on a line of their own, or numbered
("2.1 What is Prevent?"), with the lines of a heading too long for one;
their levels come from the numbering or the font size. Lines of one
paragraph are joined (a word hyphenated across lines is joined as the rest
of the document spells it). A paragraph ends at a gap wider than its lines'
spacing, at a first-line indent, where a sentence ends well short of a full
line, at a bullet or a heading; a sentence left open at the foot of a column
or page continues at the top of the next. Every block keeps its
page, for citations such as "p. 12, ¶3".
"""

from __future__ import annotations

import io
import itertools
import math
import re
from collections import Counter

from ..errors import CorpusError
from ..sections import BULLET_SIGNS, MAX_HEADING_CHARS, Block, is_heading_line
from ..spelling import is_english
from ..text import plain, strip_controls
from . import Document, iso_date

# With the bullets of Symbol and Wingdings fonts, as a PDF's text layer has them.
_SIGNS = BULLET_SIGNS + "\uf0b7\uf0a7"
_BULLET = re.compile(rf"^\s*(?:[{_SIGNS}*\-–]|\(?[a-z0-9]{{1,3}}[.)])\s+")
# Marks that only ever open a list item; a dash, "a." or "12)" may also be
# the first word of a wrapped line.
_BULLET_SIGN = re.compile(rf"^\s*[{_SIGNS}]\s+")
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?=[A-Z])")
_PAGE_NUMBER = re.compile(r"(?:page\s*)?(?:#|[ivxlc]+)(?:\s*(?:of|/)\s*#)?")
_SENTENCE_END = re.compile(r"""[.!?:;…]["'”’)\]]*$""")
_JUNK_TITLE = re.compile(r"(?i)^(microsoft\s+word\s*-|untitled|document\d*$)|\.(docx?|pdf|indd|pptx?)$")


class _Line:
    __slots__ = ("bold", "page", "size", "text", "x", "y")

    def __init__(self, page: int, x: float, y: float, size: float, bold: bool, text: str) -> None:
        self.page, self.x, self.y, self.size, self.bold, self.text = page, x, y, size, bold, text


def _page_lines(page, number: int) -> list[_Line]:
    """The lines of one page, in drawing order."""
    lines: list[_Line] = []
    parts: list[str] = []
    where: list = []
    sizes: list[float] = []
    bolds: list[bool] = []

    def close() -> None:
        text = " ".join(strip_controls("".join(parts), keep_layout=False).split())
        if text and where:
            lines.append(_Line(number, where[0], where[1], max(sizes or [0.0]), bool(bolds) and all(bolds), text))
        parts.clear()
        where.clear()
        sizes.clear()
        bolds.clear()

    def visit(text: str, cm, tm, font, size) -> None:
        pieces = text.split("\n")
        for k, piece in enumerate(pieces):
            if k:
                close()
            if not piece:
                continue
            if not where:
                where.extend((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))
            parts.append(piece)
            if piece.strip():
                scale = math.hypot(tm[2], tm[3]) * (math.hypot(cm[2], cm[3]) or 1.0)
                sizes.append(round(float(size) * scale, 1))
                name = str(font.get("/BaseFont", "")) if font else ""
                bolds.append(bool(re.search(r"(?i)bold|black|heavy|,b\b", name)))

    page.extract_text(visitor_text=visit)
    close()
    return lines


def _edges(lines: list[_Line]) -> list[_Line]:
    """The two top and two bottom lines of a page, where running headers,
    footers and page numbers stand."""
    by_height = sorted(lines, key=lambda line: -line.y)
    return by_height[:2] + by_height[-2:]


def _frame_keys(pages: list[list[_Line]]) -> set[tuple[str, float]]:
    """Running headers and footers: the text (digits folded) and size of a
    line among the edge lines of most pages, or of an edge line after the
    first page that repeats, smaller, the title set large on the first. The
    size keeps a title on the first page that a running header repeats."""
    counts: Counter[tuple[str, float]] = Counter()
    for lines in pages:
        counts.update({(_key(line.text), line.size) for line in _edges(lines)})
    need = max(2, math.ceil(0.5 * len(pages)))
    frame = {key for key, n in counts.items() if n >= need} if len(pages) >= 2 else set()
    if pages:
        top = max(line.size for line in pages[0])
        title = _key(" ".join(line.text for line in pages[0] if line.size == top))
        frame |= {(_key(line.text), line.size) for lines in pages[1:] for line in _edges(lines)
                  if line.size < top and _key(line.text) == title}
    return frame


def _running_head(page: list[_Line], body: float) -> set[int]:
    """The top line of a page after the first when it is set smaller than
    the body text and apart from what follows: a running header that
    changes from chapter to chapter, or that a short document repeats only
    once."""
    by_height = sorted(page, key=lambda line: -line.y)
    top = by_height[0]
    below = by_height[1].y if len(by_height) > 1 else top.y - 3 * top.size
    return {id(top)} if top.size < 0.95 * body and top.y - below >= 2 * top.size else set()


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", plain(text).lower())


def _body_size(lines: list[_Line]) -> float:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _body_gaps(lines: list[_Line], body: float) -> list[float]:
    return sorted(a.y - b.y for a, b in itertools.pairwise(lines)
                  if a.page == b.page and a.size == b.size == body and 0 < a.y - b.y < 3 * body)


def _leading(gaps: list[float], body: float) -> float:
    """The usual gap between lines of body text."""
    return gaps[len(gaps) // 2] if gaps else body * 1.2


def _line_spacing(gaps: list[float], body: float) -> float:
    """The gap between the lines of one paragraph: the smallest gap of body
    text that is common (one in eight), since paragraph gaps, where a
    document has them, are wider; rounding aside, it does not vary."""
    if not gaps:
        return body * 1.2
    counts = Counter(round(gap * 2) / 2 for gap in gaps)
    common = [gap for gap, n in counts.items() if n >= max(2, len(gaps) / 8)]
    return min(common) if common else gaps[len(gaps) // 2]


def _full_lengths(lines: list[_Line], body: float) -> dict[int, int]:
    """The length in characters of a full line of body text, page by page
    (the ninth longest in ten; the document's for a page of a few lines)."""
    by_page: dict[int, list[int]] = {}
    for line in lines:
        if line.size == body:
            by_page.setdefault(line.page, []).append(len(line.text))
    every = sorted(n for lengths in by_page.values() for n in lengths)
    whole = every[len(every) * 9 // 10] if every else 0
    return {page: sorted(lengths)[len(lengths) * 9 // 10] if len(lengths) >= 5 else whole
            for page, lengths in by_page.items()}


def _short(line: _Line, after: _Line, full: int) -> bool:
    """Whether LINE stops short of a full line of FULL characters by more
    than the first word of the line AFTER it would have taken: the line
    was ended, not wrapped."""
    word = after.text.split(maxsplit=1)[0] if after.text.strip() else ""
    return len(line.text) + 1 + len(word) < 0.9 * full


def _heading_level(line: _Line, body: float, ranks: dict[float, int], alone: bool) -> int | None:
    """The level of LINE as a heading, or None; ALONE says wider gaps than
    the line spacing stand above and below it."""
    text = line.text
    if len(text) > MAX_HEADING_CHARS or _BULLET.match(text) and not _NUMBERED.match(text):
        return None
    if re.search(r"(?:\.\s?){4,}\s*\d+$", text):
        return None  # a line of a table of contents
    numbered = _NUMBERED.match(text)
    larger = line.size >= body * 1.15
    heading_like = (is_heading_line(text) or (text.endswith(("?", ":")) and len(text.split()) <= 15)) and not text.endswith(":")
    if numbered and heading_like and (larger or line.bold or alone):
        return numbered.group(1).count(".") + 2
    if larger and heading_like:
        return ranks[line.size]
    if line.bold and heading_like:
        return len(ranks) + 1
    return None


def _opens_item(previous: _Line, line: _Line, full: int) -> bool:
    """Whether LINE, which starts with a list mark, opens a list item rather
    than going on with the open, full line before it (the line above in
    the same column, or the last of the column or page before)."""
    if _BULLET_SIGN.match(line.text):
        return True
    below = previous.page == line.page and previous.y > line.y
    if below and (previous.y - line.y > 2 * line.size or abs(previous.x - line.x) >= 0.8 * line.size):
        return True
    return bool(_SENTENCE_END.search(previous.text)) or _short(previous, line, full)


def _indented(previous: _Line, line: _Line, nxt: _Line | None, full: int) -> bool:
    """Whether LINE opens a paragraph by its first-line indent: it stands to
    the right of the lines around it, and the line after it goes back left
    (or the line before ends a sentence or stops short)."""
    step = 0.8 * line.size
    near = nxt is not None and nxt.page == line.page and 0 < line.y - nxt.y < 3 * line.size
    left = min(previous.x, nxt.x) if near and nxt is not None else previous.x
    if line.x <= left + step:
        return False
    back = near and nxt is not None and nxt.x < line.x - step
    return back or bool(_SENTENCE_END.search(previous.text)) or _short(previous, line, full)


def _opens_sentence(text: str) -> bool:
    return bool(re.match(r"""["'“‘(\[]?[A-Z0-9]""", text))


def _join(first: str, second: str, words: set[str]) -> str:
    """Two lines of one paragraph. A word hyphenated at the break is joined
    as the document spells it elsewhere; where it has no other spelling of
    it, the hyphen is kept before a capital or a digit ("Multi-Agency") and
    dropped only where the word without it is English ("radicali-sation"),
    not where it is two words ("well-established")."""
    m = re.search(r"(\w+)-$", first)
    if not m:
        return f"{first} {second}"
    nxt = re.match(r"\w+", second)
    tail = nxt.group(0) if nxt else ""
    if not tail:
        return f"{first} {second}"
    closed = f"{m.group(1)}{tail}".lower()
    if f"{m.group(1)}-{tail}".lower() in words and closed not in words:
        return first + second
    if closed in words or (tail[0].islower() and is_english(closed)):
        return first[:-1] + second
    return first + second


def _metadata(doc: Document, reader, lines: list[_Line]) -> None:
    try:
        info = reader.metadata or {}
    except Exception:  # noqa: BLE001 - a damaged information dictionary is no reason to refuse the text
        info = {}
    title = info.get("/Title")
    if isinstance(title, str) and not _JUNK_TITLE.search(title.strip()):
        doc.found("title", strip_controls(title, keep_layout=False), "PDF /Title")
    first_page = [line for line in lines if line.page == lines[0].page] if lines else []
    if first_page:
        top = max(line.size for line in first_page)
        biggest = [line.text for line in first_page if line.size == top]
        if len(" ".join(biggest)) <= 2 * MAX_HEADING_CHARS:
            doc.found("title", " ".join(biggest), f"largest text on page {lines[0].page}")
    author = info.get("/Author")
    if isinstance(author, str) and " " in author.strip():
        doc.found("publisher", strip_controls(author, keep_layout=False), "PDF /Author")
    for field, key in (("published", "/CreationDate"), ("updated", "/ModDate")):
        value = info.get(key)
        if isinstance(value, str):
            doc.found(field, iso_date(value), f"PDF {key}")


def read_pdf(data: bytes, path: str) -> Document:
    """The headings and paragraphs of a PDF's text layer, each with its page."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs what it repairs on stderr; a damaged file is reported once, as our error.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise CorpusError(f"{path}: the PDF is encrypted with a password; save a copy without one and add that")
        pages = [_page_lines(page, k) for k, page in enumerate(reader.pages, 1)]
    except CorpusError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError) as exc:
        raise CorpusError(f"{path}: not a readable PDF ({type(exc).__name__}: {exc}); check the file") from None
    frame = _frame_keys([p for p in pages if p])
    body = _body_size([line for page in pages for line in page])
    lines: list[_Line] = []
    for k, page in enumerate(pages):
        dropped = {id(line) for line in _edges(page) if _PAGE_NUMBER.fullmatch(_key(line.text))}
        if k and page:
            dropped |= _running_head(page, body)
        lines.extend(line for line in page if (_key(line.text), line.size) not in frame and id(line) not in dropped)
    if not lines:
        raise CorpusError(f"{path}: the PDF has no text layer (a scanned document?); run OCR on it first "
                          "(for example with ocrmypdf) and add the result")
    doc = Document("pdf", blocks=[])
    doc.pages = len(pages)
    _metadata(doc, reader, lines)
    doc.blocks = _blocks(lines)
    return doc


def _blocks(lines: list[_Line]) -> list[Block]:
    body = _body_size(lines)
    gaps = _body_gaps(lines, body)
    leading = _leading(gaps, body)
    spacing = _line_spacing(gaps, body)
    full = _full_lengths(lines, body)
    ranks = {size: k for k, size in enumerate(sorted({x.size for x in lines if x.size >= body * 1.15}, reverse=True), 1)}
    words = {w.lower() for line in lines for w in re.findall(r"\w+(?:-\w+)*", line.text)}
    blocks: list[Block] = []
    current: list[tuple[int, _Line]] = []
    heading: list[tuple[int, _Line]] = []
    heading_level = 0
    items: set[int] = set()

    def close_paragraph() -> None:
        if current:
            text = current[0][1].text
            for _, line in current[1:]:
                text = _join(text, line.text, words)
            bullet = _BULLET.match(text) if current[0][0] in items else None
            blocks.append(Block(text[bullet.end():] if bullet else text, (current[0][0], current[-1][0]), page=current[0][1].page,
                                item=bullet is not None))
            current.clear()

    def close_heading() -> None:
        if heading:
            text = " ".join(line.text for _, line in heading)
            blocks.append(Block(text, (heading[0][0], heading[-1][0]), level=heading_level, page=heading[0][1].page))
            heading.clear()

    def space(a: _Line, b: _Line) -> float:
        return a.y - b.y if a.page == b.page and a.y > b.y else 10 * leading

    previous: _Line | None = None
    for number, line in enumerate(lines, 1):
        above = space(lines[number - 2], line) if number > 1 else 10 * leading
        below = space(line, lines[number]) if number < len(lines) else 10 * leading
        wraps = bool(heading) and previous is not None and previous.page == line.page and previous.size == line.size \
            and previous.bold == line.bold and 0 < previous.y - line.y <= 1.6 * line.size and not _NUMBERED.match(line.text)
        level = _heading_level(line, body, ranks, above > 1.5 * leading and below > 1.5 * leading)
        if level is None and wraps and not _BULLET.match(line.text) and not _SENTENCE_END.search(heading[-1][1].text) \
                and len(heading[-1][1].text) + len(line.text) < MAX_HEADING_CHARS:
            level = heading_level  # the rest of a heading too long for one line
        if level is not None:
            close_paragraph()
            if not (wraps and level == heading_level):
                close_heading()
            heading_level = level
            heading.append((number, line))
            previous = line
            continue
        close_heading()
        nxt = lines[number] if number < len(lines) else None
        width = full.get(previous.page, 0) if previous is not None else 0
        if _BULLET.match(line.text) and (previous is None or _opens_item(previous, line, width)):
            items.add(number)
        if current and previous is not None:
            if number in items or line.size != previous.size:
                breaks = True
            elif previous.page != line.page or previous.y <= line.y:
                # A new page or column: the paragraph goes on unless the line
                # before stopped short, after a sentence or before a capital
                # (a list item without a full stop).
                breaks = _short(previous, line, width) \
                    and (bool(_SENTENCE_END.search(previous.text)) or _opens_sentence(line.text))
            else:
                ended = _short(previous, line, width) and (current[0][0] in items or bool(_SENTENCE_END.search(previous.text)))
                breaks = previous.y - line.y > 1.2 * spacing or ended and _opens_sentence(line.text) \
                    or current[0][0] not in items and _indented(previous, line, nxt, width)
            if breaks:
                close_paragraph()
        current.append((number, line))
        previous = line
    close_paragraph()
    close_heading()
    return blocks
