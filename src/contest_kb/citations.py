"""Readable one-line citations for sections and passages, and links that
open a source at the cited passage."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .sections import PATH_SEPARATOR, Paragraph, Section

FRAGMENT_WORDS = 4  # words quoted at each end of a text fragment


def paragraph_ref(paragraphs: Iterable[Paragraph]) -> str:
    """"¶3 (line 61), ¶5 (lines 65–66)" for PARAGRAPHS, in document order."""
    return ", ".join(p.locator.describe(p.n) for p in sorted(paragraphs, key=lambda p: p.n))


def section_ref(section: Section) -> str:
    """Where a whole section is: its pages in a paginated document, else its lines."""
    pages = [p.page for p in section.paragraphs if p.page is not None]
    if pages:
        a, b = min(pages), max(pages)
        return f"p. {a}" if a == b else f"pp. {a}–{b}"
    return f"lines {section.lines[0]}–{section.lines[1]}"


def cite(source, section: Section, paragraphs: Sequence[Paragraph] = (), url: bool = True) -> str:
    """One line naming publisher, page title, section, paragraphs and (with
    URL) the page's address.

    SOURCE is a Source; with no PARAGRAPHS the section's pages or lines are cited.
    """
    where = paragraph_ref(paragraphs) if paragraphs else section_ref(section)
    parts = [source.publisher, f"“{source.title}”", f"§ {PATH_SEPARATOR.join(section.heading_path)}", where]
    if url and source.url:
        parts.append(source.url)
    return ", ".join(parts)


# Characters left as they are in a text directive: the URL's unreserved
# characters except '-', which text fragments reserve (with ',' and '&').
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~")
# Each byte of UTF-8 (as the latin-1 character of its value) as a text directive writes it.
_BYTE_IN_FRAGMENT = {b: chr(b) if chr(b) in _UNRESERVED else f"%{b:02X}" for b in range(256)}


def _fragment_part(text: str) -> str:
    """TEXT percent-encoded as UTF-8 for a text directive (urllib.parse is
    not imported: it costs a search 3 ms at start)."""
    return text.encode("utf-8", "surrogatepass").decode("latin-1").translate(_BYTE_IN_FRAGMENT)


@lru_cache(maxsize=1024)
def text_fragment(text: str, words: int = FRAGMENT_WORDS) -> str:
    """The text directive of a URL fragment that highlights TEXT in a browser:
    ``:~:text=start,end`` (the first and last WORDS words), or the whole
    text when it is short (remembered: the same passages answer many
    questions)."""
    parts = text.split()
    if len(parts) <= 2 * words + 1:
        return "text=" + _fragment_part(" ".join(parts))
    return f"text={_fragment_part(' '.join(parts[:words]))},{_fragment_part(' '.join(parts[-words:]))}"


def passage_link(source, paragraph: Paragraph) -> str | None:
    """An address that opens SOURCE at PARAGRAPH: ``#page=N`` for a page of a
    PDF, a text fragment (``#:~:text=``) for a web page; None without an
    address."""
    url = getattr(source, "url", None)
    if not url:
        return None
    base = url.split("#", 1)[0]
    if paragraph.page is not None:
        return f"{base}#page={paragraph.page}"
    if re.search(r"(?i)\.pdf$", base.split("?", 1)[0]):
        return None
    return f"{base}#:~:{text_fragment(paragraph.text)}"


def passage_dict(source, paragraph: Paragraph, text: bool = True) -> dict:
    """A cited paragraph as JSON: n, lines, page, link and (with TEXT) text
    and lead_in (the line ending in a colon that introduces an item of a
    list or a quotation, or null)."""
    data = {"n": paragraph.n, **paragraph.locator.to_dict(), "link": passage_link(source, paragraph)}
    if text:
        data["text"] = paragraph.text
        data["lead_in"] = paragraph.lead_in or None
    return data


class Place:
    """A cited place in the corpus: a section and the paragraphs cited in it."""

    __slots__ = ("paragraphs", "section", "source")

    def __init__(self, section: Section, source, paragraphs: list[Paragraph]) -> None:
        self.section = section
        self.source = source
        self.paragraphs = paragraphs

    @property
    def citation(self) -> str:
        return cite(self.source, self.section, self.paragraphs)

    def to_dict(self, text: bool = True) -> dict:
        """The place as JSON: id, citation, source, heading path and passages
        (each {n, lines, page, link} and, with TEXT, the paragraph's text)."""
        return {
            "id": self.section.id,
            "citation": self.citation,
            "source": self.source.to_dict(),
            "heading_path": list(self.section.heading_path),
            "passages": [passage_dict(self.source, p, text) for p in self.paragraphs],
        }


def shown_lead_in(paragraph: Paragraph, shown: Sequence) -> str:
    """The lead-in to show before PARAGRAPH, in brackets as an editor's
    insertion ("[This legislation will:] amend …"), unless a passage SHOWN
    with it is the paragraph that ends in it."""
    lead = paragraph.lead_in
    if not lead or any(p.paragraph.text.endswith(lead) for p in shown):
        return ""
    return lead
