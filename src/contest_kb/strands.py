"""Tag sections with the CONTEST strands they are about, keeping the evidence.

The rules and the lexicon of cues live in the corpus's ``strands.toml``; its
comments are the documentation of the method. In short: a heading that names
a strand decides; otherwise cues in the text do, above a threshold, so a
passing mention does not tag; a section that lists all four strands in one
sentence is an overview and belongs to none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .errors import CorpusError
from .sections import Section
from .text import plain

# The strands of the bundled corpus, for reference; what a corpus uses is the
# list of tables in its strands.toml (StrandLexicon.strands).
STRANDS: tuple[str, ...] = ("pursue", "prevent", "protect", "prepare")

_SENTENCES = r"(?<=[.!?])\s+"


class Cue:
    """One entry of the strand lexicon, compiled to a regular expression."""

    __slots__ = ("pattern", "strand", "text")

    def __init__(self, strand: str, text: str, pattern: re.Pattern[str]) -> None:
        self.strand = strand
        self.text = text
        self.pattern = pattern


class StrandLexicon:
    """Strand names, cues and thresholds, as read from ``strands.toml``;
    ``strands`` lists the strand keys in the file's order."""

    def __init__(self, names: dict[str, str], cues: tuple[Cue, ...], min_hits: int = 2, min_share: float = 0.5) -> None:
        self.strands: tuple[str, ...] = tuple(names)
        self.names = names
        self.cues = cues
        self.min_hits = min_hits
        self.min_share = min_share


def _cue_pattern(cue: str) -> re.Pattern[str]:
    """The pattern of a cue. A cue written with a capital ("Prevent", the
    strand) matches as written or in capitals ("PREVENT"), never the verb
    "prevent"; a cue in lower case matches in any case."""

    def pattern(text: str) -> str:
        parts = []
        for w in text.split():
            star = w.endswith("*")
            w = re.escape(w.rstrip("*")).replace(r"\-", r"[-\s]?")
            parts.append(w + (r"\w*" if star else ""))
        return r"\s+".join(parts)

    if any(c.isupper() for c in cue):
        body = pattern(cue) if cue.upper() == cue else f"(?:{pattern(cue)}|{pattern(cue.upper())})"
        return re.compile(r"(?<![\w-])" + body + r"(?![\w-])")
    return re.compile(r"(?<![\w-])" + pattern(cue) + r"(?![\w-])", re.IGNORECASE)


def lexicon_from_config(config: dict, origin: str = "strands.toml") -> StrandLexicon:
    """Build a lexicon from the parsed TOML of a strands file.

    Every table but [rules] is a strand, keyed by its lower-case name.
    Raises ContestKBError naming ORIGIN when there is no strand or a value
    has the wrong type.
    """
    rules = config.get("rules", {})
    names: dict[str, str] = {}
    cues: list[Cue] = []
    strands = [key for key, value in config.items() if key != "rules" and isinstance(value, dict)]
    if not strands:
        raise CorpusError(f"{origin}: no strand tables ([pursue], [prevent], ...); every strand needs a name and cues")
    for strand in strands:
        if not re.fullmatch(r"[a-z][a-z0-9_-]*", strand) or strand == "overview":
            raise CorpusError(f"{origin}: [{strand}]: a strand key must be a lower-case word other than 'overview'")
        entry = config[strand]
        name = entry.get("name", strand.capitalize())
        cue_list = entry.get("cues", [])
        if not isinstance(name, str) or not isinstance(cue_list, list) or not all(
            isinstance(c, str) and c.strip() for c in cue_list
        ):
            raise CorpusError(f"{origin}: [{strand}] needs name = \"...\" and cues = [\"...\", ...] of non-empty strings")
        names[strand] = name
        cues.extend(Cue(strand, c, _cue_pattern(c)) for c in cue_list)
    try:
        return StrandLexicon(names, tuple(cues), int(rules.get("min_hits", 2)), float(rules.get("min_share", 0.5)))
    except (TypeError, ValueError) as exc:
        raise CorpusError(f"{origin}: [rules] min_hits and min_share must be numbers ({exc})") from None


def heading_strands(heading: str, lexicon: StrandLexicon) -> list[str]:
    """Strands named (with their capital) as a word of HEADING."""
    words = set(re.findall(r"[\w'-]+", plain(heading)))
    return [s for s in lexicon.strands if lexicon.names[s] in words]


def _lists_all_strands(paragraphs: Iterable[str], lexicon: StrandLexicon) -> str | None:
    for text in paragraphs:
        for sentence in re.split(_SENTENCES, plain(text)):
            words = set(re.findall(r"[\w'-]+", sentence.replace("'", " ")))
            if all(lexicon.names[s] in words for s in lexicon.strands):
                return sentence
    return None


def tag_section(section: Section, lexicon: StrandLexicon) -> None:
    """Set SECTION's strands, overview flag and evidence in place."""
    evidence: list[dict] = []
    for heading in reversed(section.heading_path):
        named = heading_strands(heading, lexicon)
        if named:
            section.strands = named
            section.overview = False
            section.evidence = [
                {"strand": s, "cue": lexicon.names[s], "where": "heading", "text": heading, "decides": True}
                for s in named
            ]
            return

    listing = _lists_all_strands((p.text for p in section.paragraphs), lexicon)
    if listing:
        section.strands = []
        section.overview = True
        section.evidence = [{"strand": None, "cue": "every strand listed", "where": "text", "text": listing, "decides": True}]
        return

    hits: dict[str, int] = {s: 0 for s in lexicon.strands}
    for para in section.paragraphs:
        text = plain(para.text)
        for cue in lexicon.cues:
            for m in cue.pattern.finditer(text):
                hits[cue.strand] += 1
                evidence.append(
                    {
                        "strand": cue.strand,
                        "cue": cue.text,
                        "where": f"¶{para.n}, line {para.lines[0]}",
                        "text": m.group(0),
                        "decides": False,
                    }
                )
    top = max(hits.values())
    chosen = [
        s for s in lexicon.strands if hits[s] >= lexicon.min_hits and hits[s] >= lexicon.min_share * top
    ]
    for item in evidence:
        item["decides"] = item["strand"] in chosen
    section.strands = chosen
    section.overview = False
    section.evidence = evidence


def tag_sections(sections: Iterable[Section], lexicon: StrandLexicon) -> None:
    """Tag every section in SECTIONS (see tag_section)."""
    for section in sections:
        tag_section(section, lexicon)
