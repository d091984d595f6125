"""Markdown: YAML front matter read as metadata (never indexed), the body
parsed with markdown-it-py; headings keep their levels, each paragraph,
list item and table row is a paragraph, and Markdown syntax (links,
emphasis, images, raw HTML) is left out of the text."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser

from ..errors import CorpusError
from ..sections import Block
from . import Document
from .plaintext import decode_utf8

# Front-matter keys, by manifest field, in order of preference.
FRONT_MATTER_KEYS = {
    "title": ("title",),
    "publisher": ("publisher", "organisation", "organization", "site_name", "site", "author"),
    "published": ("published", "date", "datePublished", "created"),
    "updated": ("updated", "modified", "dateModified", "lastmod", "last_modified"),
    "url": ("url", "canonical", "canonical_url", "source", "link"),
}


class _TextOfHTML(HTMLParser):
    """The text of a fragment of raw HTML, without scripts or styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(fragment: str) -> str:
    parser = _TextOfHTML()
    parser.feed(fragment)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def _inline_text(token) -> str:
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or child.type == "html_inline":
            parts.append(" ")
    return " ".join("".join(parts).split())


def _front_matter(doc: Document, content: str, path: str, line: int) -> None:
    import yaml

    try:
        data = yaml.safe_load(content)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{line + 2 + mark.line}" if mark else path  # the first line is the opening ---
        raise CorpusError(f"{where}: front matter is not valid YAML ({getattr(exc, 'problem', None) or exc}); fix it") from None
    if data is None:
        return
    if not isinstance(data, dict):
        raise CorpusError(f"{path}:{line + 1}: front matter must be a mapping of keys to values (title: ...)")
    for field, keys in FRONT_MATTER_KEYS.items():
        for key in keys:
            value = data.get(key)
            if isinstance(value, dict):  # author: {name: ...}
                value = value.get("name")
            if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                value = ", ".join(value)
            if isinstance(value, (datetime.date, datetime.datetime)):
                value = value.isoformat()[:10]
            doc.found(field, value, f"front matter '{key}'")


def read_markdown(data: bytes, path: str) -> Document:
    """The headings and paragraphs of a Markdown file, with its front matter
    as metadata."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    text = decode_utf8(data, path)
    md = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
    tokens = md.parse(text)
    doc = Document("markdown", blocks=[])
    blocks = doc.blocks
    assert blocks is not None
    header: list[str] = []
    row: list[str] = []
    in_head = False
    last_level = 1
    for k, token in enumerate(tokens):
        lines = (token.map[0] + 1, max(token.map[1], token.map[0] + 1)) if token.map else None
        if token.type == "front_matter":
            _front_matter(doc, token.content, path, token.map[0] if token.map else 0)
        elif token.type == "heading_open" and lines:
            title = _inline_text(tokens[k + 1])
            last_level = int(token.tag[1])
            blocks.append(Block(title, lines, level=last_level))
            if token.tag == "h1":
                doc.found("title", title, "first level-1 heading")
        elif token.type == "paragraph_open" and lines:
            text = _inline_text(tokens[k + 1])
            bold = _bold_heading(tokens[k + 1], text) and not tokens[k - 1].type.startswith("list_item") if k else False
            item = k > 0 and tokens[k - 1].type == "list_item_open"
            blocks.append(Block(text, lines, level=min(last_level + 1, 6) if bold else None, item=item))
        elif token.type in ("fence", "code_block") and lines:
            blocks.append(Block(" ".join(token.content.split()), lines))
        elif token.type == "html_block" and lines:
            blocks.append(Block(html_text(token.content), lines))
        elif token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            row = []
            row_lines = lines
        elif token.type == "inline" and tokens[k - 1].type in ("th_open", "td_open"):
            row.append(_inline_text(token))
        elif token.type == "tr_close":
            if in_head:
                header = row
            elif row_lines:
                blocks.append(Block(table_row(header, row), row_lines))
    return doc


def _bold_heading(inline, text: str) -> bool:
    """Whether a paragraph is one line set wholly in bold that reads as a
    heading ("**Who sits on a panel**")."""
    from ..sections import is_heading_line

    children = [c for c in inline.children or () if not (c.type == "text" and not c.content.strip())]
    return (len(children) >= 3 and children[0].type == "strong_open" and children[-1].type == "strong_close"
            and not any(c.type in ("strong_open", "strong_close") for c in children[1:-1])
            and is_heading_line(text) and not text.endswith(":"))


def table_row(header: list[str], cells: list[str]) -> str:
    """A table row as one readable paragraph: "Year: 2022; Referrals: 6,817"
    under a header, else the cells joined by " | "."""
    if header and len(header) == len(cells) and any(header):
        return "; ".join(f"{h}: {c}" if h else c for h, c in zip(header, cells) if c)
    return " | ".join(c for c in cells if c)
