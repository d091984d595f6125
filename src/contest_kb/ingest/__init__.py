"""Read documents of each supported format into headings and paragraphs,
with the metadata the file itself gives (title, publisher, dates, address)
and where each value came from.

One module per format; each is imported only when a file of its format is
read, so a search never loads an extraction library.
"""

from __future__ import annotations

import os
import re

from ..errors import CorpusError
from ..sections import Block

__all__ = ["FORMATS", "Block", "Document", "document_format", "iso_date", "read_document", "supported_types"]

# File suffix -> format; the reader of a format is the module of that name.
FORMATS: dict[str, str] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
METADATA_FIELDS = ("title", "publisher", "published", "updated", "url")


class Document:
    """What a reader found in one file.

    ``metadata`` maps manifest fields (title, publisher, published, updated,
    url) to values; ``origins`` says where each came from ("HTML og:title",
    "PDF /CreationDate"...). A plain-text page keeps its ``text`` (sectioned
    by ``split_page``); other formats give ``blocks``. ``pages`` counts a
    PDF's pages.
    """

    __slots__ = ("blocks", "format", "metadata", "origins", "pages", "text")

    def __init__(self, format: str, blocks: list[Block] | None = None, text: str | None = None) -> None:
        self.format = format
        self.blocks = blocks
        self.text = text
        self.metadata: dict[str, str] = {}
        self.origins: dict[str, str] = {}
        self.pages: int | None = None

    def found(self, field: str, value: object, origin: str) -> None:
        """Record VALUE for FIELD unless a better origin gave one already."""
        if field in self.metadata or not isinstance(value, str):
            return
        value = " ".join(value.split())
        if value:
            self.metadata[field] = value
            self.origins[field] = origin


_MONTHS = {m: k for k, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"], 1)}


def iso_date(value: str) -> str | None:
    """VALUE as YYYY-MM-DD (or YYYY-MM, YYYY) when it reads as a date: ISO 8601
    with or without a time, a PDF date (D:20230718...), "4 June 2018"."""
    value = value.strip()
    m = re.match(r"(?:D:)?(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?", value)
    if m and not re.match(r"\d{4}\s+\w", value):
        year, month, day = m.groups()
        if month and not 1 <= int(month) <= 12 or day and not 1 <= int(day) <= 31:
            return None
        return "-".join(p for p in (year, month, day if month else None) if p)
    m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", value)
    if m and m.group(2).lower() in _MONTHS:
        return f"{m.group(3)}-{_MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"
    return None


def supported_types() -> str:
    """The supported file suffixes, for messages."""
    return ", ".join(FORMATS)


def document_format(path: str) -> str:
    """The format of the file at PATH, from its suffix; an unsupported type
    is a CorpusError naming the file and the supported types."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in FORMATS:
        kind = f"type {suffix}" if suffix else "type (no suffix)"
        raise CorpusError(f"{path}: unsupported file {kind}; contest-kb reads {supported_types()} "
                          "(convert the document, or keep it out of the corpus folder)")
    return FORMATS[suffix]


def read_document(path: str, data: bytes | None = None, html_rules=None, suffix: str | None = None) -> Document:
    """Read the document at PATH (or its bytes DATA, PATH naming it in
    messages); HTML_RULES say what of a web page is its frame; SUFFIX gives
    the type when PATH's does not (a fetched address). Raises CorpusError
    naming the file when it cannot be read."""
    fmt = FORMATS[suffix] if suffix in FORMATS else document_format(path)
    if data is None:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise CorpusError(f"{path}: cannot be read ({exc.strerror})") from None
    if fmt == "text":
        from .plaintext import read_text_document

        return read_text_document(data, path)
    if fmt == "markdown":
        from .markdown import read_markdown

        return read_markdown(data, path)
    if fmt == "html":
        from .html import read_html

        return read_html(data, path, html_rules)
    from .pdf import read_pdf

    return read_pdf(data, path)
