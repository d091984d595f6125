"""Readable one-line citations for sections and passages."""

from __future__ import annotations

from typing import Iterable, Sequence

from .sections import PATH_SEPARATOR, Paragraph, Section


def paragraph_ref(paragraphs: Iterable[Paragraph]) -> str:
    """"¶3 (line 61), ¶5 (lines 65–66)" for PARAGRAPHS, in document order."""
    parts = []
    for p in sorted(paragraphs, key=lambda p: p.n):
        a, b = p.lines
        parts.append(f"¶{p.n} (line {a})" if a == b else f"¶{p.n} (lines {a}–{b})")
    return ", ".join(parts)


def cite(source, section: Section, paragraphs: Sequence[Paragraph] = ()) -> str:
    """One line naming publisher, page title, section, paragraphs and URL.

    SOURCE is a Source; with no PARAGRAPHS the section's line range is cited.
    """
    where = paragraph_ref(paragraphs) if paragraphs else (
        f"lines {section.lines[0]}–{section.lines[1]}"
    )
    parts = [source.publisher, f"“{source.title}”", f"§ {PATH_SEPARATOR.join(section.heading_path)}", where]
    if source.url:
        parts.append(source.url)
    return ", ".join(parts)
