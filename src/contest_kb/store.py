"""How a corpus is laid out in the Whoosh index, and how it is read back.

One document per paragraph holds the fields that are searched (its section's
heading path, the paragraph stemmed and unstemmed), the fields that filter
(strand, source, section) and, stored, all a citation needs: the paragraph's
number, lines and text, and its section's heading path, strands, lines and
size. A column (``place``) holds, per paragraph, what ranking and grouping
need (section, source, duplicate key, number, section size and first line),
so a search reads the stored fields of the hits it shows only. Source
metadata is small and lives in the generation's meta.json. Nothing is loaded
whole at start, and nothing depends on Whoosh's document numbers.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from whoosh.columns import FixedBytesColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from .intent import features
from .sections import Paragraph, Section
from .text import dedup_key


def make_schema() -> Schema:
    """The Whoosh schema.

    ``heading`` and ``body`` are stemmed for ranking; ``plain`` holds the
    paragraph unstemmed, for exact words, phrases, wildcards and spelling;
    ``strand``, ``source`` and ``section`` filter and group; ``dupkey`` is the
    same for two paragraphs published word for word in two places; ``holds``
    says whether a paragraph holds a date, a name, a place or a figure (what
    a when, who, where or how-many question asks for); ``data``
    stores what citations need and the ``place`` column what ranking needs.
    """
    from .analysis import plain_analyzer, stemmed_analyzer

    # Only what a citation needs is stored: Whoosh holds the stored fields of
    # a segment whole in memory once one is read.
    stemmed = stemmed_analyzer()
    return Schema(
        id=ID(unique=True),
        section=ID(stored=True),
        source=ID(stored=True),
        strand=KEYWORD(lowercase=True),
        dupkey=ID(),
        holds=KEYWORD(),
        heading=TEXT(analyzer=stemmed, phrase=False),
        body=TEXT(analyzer=stemmed, phrase=False),
        plain=TEXT(analyzer=plain_analyzer(), phrase=True),
        data=STORED(),
        place=COLUMN(FixedBytesColumn(_PLACE.size)),
    )


class Place(NamedTuple):
    """Where a paragraph sits, as ranking and grouping read it per candidate
    (from the ``place`` column, without its stored fields): its section and
    source as keys (see id_key), its duplicate key as a number (0 for none),
    its number, its section's size and first line."""

    section: int
    source: int
    dupkey: int
    n: int
    size: int
    first_line: int

    @property
    def dupkey_text(self) -> str:
        """The duplicate key as the ``dupkey`` field holds it ("" for none)."""
        return f"{self.dupkey:016x}" if self.dupkey else ""


# Fixed-size records: Whoosh reads a column whole into memory, so each byte
# here costs a byte per paragraph (111,000 of them at 1000x).
_PLACE = struct.Struct(">QQQIII")
INTRODUCTION = "introduction"  # in ``holds``: the paragraph is only the lead-in of a list
ITEM = "item"  # in ``holds``: the paragraph is an item of a list


def id_key(text: str) -> int:
    """A 64-bit key for a section or source id (CRC-32 and Adler-32 of it)."""
    data = text.encode("utf-8")
    return zlib.crc32(data) << 32 | zlib.adler32(data)


def place_value(section: Section, dupkey: str, n: int) -> bytes:
    """The ``place`` column value of paragraph N of SECTION."""
    return _PLACE.pack(id_key(section.id), id_key(section.source), int(dupkey or "0", 16), n,
                       len(section.paragraphs), section.lines[0])


def place_from(value: bytes) -> Place:
    """The Place a ``place`` column value holds."""
    return Place(*_PLACE.unpack(value))


def duplicate_key(text: str) -> str:
    """A key equal for paragraphs that differ only in typography, case or
    punctuation ("" for one with no letters or digits)."""
    key = dedup_key(text).encode()
    return f"{zlib.crc32(key):08x}{zlib.adler32(key):08x}" if key else ""


class _Data(NamedTuple):
    """The stored ``data`` of a paragraph document: a tuple, as field names
    in every record would cost a fifth of its size."""

    n: int
    lines: list[int]
    text: str
    page: int | None
    path: list[str]
    level: int
    slines: list[int]
    strands: list[str]
    overview: bool
    size: int
    evidence: list[dict]
    lead_in: str = ""


def paragraph_documents(section: Section) -> Iterator[dict]:
    """The Whoosh documents of SECTION's paragraphs."""
    heading = " ".join(section.heading_path)
    tags = " ".join(section.strands + (["overview"] if section.overview else []))
    for para in section.paragraphs:
        data = _Data(n=para.n, lines=list(para.lines), text=para.text, page=para.page, path=list(section.heading_path),
                     level=section.level, slines=list(section.lines), strands=list(section.strands),
                     overview=section.overview, size=len(section.paragraphs),
                     evidence=list(section.evidence) if para.n == 1 else [], lead_in=para.lead_in)
        dupkey = duplicate_key(para.text)
        # An item ranks by the line that introduces it too ("This
        # legislation will:", "The aims of Prevent are to:"), and holds what
        # that line holds; its citation and exact words are its own.
        body = f"{para.text} {para.lead_in}" if para.lead_in else para.text
        yield {
            "id": f"{section.id}#{para.n}",
            "section": section.id,
            "source": section.source,
            "strand": tags,
            "dupkey": dupkey,
            # A lead-in says nothing its items do not (see search.py).
            "holds": " ".join(features(body) + ([INTRODUCTION] if para.introduces else []) + ([ITEM] if para.item else [])),
            "heading": heading,
            "body": body,
            "plain": para.text,
            "data": tuple(data),  # stored as a plain tuple: a NamedTuple would pickle its class's name
            "place": place_value(section, dupkey, para.n),
        }


def data_of(fields: dict) -> _Data:
    """The stored ``data`` of a paragraph document, by name."""
    return _Data(*fields["data"])


def paragraph_from(fields: dict) -> Paragraph:
    """The paragraph a stored paragraph document holds."""
    data = data_of(fields)
    return Paragraph(data.n, (data.lines[0], data.lines[1]), data.text, data.page, data.lead_in)


def section_from(fields: dict, paragraphs: Iterable[Paragraph]) -> Section:
    """The section of a stored paragraph document, holding PARAGRAPHS (all of
    its paragraphs, or those a citation needs); ``size`` counts them all."""
    data = data_of(fields)
    section = Section(fields["section"], fields["source"], data.path, data.level, (data.slines[0], data.slines[1]),
                      list(paragraphs), list(data.strands), data.overview, list(data.evidence))
    section.size = data.size
    return section
