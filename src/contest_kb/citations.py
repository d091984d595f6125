"""Readable one-line citations for sections and passages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .sections import PATH_SEPARATOR, Paragraph, Section


def paragraph_ref(paragraphs: Iterable[Paragraph]) -> str:
    """"¶3 (line 61), ¶5 (lines 65–66)" for PARAGRAPHS, in document order."""
    parts = []
    for p in sorted(paragraphs, key=lambda p: p.n):
        a, b = p.lines
        parts.append(f"¶{p.n} (line {a})" if a == b else f"¶{p.n} (lines {a}–{b})")
    return ", ".join(parts)


def cite(source, section: Section, paragraphs: Sequence[Paragraph] = (), url: bool = True) -> str:
    """One line naming publisher, page title, section, paragraphs and (with
    URL) the page's address.

    SOURCE is a Source; with no PARAGRAPHS the section's line range is cited.
    """
    where = paragraph_ref(paragraphs) if paragraphs else (
        f"lines {section.lines[0]}–{section.lines[1]}"
    )
    parts = [source.publisher, f"“{source.title}”", f"§ {PATH_SEPARATOR.join(section.heading_path)}", where]
    if url and source.url:
        parts.append(source.url)
    return ", ".join(parts)


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
        (each {n, lines} and, with TEXT, the paragraph's text)."""
        return {
            "id": self.section.id,
            "citation": self.citation,
            "source": self.source.to_dict(),
            "heading_path": list(self.section.heading_path),
            "passages": [p.to_dict() if text else {"n": p.n, "lines": list(p.lines)} for p in self.paragraphs],
        }
