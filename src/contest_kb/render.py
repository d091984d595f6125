"""Turn results into text for people (plain when piped, Rich on a terminal)
and JSON for programs. Rich is imported only when colour is on."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from typing import IO

from .citations import cite, paragraph_ref, passage_dict, shown_lead_in
from .corpus import Source
from .search import SearchResult, highlight_spans
from .sections import PATH_SEPARATOR, Section

STRAND_STYLES = {"pursue": "red", "prevent": "green", "protect": "blue", "prepare": "magenta", "overview": "yellow"}


class Look:
    """How text output is laid out and coloured: RICH is the terminal layout
    (wrapped and indented to the width, Rich), COLOR says whether it carries
    colour and styles, WIDTH fixes the width (None: the terminal's)."""

    __slots__ = ("color", "rich", "width")

    def __init__(self, rich: bool = False, color: bool = False, width: int | None = None) -> None:
        self.rich = rich
        self.color = color
        self.width = width


PLAIN = Look()


def look_for(stream: IO[str], choice: str = "auto") -> Look:
    """The look for STREAM. Colour: 'always', 'never', or ('auto') on a
    terminal when NO_COLOR is unset and TERM is not 'dumb'; an explicit
    choice beats NO_COLOR. Layout: the terminal layout on a terminal, or
    whenever colour is on; plain text otherwise. Colour and layout are
    separate: NO_COLOR on a terminal keeps the terminal layout."""
    isatty = getattr(stream, "isatty", None)
    tty = bool(isatty and isatty())
    if choice == "always":
        color = True
    elif choice == "never":
        color = False
    else:
        color = tty and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    return Look(rich=tty or color, color=color)


def to_json(data: object) -> str:
    """Pretty JSON, UTF-8 characters kept, never coloured."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def strand_tags(section: Section) -> str:
    """"pursue, prevent" or "overview" or "-" for a section."""
    if section.overview:
        return "overview"
    return ", ".join(section.strands) or "-"


def _console(stream: IO[str], look: Look):
    from rich.console import Console

    return Console(file=stream, highlight=False, force_terminal=True, width=look.width,
                   color_system="auto" if look.color else None, no_color=not look.color)


def plural(n: int, word: str) -> str:
    """"1 section", "2 sections"."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _print_whole(console, text: str, style: str, indent: int = 0) -> None:
    """Print TEXT (an id or a URL) on a line of its own, never broken by Rich:
    a terminal narrower than it wraps it softly, so it copies whole."""
    from rich.text import Text

    line = Text(" " * indent)
    line.append(text, style=style)
    console.print(line, soft_wrap=True)


def _print_url(console, url: str, indent: int = 0) -> None:
    """The URL whole, and a hyperlink on terminals that support them."""
    _print_whole(console, url, f"dim link {url}", indent)


def _clip(text: str, limit: int) -> str:
    """TEXT cut at a word boundary to about LIMIT characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + " …"


def _rich_text(text: str, marks: Sequence[tuple[int, int]] = ()):
    from rich.text import Text

    out = Text(text)
    for start, end in marks:
        out.stylize("bold yellow", start, end)
    return out


def _tag_text(section: Section, color: bool = True):
    """The strand tags as coloured labels, or "[prevent, pursue] " without colour."""
    from rich.text import Text

    tags = ["overview"] if section.overview else section.strands
    if not color:
        return Text(f"[{', '.join(tags)}] " if tags else "[-] ")
    out = Text()
    for tag in tags:
        out.append(f" {tag} ", style=f"bold white on {STRAND_STYLES.get(tag, 'cyan')}")
        out.append(" ")
    return out


# -- search -------------------------------------------------------------------
def search_text(result: SearchResult, passages: int | None = None) -> str:
    """Plain text for one query's hits (what is printed when piped): every
    cited passage, or the first PASSAGES."""
    lines: list[str] = []
    for hit in result.hits:
        lines.append(f"{hit.rank}. {PATH_SEPARATOR.join(hit.section.heading_path)}  [{strand_tags(hit.section)}]  {hit.section.id}")
        lines.append(f"   {hit.citation}")
        shown = hit.passages[:passages]
        for p in shown:
            lead = shown_lead_in(p.paragraph, shown)
            lines.append(f"   {paragraph_ref([p.paragraph])}: {f'[{lead}] ' if lead else ''}{p.paragraph.text}")
        for place in hit.also_in:
            lines.append(f"   also in: {place.citation}")
        if hit.unmatched:
            lines.append(f"   unmatched: {', '.join(hit.unmatched)}")
        if hit.explanation is not None:
            lines.append(explain_text(hit.explanation))
        lines.append("")
    return "\n".join(lines)


PREVIEW_CHARS = 200


def print_search(result: SearchResult, stream: IO[str], look: Look, passages: int | None = None) -> None:
    """Print one query's hits to STREAM.

    Plain: every cited passage, whole (or the first PASSAGES). Terminal: a
    screen's worth of answers: for each hit its heading path and strands,
    its section id (what 'show' takes) with what is left out, its best
    passage clipped (or the first PASSAGES, whole), the page cited and its
    URL whole on a line of its own."""
    if not look.rich:
        stream.write(search_text(result, passages))
        return
    from rich.padding import Padding
    from rich.text import Text

    console = _console(stream, look)

    def indented(text) -> None:
        console.print(Padding(text, (0, 0, 0, 3), expand=False))

    for hit in result.hits:
        head = Text(f"{hit.rank}. ", style="bold")
        head.append(PATH_SEPARATOR.join(hit.section.heading_path), style="bold cyan")
        head.append("  ")
        head.append_text(_tag_text(hit.section, look.color))
        console.print(head)
        shown = hit.passages[: passages or 1]
        more = []
        if len(hit.passages) > len(shown):
            more.append(plural(len(hit.passages) - len(shown), "more passage"))
        if hit.also_in and not passages:
            more.append(f"also in {plural(len(hit.also_in), 'other place')}")
        note = "(" + ", ".join(more) + ": --full)" if more else ""
        ident = Text("   ")
        ident.append(hit.section.id, style="cyan")
        if note and len(hit.section.id) + len(note) + 5 <= console.width:
            ident.append("  " + note, style="dim italic")
            note = ""
        console.print(ident, soft_wrap=True)
        for p in shown:
            text = p.paragraph.text if passages else _clip(p.paragraph.text, PREVIEW_CHARS)
            body = Text(f"{paragraph_ref([p.paragraph])}: ", style="green" if p.matched else "dim green")
            lead = shown_lead_in(p.paragraph, shown)
            if lead:
                body.append(f"[{lead}] ", style="dim")
            body.append_text(_rich_text(text, highlight_spans(text, result.plan)))
            indented(body)
        if note:
            indented(Text(note, style="dim italic"))
        indented(Text(f"{hit.source.publisher}, “{hit.source.title}”", style="dim"))
        if hit.source.url:
            _print_url(console, hit.source.url, 3)
        if passages:
            for place in hit.also_in:
                indented(Text(f"also in: {place.citation}", style="dim italic"))
        if hit.unmatched:
            indented(Text(f"unmatched: {', '.join(hit.unmatched)}", style="yellow"))
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


def print_sections(sections: Sequence[Section], stream: IO[str], look: Look) -> None:
    """One block per section on a terminal: the id whole on its own line (it
    is what 'show' takes), then strands and the heading path, wrapped."""
    if not look.rich:
        stream.write(sections_text(sections))
        return
    from rich.padding import Padding

    console = _console(stream, look)
    for s in sections:
        _print_whole(console, s.id, "bold cyan")
        line = _tag_text(s, look.color)
        line.append(PATH_SEPARATOR.join(s.heading_path))
        console.print(Padding(line, (0, 0, 0, 3)))


def section_dict(section: Section, source: Source, full: bool = False) -> dict:
    """A section as `sections --format json` prints it; FULL adds the strand
    evidence and the paragraphs, as `show --format json` prints it. The
    source is an object, as in search results."""
    data = {
        "id": section.id,
        "source": source.to_dict(),
        "heading_path": list(section.heading_path),
        "strands": list(section.strands),
        "overview": section.overview,
        "lines": list(section.lines),
        "citation": cite(source, section),
        "text": section.text,
    }
    if full:
        data["evidence"] = list(section.evidence)
        data["paragraphs"] = [passage_dict(source, p) for p in section.paragraphs]
    return data


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


def print_show(section: Section, source: Source, stream: IO[str], look: Look) -> None:
    if not look.rich:
        stream.write(show_text(section, source))
        return
    from rich.text import Text

    console = _console(stream, look)
    console.print(Text(PATH_SEPARATOR.join(section.heading_path), style="bold cyan"))
    _print_whole(console, section.id, "cyan")
    console.print(Text(cite(source, section, url=False), style="dim"))
    if source.url:
        _print_url(console, source.url)
    tags = Text("strands: ")
    tags.append_text(_tag_text(section, look.color))
    console.print(tags)
    for e in section.evidence:
        style = "" if e["decides"] else "dim"
        mark = "decides" if e["decides"] else "below threshold"
        console.print(Text(f"  {e['strand'] or 'overview'}: cue {e['cue']!r} in {e['where']}: {e['text']!r} ({mark})", style=style))
    console.print()
    for p in section.paragraphs:
        line = Text(f"{paragraph_ref([p])}: ", style="green")
        line.append(p.text)
        console.print(line)


def sources_json(sources: dict[str, Source], counts: dict[str, dict], attribution: str | None) -> list[dict]:
    """The sources as `sources --format json` prints them: metadata, file,
    and COUNTS (per source: sections, per strand, overviews)."""
    out = []
    for sid, src in sources.items():
        item = src.to_dict()
        item["url_status"] = src.url_status
        item["file"] = src.file
        item["origins"] = {f: origin for f in ORIGIN_FIELDS if (origin := src.origin(f))}
        item.update(counts[sid])
        if attribution and (src.licence or "").startswith("Open Government Licence"):
            item["attribution"] = attribution
        out.append(item)
    return out


ORIGIN_FIELDS = ("title", "publisher", "url", "published", "updated", "licence")


def origins_line(item: dict) -> str | None:
    """"title from HTML <meta og:title>; ..." for the fields not typed in the manifest."""
    found = [f"{field} from {origin}" for field, origin in item.get("origins", {}).items() if origin != "manifest"]
    return "; ".join(found) or None


def sources_text(items: list[dict]) -> str:
    out = []
    for item in items:
        strands = ", ".join(f"{s} {n}" for s, n in item["strands"].items())
        out.append(f"{item['id']}\n  title: {item['title']}\n  publisher: {item['publisher']}\n  url: {item['url'] or '-'}"
                   f" ({item['url_status'] or 'status unknown'})\n  published: {item['published'] or '-'}  updated: {item['updated'] or '-'}"
                   f"\n  licence: {item['licence'] or '-'}\n  official: {'yes' if item['official'] else 'no'}\n  file: {item['file']}"
                   f"\n  sections: {item['sections']} ({strands}, overview {item['overview']})")
        fields = origins_line(item)
        if fields:
            out.append(f"  fields: {fields}")
        if item.get("attribution"):
            out.append(f"  attribution: {item['attribution']}")
    return "\n".join(out) + "\n"


def print_sources(items: list[dict], stream: IO[str], look: Look) -> None:
    if not look.rich:
        stream.write(sources_text(items))
        return
    from rich.text import Text

    console = _console(stream, look)
    widest = max((n for item in items for n in item["strands"].values()), default=1) or 1
    for item in items:
        console.print(Text(item["id"], style="bold cyan"))
        console.print(Text(f"  {item['title']} — {item['publisher']}"))
        if item["url"]:
            _print_url(console, item["url"], 2)
        else:
            console.print(Text("  -"))
        console.print(Text(f"  published {item['published'] or '-'} · updated {item['updated'] or '-'} · {item['licence'] or '-'}"
                           + (" · official" if item["official"] else ""), style="dim"))
        fields = origins_line(item)
        if fields:
            console.print(Text(f"  {fields}", style="dim"))
        for strand, n in item["strands"].items():
            bar = Text(f"  {strand:<8} ")
            bar.append("█" * round(20 * n / widest), style=STRAND_STYLES.get(strand, "cyan"))
            bar.append(f" {n}")
            console.print(bar)
        console.print(Text(f"  {plural(item['sections'], 'section')}, {item['overview']} overview", style="dim"))
        console.print()


def relevance_text(scores, misses: bool = False, by_kind: bool = False) -> str:
    """A Markdown table of success@1, success@3 and MRR@5 per system; with
    BY_KIND, a table of success@1 / success@3 per kind of question too."""
    out = [f"{len(scores[0].ranks)} questions", "", "| system | success@1 | success@3 | MRR@5 |", "| --- | ---: | ---: | ---: |"]
    for s in scores:
        out.append(f"| {s.name} | {s.success_at(1):.3f} | {s.success_at(3):.3f} | {s.mrr:.3f} |")
    if by_kind:
        kinds = [s.by_kind() for s in scores]
        out += ["", "| kind | questions | " + " | ".join(f"{s.name} success@1 / @3" for s in scores) + " |",
                "| --- | ---: |" + " ---: |" * len(scores)]
        for kind, first in kinds[0].items():
            cells = " | ".join(f"{k[kind].success_at(1):.3f} / {k[kind].success_at(3):.3f}" for k in kinds)
            out.append(f"| {kind or '(none)'} | {len(first.ranks)} | {cells} |")
    if misses:
        for s in scores:
            missed = [(q, r) for q, r in zip(s.questions, s.ranks) if r != 1]
            out.append("")
            out.append(f"{s.name}: {len(missed)} not at rank 1")
            out.extend(f"  rank {r if r else '>5'}: {q.query}" for q, r in missed)
    return "\n".join(out) + "\n"


def answerability_text(separation, path: str) -> str:
    """How well 'answered' separates answerable from unanswerable questions."""
    d = separation.to_dict()
    out = [f"answerability ({d['answerable']} answerable questions, {d['unanswerable']} from {path}):", "",
           "| answered when answerable | flagged when unanswerable | AUC |", "| ---: | ---: | ---: |",
           f"| {d['answered_when_answerable']:.3f} | {d['flagged_when_unanswerable']:.3f} | {d['auc']:.3f} |"]
    if d["wrongly_answered"]:
        out += ["", "answered, though not on these pages:"] + [f"  {q}" for q in d["wrongly_answered"]]
    return "\n".join(out) + "\n"


def evaluation_text(evaluation, misses: bool = False, by_kind: bool = False) -> str:
    """The relevance command's report: each set's table, with the distractor
    pages and without, then answerability."""
    blocks = [f"{s.file}: " + relevance_text(s.scores, misses, by_kind) for s in evaluation.sets]
    added = " and ".join(evaluation.distractors)
    blocks += [f"{s.file}, with the pages of {added} added: " + relevance_text(s.scores, misses, by_kind)
               for s in evaluation.with_distractors]
    if evaluation.answerability:
        blocks.append(answerability_text(evaluation.answerability, " and ".join(evaluation.unanswerable)))
    return "\n".join(blocks)


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


def print_quotes(outcomes, from_file: str | None, stream: IO[str], look: Look) -> None:
    """Print the quote report; on a terminal the diff is coloured: quoted
    words that differ in red, published words in green."""
    lines = quote_lines(outcomes, from_file)
    if not look.rich:
        stream.write("".join(line + "\n" for _, line in lines))
        return
    from rich.text import Text

    console = _console(stream, look)
    styles = {"good": "green", "bad": "bold red", "dim": "dim"}
    closests = iter(o.quote.closest for o in outcomes if o.quote is not None and not o.quote.found and o.quote.closest)
    for style, line in lines:
        if style != "diff" or not look.color:  # without colour, the diff keeps its [- -] {+ +} marks
            console.print(Text(line, style=styles.get(style, "")), soft_wrap=True)
            if style == "diff":
                next(closests)
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


def added_text(report, kb) -> str:
    """One line per document added: id, file, format, sections, title."""
    out = []
    all_counts = kb.strand_counts()
    for item in report.added:
        counts = all_counts.get(item.id, {})
        verb = "replaced" if item.replaced else "added"
        out.append(f"{verb} {item.id}: {item.file} ({item.format}, {plural(counts.get('sections', 0), 'section')}) "
                   f"“{item.entry.get('title')}” — {item.entry.get('publisher')}")
    return "\n".join(out) + "\n"
