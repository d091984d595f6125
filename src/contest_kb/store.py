"""How a corpus is laid out in the Whoosh index, and how it is read back.

One document per paragraph holds the fields that are searched (its section's
heading path, the paragraph stemmed and unstemmed), the fields that filter
(strand, source, section) and, stored, all a citation needs: the paragraph's
number, lines and text, and its section's heading path, strands, lines and
size. A column (``place``) holds, per paragraph, what ranking and grouping
need (section, source, duplicate key, number, section size and first line,
strands), so a search reads the stored fields of the hits it shows only. Source metadata is small and lives in the generation's meta.json. A
search reads the stored fields of its hits only; nothing is loaded whole at
start, and nothing depends on Whoosh's document numbers.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from .sections import Paragraph, Section
from .text import dedup_key


def make_schema() -> Schema:
    """The Whoosh schema.

    ``heading`` and ``body`` are stemmed for ranking; ``plain`` holds the
    paragraph unstemmed, for exact words, phrases, wildcards and spelling;
    ``strand``, ``source`` and ``section`` filter and group; ``dupkey`` is the
    same for two paragraphs published word for word in two places; ``data``
    stores what citations need and the ``place`` column what ranking needs.
    """
    from .analysis import plain_analyzer, stemmed_analyzer

    stemmed = stemmed_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        section=ID(stored=True),
        source=ID(stored=True),
        strand=KEYWORD(lowercase=True),
        dupkey=ID(stored=True),
        heading=TEXT(analyzer=stemmed, phrase=False),
        body=TEXT(analyzer=stemmed, phrase=False),
        plain=TEXT(analyzer=plain_analyzer(), phrase=True),
        data=STORED(),
        place=COLUMN(VarBytesColumn()),
    )


class Place(NamedTuple):
    """Where a paragraph sits, as ranking and grouping read it per candidate
    (from the ``place`` column, without its stored fields)."""

    section: str
    source: str
    dupkey: str
    n: int
    size: int
    first_line: int
    strands: frozenset[str]


_SEPARATOR = "\x1f"


def place_value(section: Section, dupkey: str, n: int) -> bytes:
    """The ``place`` column value of paragraph N of SECTION."""
    fields = [section.id, section.source, dupkey, str(n), str(len(section.paragraphs)), str(section.lines[0]),
              ",".join(section.strands)]
    return _SEPARATOR.join(fields).encode("utf-8")


def place_from(value: bytes) -> Place:
    """The Place a ``place`` column value holds."""
    section, source, dupkey, n, size, first_line, strands = value.decode("utf-8").split(_SEPARATOR)
    return Place(section, source, dupkey, int(n), int(size), int(first_line), frozenset(strands.split(",")) - {""})


def duplicate_key(text: str) -> str:
    """A key equal for paragraphs that differ only in typography, case or
    punctuation ("" for one with no letters or digits)."""
    key = dedup_key(text).encode()
    return f"{zlib.crc32(key):08x}{zlib.adler32(key):08x}" if key else ""


def paragraph_documents(section: Section) -> Iterator[dict]:
    """The Whoosh documents of SECTION's paragraphs."""
    heading = " ".join(section.heading_path)
    tags = " ".join(section.strands + (["overview"] if section.overview else []))
    about = {
        "path": list(section.heading_path),
        "level": section.level,
        "slines": list(section.lines),
        "strands": list(section.strands),
        "overview": section.overview,
        "size": len(section.paragraphs),
    }
    for para in section.paragraphs:
        data = dict(about, n=para.n, lines=list(para.lines), text=para.text)
        if para.page is not None:
            data["page"] = para.page
        if para.n == 1:
            data["evidence"] = list(section.evidence)
        dupkey = duplicate_key(para.text)
        yield {
            "id": f"{section.id}#{para.n}",
            "section": section.id,
            "source": section.source,
            "strand": tags,
            "dupkey": dupkey,
            "heading": heading,
            "body": para.text,
            "plain": para.text,
            "data": data,
            "place": place_value(section, dupkey, para.n),
        }


def paragraph_from(fields: dict) -> Paragraph:
    """The paragraph a stored paragraph document holds."""
    data = fields["data"]
    return Paragraph(data["n"], tuple(data["lines"]), data["text"], data.get("page"))


def section_from(fields: dict, paragraphs: Iterable[Paragraph]) -> Section:
    """The section of a stored paragraph document, holding PARAGRAPHS (all of
    its paragraphs, or those a citation needs); ``size`` counts them all."""
    data = fields["data"]
    section = Section(fields["section"], fields["source"], data["path"], data["level"], tuple(data["slines"]),
                      list(paragraphs), list(data["strands"]), data["overview"], list(data.get("evidence", [])))
    section.size = data["size"]
    return section
