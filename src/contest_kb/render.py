"""Turn results into text for people (plain when piped, Rich on a terminal)
and JSON for programs. Rich is imported only when colour is on."""

from __future__ import annotations

import json
import os
from typing import IO, Iterable, Sequence

from .citations import cite, paragraph_ref
from .corpus import Source
from .sections import PATH_SEPARATOR, Section
from .search import SearchResult, highlight_spans
from .strands import STRANDS

STRAND_STYLES = {"pursue": "red", "prevent": "green", "protect": "blue", "prepare": "magenta", "overview": "yellow"}


def wants_color(stream: IO[str], choice: str = "auto") -> bool:
    """Whether to colour STREAM: 'always', 'never', or on a terminal when
    NO_COLOR is unset and TERM is not 'dumb' ('auto')."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def to_json(data: object) -> str:
    """Pretty JSON, UTF-8 characters kept, never coloured."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def strand_tags(section: Section) -> str:
    """"pursue, prevent" or "overview" or "-" for a section."""
    if section.overview:
        return "overview"
    return ", ".join(section.strands) or "-"


def _console(stream: IO[str]):
    from rich.console import Console

    return Console(file=stream, highlight=False, force_terminal=True)


def _rich_text(text: str, marks: Sequence[tuple[int, int]] = ()):
    from rich.text import Text

    out = Text(text)
    for start, end in marks:
        out.stylize("bold yellow", start, end)
    return out


def _tag_text(section: Section):
    from rich.text import Text

    tags = ["overview"] if section.overview else section.strands
    out = Text()
    for tag in tags:
        out.append(f" {tag} ", style=f"bold white on {STRAND_STYLES[tag]}")
        out.append(" ")
    return out


# -- search -------------------------------------------------------------------
def search_text(result: SearchResult) -> str:
    """Plain text for one query's hits (what is printed when piped)."""
    lines: list[str] = []
    for hit in result.hits:
        lines.append(f"{hit.rank}. {PATH_SEPARATOR.join(hit.section.heading_path)}  [{strand_tags(hit.section)}]  {hit.section.id}")
        lines.append(f"   {hit.citation}")
        for p in hit.passages:
            lines.append(f"   {paragraph_ref([p.paragraph])}: {p.paragraph.text}")
        for place in hit.also_in:
            lines.append(f"   also in: {place.citation}")
        if hit.explanation is not None:
            lines.append(explain_text(hit.explanation))
        lines.append("")
    return "\n".join(lines)


def print_search(result: SearchResult, stream: IO[str], color: bool) -> None:
    """Print one query's hits to STREAM, with Rich when COLOR."""
    if not color:
        stream.write(search_text(result))
        return
    from rich.padding import Padding
    from rich.text import Text

    console = _console(stream)

    def indented(text) -> None:
        console.print(Padding(text, (0, 0, 0, 3)))

    for hit in result.hits:
        head = Text(f"{hit.rank}. ", style="bold")
        head.append(PATH_SEPARATOR.join(hit.section.heading_path), style="bold cyan")
        head.append("  ")
        head.append_text(_tag_text(hit.section))
        console.print(head)
        cite_line = Text(hit.citation, style="dim")
        if hit.source.url:
            cite_line.stylize(f"link {hit.source.url}")
        indented(cite_line)
        for p in hit.passages:
            body = Text(f"{paragraph_ref([p.paragraph])}: ", style="green" if p.matched else "dim green")
            body.append_text(_rich_text(p.paragraph.text, highlight_spans(p.paragraph.text, result.plan)))
            indented(body)
        for place in hit.also_in:
            indented(Text(f"also in: {place.citation}", style="dim italic"))
        if hit.explanation is not None:
            console.print(Text(explain_text(hit.explanation), style="dim"))
        console.print()


def explain_text(explanation: Iterable[dict]) -> str:
    """Lines saying which words matched in which field and what they scored."""
    rows = [f"   explain: {e['word']!r} -> {e['field']}:{e['term']} ({e['kind']}) {e['score']:.3f}" for e in explanation]
    return "\n".join(rows) if rows else "   explain: no term scored (matched by a filter or wildcard only)"


# -- sections, show, sources -------------------------------------------------------
def sections_text(sections: Iterable[Section]) -> str:
    """One tab-separated line per section: id, strands, heading path."""
    return "".join(f"{s.id}\t{strand_tags(s)}\t{PATH_SEPARATOR.join(s.heading_path)}\n" for s in sections)


def print_sections(sections: Sequence[Section], stream: IO[str], color: bool) -> None:
    if not color:
        stream.write(sections_text(sections))
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=True, header_style="bold", box=None)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("strands")
    table.add_column("section")
    for s in sections:
        table.add_row(Text(s.id), _tag_text(s), Text(PATH_SEPARATOR.join(s.heading_path)))
    _console(stream).print(table)


def section_dict(section: Section, source: Source) -> dict:
    """A section as `sections --format json` and `show --format json` print it."""
    return {
        "id": section.id,
        "source": section.source,
        "heading_path": list(section.heading_path),
        "strands": list(section.strands),
        "overview": section.overview,
        "lines": list(section.lines),
        "citation": cite(source, section),
        "text": section.text,
    }


def show_text(section: Section, source: Source) -> str:
    """A whole section with its citation, strand evidence and paragraphs."""
    out = [PATH_SEPARATOR.join(section.heading_path), cite(source, section), f"strands: {strand_tags(section)}"]
    for e in section.evidence:
        mark = "decides" if e["decides"] else "below threshold"
        who = e["strand"] or "overview"
        out.append(f"  {who}: cue {e['cue']!r} in {e['where']}: {e['text']!r} ({mark})")
    out.append("")
    for p in section.paragraphs:
        out.append(f"{paragraph_ref([p])}: {p.text}")
    return "\n".join(out) + "\n"


def print_show(section: Section, source: Source, stream: IO[str], color: bool) -> None:
    if not color:
        stream.write(show_text(section, source))
        return
    from rich.text import Text

    console = _console(stream)
    console.print(Text(PATH_SEPARATOR.join(section.heading_path), style="bold cyan"))
    console.print(Text(cite(source, section), style="dim"))
    tags = Text("strands: ")
    tags.append_text(_tag_text(section) if (section.strands or section.overview) else Text("-"))
    console.print(tags)
    for e in section.evidence:
        style = "" if e["decides"] else "dim"
        console.print(Text(f"  {e['strand'] or 'overview'}: cue {e['cue']!r} in {e['where']}: {e['text']!r}", style=style))
    console.print()
    for p in section.paragraphs:
        line = Text(f"{paragraph_ref([p])}: ", style="green")
        line.append(p.text)
        console.print(line)


def source_counts(sources: dict[str, Source], sections: Iterable[Section]) -> dict[str, dict]:
    """Per source: number of sections and of sections in each strand."""
    counts = {sid: {"sections": 0, "strands": {s: 0 for s in STRANDS}, "overview": 0} for sid in sources}
    for section in sections:
        c = counts[section.source]
        c["sections"] += 1
        c["overview"] += int(section.overview)
        for s in section.strands:
            c["strands"][s] += 1
    return counts


def sources_json(sources: dict[str, Source], sections: Iterable[Section], attribution: str | None) -> list[dict]:
    counts = source_counts(sources, sections)
    out = []
    for sid, src in sources.items():
        item = src.to_dict()
        item["url_status"] = src.url_status
        item["file"] = src.file
        item.update(counts[sid])
        if attribution and (src.licence or "").startswith("Open Government Licence"):
            item["attribution"] = attribution
        out.append(item)
    return out


def sources_text(items: list[dict]) -> str:
    out = []
    for item in items:
        strands = ", ".join(f"{s} {n}" for s, n in item["strands"].items())
        out.append(f"{item['id']}\n  title: {item['title']}\n  publisher: {item['publisher']}\n  url: {item['url'] or '-'}"
                   f" ({item['url_status'] or 'status unknown'})\n  published: {item['published'] or '-'}  updated: {item['updated'] or '-'}"
                   f"\n  licence: {item['licence'] or '-'}\n  sections: {item['sections']} ({strands}, overview {item['overview']})")
        if item.get("attribution"):
            out.append(f"  attribution: {item['attribution']}")
    return "\n".join(out) + "\n"


def print_sources(items: list[dict], stream: IO[str], color: bool) -> None:
    if not color:
        stream.write(sources_text(items))
        return
    from rich.text import Text

    console = _console(stream)
    widest = max((n for item in items for n in item["strands"].values()), default=1) or 1
    for item in items:
        console.print(Text(item["id"], style="bold cyan"))
        console.print(Text(f"  {item['title']} — {item['publisher']}"))
        console.print(Text(f"  {item['url'] or '-'}", style=f"link {item['url']}" if item["url"] else ""))
        console.print(Text(f"  published {item['published'] or '-'} · updated {item['updated'] or '-'} · {item['licence'] or '-'}", style="dim"))
        for strand, n in item["strands"].items():
            bar = Text(f"  {strand:<8} ")
            bar.append("█" * round(20 * n / widest), style=STRAND_STYLES[strand])
            bar.append(f" {n}")
            console.print(bar)
        console.print(Text(f"  {item['sections']} sections, {item['overview']} overview", style="dim"))
        console.print()


def relevance_text(scores, misses: bool = False) -> str:
    """A Markdown table of success@1, success@3 and MRR@5 per system."""
    out = [f"{len(scores[0].ranks)} questions", "", "| system | success@1 | success@3 | MRR@5 |", "| --- | ---: | ---: | ---: |"]
    for s in scores:
        out.append(f"| {s.name} | {s.success_at(1):.3f} | {s.success_at(3):.3f} | {s.mrr:.3f} |")
    if misses:
        for s in scores:
            missed = [(q, r) for q, r in zip(s.questions, s.ranks) if r != 1]
            out.append("")
            out.append(f"{s.name}: {len(missed)} not at rank 1")
            out.extend(f"  rank {r if r else '>5'}: {q.query}" for q, r in missed)
    return "\n".join(out) + "\n"


def quote_json(outcomes) -> list[dict]:
    """Quotation outcomes as JSON: the quote's result with its line, or
    {line, quote: null, found: false, error} for an unreadable quotation."""
    out = []
    for o in outcomes:
        data = o.quote.to_dict() if o.quote is not None else {"quote": None, "found": False, "error": o.message}
        data["line"] = o.case.line
        out.append(data)
    return out


def quote_lines(outcomes, from_file: str | None = None) -> list[tuple[str, str]]:
    """(style, line) for each line of the quote report: where each quotation
    was found, or the closest passage and a diff ('diff' lines are
    rendered from the changes)."""
    out: list[tuple[str, str]] = []
    for o in outcomes:
        where = f"{from_file}:{o.case.line}: " if from_file else ""
        r = o.quote
        if r is None:
            out.append(("bad", f"{where}UNREADABLE: {o.message}"))
        elif r.found:
            out.append(("good", f"{where}found: {r.text}"))
            out.extend(("dim", f"  {m.citation}") for m in r.matches)
        else:
            out.append(("bad", f"{where}NOT FOUND: {r.text}"))
            if r.closest:
                out.append(("dim", f"  closest ({r.closest.similarity:.0%} alike): {r.closest.match.citation}"))
                out.append(("diff", f"  diff: {r.closest.diff}"))
    return out


def print_quotes(outcomes, from_file: str | None, stream: IO[str], color: bool) -> None:
    """Print the quote report; on a terminal the diff is coloured: quoted
    words that differ in red, published words in green."""
    lines = quote_lines(outcomes, from_file)
    if not color:
        stream.write("".join(line + "\n" for _, line in lines))
        return
    from rich.text import Text

    console = _console(stream)
    styles = {"good": "green", "bad": "bold red", "dim": "dim"}
    closests = iter(o.quote.closest for o in outcomes if o.quote is not None and not o.quote.found and o.quote.closest)
    for style, line in lines:
        if style != "diff":
            console.print(Text(line, style=styles[style]), soft_wrap=True)
            continue
        text = Text("  diff: ")
        for op, quoted, published in next(closests).changes:
            if op == "equal":
                text.append(quoted + " ")
                continue
            if quoted:
                text.append(quoted, style="bold red strike")
                text.append(" ")
            if published:
                text.append(published, style="bold green")
                text.append(" ")
        console.print(text)


def check_text(outcomes) -> str:
    """One line per case and a summary line."""
    out = []
    for o in outcomes:
        label = f"{o.case.kind} {o.case.name!r} (line {o.case.line})"
        if o.passed:
            rank = f" at rank {o.rank}" if o.rank else ""
            out.append(f"PASS {label}{rank}: {o.citation}")
        else:
            out.append(f"FAIL {label}: {o.message}")
            out.extend(f"     found instead: {f}" for f in o.found)
    passed = sum(o.passed for o in outcomes)
    out.append(f"{passed} passed, {len(outcomes) - passed} failed")
    return "\n".join(out) + "\n"
