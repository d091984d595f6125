"""Plain text: the page as captured, decoded; ``split_page`` finds its
headings and paragraphs."""

from __future__ import annotations

from ..errors import CorpusError
from ..sections import is_heading_line
from ..text import plain, strip_controls
from . import Document


def decode_utf8(data: bytes, path: str) -> str:
    """DATA as UTF-8 text without control characters (a page is data: no
    escape sequence of it may reach a terminal); an error names the line."""
    try:
        return strip_controls(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CorpusError(f"{path}:{line}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None


def read_text_document(data: bytes, path: str) -> Document:
    """A plain-text page; its first line is taken as the title when it reads
    as a heading."""
    text = decode_utf8(data, path)
    doc = Document("text", text=text)
    first = next((plain(line) for line in text.splitlines() if line.strip()), "").lstrip("#= ").rstrip("= ")
    if is_heading_line(first):
        doc.found("title", first, "first line")
    return doc
