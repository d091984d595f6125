"""Web pages: the main content of an HTML file, parsed with lxml.

The page's frame (navigation, masthead, footer, cookie banners,
breadcrumbs, share widgets, related links; the rules are in the corpus's
``boilerplate.toml``) is dropped; ``<h1>``-``<h6>`` are headings with their
levels; each paragraph, list item and block of text (or run of text between
blank lines, ``<br><br>``) is a paragraph; each table row is one readable
paragraph ("Year: 2022; Referrals: 6,817"). A page that declares no
character set is read as UTF-8 when it is valid UTF-8, else Windows-1252.
Metadata comes from ``<title>``, Open Graph and ``article:`` tags, Dublin
Core, GOV.UK's ``govuk:`` tags, JSON-LD and the canonical link.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from ..errors import CorpusError
from ..sections import BULLET_SIGNS, Block, is_heading_line, nests_below
from ..text import plain, strip_controls
from . import Document, iso_date
from .markdown import table_row

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BLOCK_TAGS = frozenset(
    ["address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"]
)
_WORD_SPLIT = re.compile(r"[-_\s:]+|(?<=[a-z])(?=[A-Z])")
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset|<\?xml[^>]+encoding""", re.IGNORECASE)
_BULLET_SIGN = re.compile(rf"^[{BULLET_SIGNS}]\s+")


class HtmlRules:
    """What counts as a page's frame: tags, ARIA roles and class/id words."""

    def __init__(self, tags: Iterable[str] = (), roles: Iterable[str] = (), words: Iterable[str] = ()) -> None:
        self.tags = frozenset(t.lower() for t in tags)
        self.roles = frozenset(r.lower() for r in roles)
        self.words = frozenset(w.lower() for w in words)

    @classmethod
    def from_config(cls, config: dict, origin: str) -> HtmlRules:
        """Rules from the ``[html]`` table of a boilerplate file."""
        table = config.get("html", {})
        lists = {}
        for key in ("drop_tags", "drop_roles", "drop_words"):
            value = table.get(key, []) if isinstance(table, dict) else None
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise CorpusError(f"{origin}: [html] {key} must be a list of strings")
            lists[key] = value
        return cls(lists["drop_tags"], lists["drop_roles"], lists["drop_words"])

    def is_frame(self, el, in_content: bool) -> bool:
        tag = el.tag.lower()
        if tag in self.tags or (tag == "header" and not in_content):
            return True
        if el.get("hidden") is not None or el.get("aria-hidden") == "true":
            return True
        if "display:none" in (el.get("style") or "").replace(" ", "").lower():
            return True
        if (el.get("role") or "").lower() in self.roles:
            return True
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        return any(w.lower() in self.words for w in _WORD_SPLIT.split(names) if w)


class _Walker:
    """Collects blocks from an element tree in reading order."""

    def __init__(self, rules: HtmlRules) -> None:
        self.rules = rules
        self.blocks: list[Block] = []
        self._parts: list[str] = []
        self._lines: tuple[int, int] | None = None
        self._item = False  # the next block opens an item of a list
        self._level = 1  # of the last marked-up heading, for headings set in bold
        self.unmarked: set[int] = set()  # blocks that are headings set in bold

    def _add(self, text: str | None, line: int | None) -> None:
        if not text:
            return
        if text.strip() and line:
            self._lines = (self._lines[0], max(self._lines[1], line)) if self._lines else (line, line)
        self._parts.append(text)

    def _flush(self) -> None:
        text = " ".join("".join(self._parts).split())
        bullet = _BULLET_SIGN.match(text)
        text = text[bullet.end():] if bullet else text
        if text and self._lines:
            self.blocks.append(Block(text, self._lines, item=self._item or bullet is not None))
            self._item = False
        self._parts, self._lines = [], None

    def text(self, el, in_content: bool) -> str:
        """The text of EL without its frame elements."""
        parts = [el.text or ""]
        for child in el:
            if isinstance(child.tag, str) and not self.rules.is_frame(child, in_content):
                parts.append(" " + self.text(child, in_content) + " " if child.tag.lower() in BLOCK_TAGS else self.text(child, in_content))
            parts.append(child.tail or "")
        return " ".join("".join(parts).split())

    def walk(self, el, in_content: bool = False) -> None:
        tag = el.tag.lower()
        in_content = in_content or tag in ("main", "article")
        block = tag in BLOCK_TAGS
        if block:
            self._flush()
            self._item = self._item or tag == "li"
        line = el.sourceline
        level = self._heading_level(el, tag, in_content)
        if level:
            text = self.text(el, in_content)
            if text:
                if tag in HEADINGS or (el.get("role") or "").lower() == "heading":
                    self._level = level
                else:
                    self.unmarked.add(len(self.blocks))
                self.blocks.append(Block(text, (line, line), level=level))
            return
        if tag == "table":
            self._table(el, in_content)
            return
        if tag == "br":
            following = el.getnext()
            if following is not None and following.tag == "br" and not (el.tail or "").strip():
                self._flush()  # a blank line: the paragraphs of a page that has no <p>
            self._add(" ", line)
            return
        self._add(el.text, line)
        for child in el:
            if isinstance(child.tag, str) and not self.rules.is_frame(child, in_content):
                self.walk(child, in_content)
            self._add(child.tail, child.sourceline)
        if block:
            self._flush()
            self._item = False

    def _heading_level(self, el, tag: str, in_content: bool) -> int | None:
        """The level of EL as a heading: <h1>-<h6>, role="heading" with its
        aria-level, or a paragraph set wholly in bold that reads as a
        heading (one level below the last marked-up heading, so that bold
        headings in a row are siblings)."""
        if tag in HEADINGS:
            return HEADINGS[tag]
        if (el.get("role") or "").lower() == "heading":
            level = el.get("aria-level") or "2"
            return min(max(int(level), 1), 6) if level.isdigit() else 2
        if tag in ("p", "div") and len(el) == 1 and el[0].tag in ("strong", "b") and not (el.text or "").strip() \
                and not (el[0].tail or "").strip():
            text = self.text(el, in_content)
            if is_heading_line(text) and not text.endswith(":"):
                return min(self._level + 1, 6)
        return None

    def _table(self, table, in_content: bool) -> None:
        header: list[str] = []
        for row in table.iter("tr"):
            cells = [c for c in row if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
            texts = [self.text(c, in_content) for c in cells]
            if not any(texts):
                continue
            if not header and all(c.tag.lower() == "th" for c in cells):
                header = texts
                continue
            self.blocks.append(Block(table_row(header, texts), (row.sourceline, row.sourceline)))
        caption = table.find("caption")
        if caption is not None and self.text(caption, in_content):
            self.blocks.append(Block(self.text(caption, in_content), (caption.sourceline, caption.sourceline)))


def _nest_bold_headings(blocks: list[Block], bold: set[int]) -> None:
    """Put a heading set in bold a level further down, as the plain-text
    reader does (see sections.py), when its words recur among the page's
    bold headings ("Key information" under each fact sheet) or when it is
    short and follows a section that ends with a lead-in line ("… in four
    ways:"), below the bold heading before it."""
    texts = [plain(blocks[i].text).lower() for i in sorted(bold)]
    parent: int | None = None  # level of the last bold heading left where it was
    lead_in = False
    for i, block in enumerate(blocks):
        if block.level is None:
            continue
        if i not in bold:
            parent, lead_in = None, False
            continue
        if parent is not None and block.level == parent and nests_below(block.text, texts, lead_in):
            block.level = min(parent + 1, 6)
            continue
        parent = block.level
        after = next((j for j in range(i + 1, len(blocks)) if blocks[j].level is not None), len(blocks))
        lead_in = after > i + 1 and blocks[after - 1].text.rstrip().endswith(":")


def _content_root(root):
    """The element holding the page's main content."""
    for xpath in ("//main", "//*[@role='main']", "//*[@id='main-content']", "//*[@id='content']"):
        found = root.xpath(xpath)
        if len(found) == 1:
            return found[0]
    articles = root.xpath("//article")
    if len(articles) == 1:
        return articles[0]
    body = root.find("body")
    return body if body is not None else root


def _json_ld(root) -> list[dict]:
    items: list[dict] = []
    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                items.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return items


def _name(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value if isinstance(value, str) else None


def _metadata(doc: Document, root, h1: str | None) -> None:
    meta: dict[str, str] = {}
    for el in root.xpath("//meta[@content]"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip()
        if key and key.lower() not in meta:
            meta[key.lower()] = el.get("content")
    ld = [i for i in _json_ld(root) if isinstance(i.get("@type"), (str, list))]

    def from_meta(field: str, *keys: str, date: bool = False) -> None:
        for key in keys:
            value = meta.get(key.lower())
            doc.found(field, iso_date(value) if date and value else value, f"HTML <meta {key}>")

    def from_ld(field: str, key: str, date: bool = False) -> None:
        for item in ld:
            value = _name(item.get(key)) if key in ("publisher", "author") else item.get(key)
            if isinstance(value, str):
                doc.found(field, iso_date(value) if date else value, f"JSON-LD {key}")

    from_meta("title", "og:title")
    from_ld("title", "headline")
    from_meta("title", "dc.title", "dcterms.title", "twitter:title")
    doc.found("title", h1, "HTML <h1>")
    title = root.find(".//title")
    if title is not None:
        doc.found("title", title.text_content(), "HTML <title>")
    from_meta("publisher", "govuk:primary-publishing-organisation")
    from_ld("publisher", "publisher")
    from_meta("publisher", "og:site_name", "dc.publisher", "dcterms.publisher", "author", "article:author")
    from_ld("publisher", "author")
    from_meta("published", "article:published_time", "govuk:first-published-at", date=True)
    from_ld("published", "datePublished", date=True)
    from_meta("published", "dcterms.issued", "dc.date.issued", "dc.date", "dcterms.date", "date", date=True)
    from_meta("updated", "article:modified_time", "govuk:updated-at", date=True)
    from_ld("updated", "dateModified", date=True)
    from_meta("updated", "dcterms.modified", "dc.date.modified", "og:updated_time", "last-modified", date=True)
    canonical = root.xpath("//link[@rel='canonical']/@href")
    doc.found("url", canonical[0] if canonical else None, "HTML canonical link")
    from_meta("url", "og:url")
    from_ld("url", "url")


def declares_encoding(data: bytes) -> bool:
    """Whether a document says itself what encoding it is in: a byte-order
    mark, or near its start a meta charset or an XML declaration."""
    return data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or bool(_DECLARED_CHARSET.search(data[:4096]))


def is_utf8(data: bytes) -> bool:
    """Whether DATA is valid UTF-8 (text in Latin-1 or Windows-1252 almost never is)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _encoding(data: bytes) -> str | None:
    """The encoding to read DATA in when the page does not declare one (a
    page saved without its server's header): UTF-8 if it is valid UTF-8,
    else Windows-1252, as browsers guess; None leaves a declared one (or a
    byte-order mark) to the parser."""
    if declares_encoding(data):
        return None
    return "utf-8" if is_utf8(data) else "windows-1252"


def read_html(data: bytes, path: str, rules: HtmlRules | None = None) -> Document:
    """The main content of an HTML page, as headings and paragraphs, with
    its metadata."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(encoding=_encoding(data)))
    except (lxml.etree.ParserError, ValueError, LookupError) as exc:
        raise CorpusError(f"{path}: not a readable HTML page ({exc}); check the file") from None
    rules = rules or HtmlRules()
    content = _content_root(root)
    walker = _Walker(rules)
    in_content = content.tag.lower() in ("main", "article") or bool(content.xpath("ancestor::main|ancestor::article"))
    walker.walk(content, in_content)
    blocks = walker.blocks
    _nest_bold_headings(blocks, walker.unmarked)
    h1s = root.xpath("//h1")
    h1 = walker.text(h1s[0], True) if h1s else None
    if h1 and not any(b.level == 1 for b in blocks):
        # A title outside the main content (some council templates) still titles the page.
        blocks.insert(0, Block(h1, (h1s[0].sourceline or 1, h1s[0].sourceline or 1), level=1))
    for block in blocks:
        block.text = strip_controls(block.text, keep_layout=False)
    doc = Document("html", blocks=blocks)
    _metadata(doc, root, h1)
    for field, value in list(doc.metadata.items()):
        doc.metadata[field] = strip_controls(value, keep_layout=False)
    return doc
