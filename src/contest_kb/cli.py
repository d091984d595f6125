"""The contest-kb command line: parses arguments and renders; the work is
done by the library modules."""

from __future__ import annotations

import functools
import sys
import time

import click

from . import __version__
from .errors import ContestKBError

EXIT_CODES = """\b
Exit status: 0 results found, 1 no results, 2 error (bad option, unknown
strand or source, unparseable query, broken corpus file)."""

STRAND_NAMES = ("pursue", "prevent", "protect", "prepare", "overview")


def output_options(*formats: str):
    """Add --format (the given choices, first is default) and --color."""

    def decorate(f):
        f = click.option(
            "--color",
            type=click.Choice(["auto", "always", "never"]),
            default="auto",
            show_default=True,
            help="Colour on a terminal (auto), always or never. NO_COLOR is honoured.",
        )(f)
        f = click.option(
            "--format",
            "fmt",
            type=click.Choice(formats),
            default=formats[0],
            show_default=True,
            help="Output format; json is never coloured.",
        )(f)
        return f

    return decorate


strand_option = click.option(
    "--strand",
    "strands",
    multiple=True,
    type=click.Choice(STRAND_NAMES, case_sensitive=False),
    help="Only sections of this strand (repeat for any of several).",
)


class State:
    """What the group options chose: corpus and index folders."""

    def __init__(self, corpus: str | None, index_dir: str | None):
        self.corpus = corpus
        self.index_dir = index_dir

    def open(self, rebuild: bool = False):
        """Open the index, building it first if needed: a message and, on a
        terminal, a progress bar go to stderr."""
        from .index import open_index

        err = sys.stderr
        started = time.monotonic()
        bar = None
        started_build = False

        def progress(done: int, total: int) -> None:
            nonlocal bar, started_build
            if done == 1:
                started_build = True
                click.echo(f"contest-kb: building the index of {total} paragraphs"
                           + ("" if rebuild else " (first run, or the corpus changed)"), err=True)
                if err.isatty():
                    bar = click.progressbar(length=total, label="Indexing", file=err)
                    bar.__enter__()
            if bar is not None:
                bar.update(1)
                if done == total:
                    bar.__exit__(None, None, None)

        kb = open_index(self.corpus, self.index_dir, progress=progress, rebuild=rebuild)
        if rebuild or started_build:
            sections = kb.meta["sections"]
            paragraphs = sum(len(s["paragraphs"]) for s in sections)
            click.echo(
                f"contest-kb: indexed {len(sections)} sections ({paragraphs} paragraphs) from "
                f"{len(kb.meta['sources'])} sources into {kb.path} in {time.monotonic() - started:.2f} s",
                err=True,
            )
        return kb


def _color(choice: str, fmt: str = "text") -> bool:
    from .render import wants_color

    return fmt == "text" and wants_color(sys.stdout, choice)


def _write(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXIT_CODES,
)
@click.version_option(__version__, prog_name="contest-kb")
@click.option(
    "--corpus",
    type=click.Path(file_okay=False),
    envvar="CONTEST_KB_CORPUS",
    help="Corpus folder (default: the bundled CONTEST pages). Env: CONTEST_KB_CORPUS.",
)
@click.option(
    "--index-dir",
    type=click.Path(file_okay=False),
    envvar="CONTEST_KB_INDEX",
    help="Index folder (default: index/ in a checkout, else the user cache). Env: CONTEST_KB_INDEX.",
)
@click.pass_context
def cli(ctx: click.Context, corpus: str | None, index_dir: str | None) -> None:
    """Search the UK counter-terrorism strategy (CONTEST) with cited answers.

    The bundled corpus holds five published pages from the Home Office,
    GOV.UK, London Councils and Counter Terrorism Policing, split into
    sections tagged with the strands Pursue, Prevent, Protect and Prepare.
    Every answer cites publisher, page, section, paragraph, lines and URL.

    \b
    Examples:
      contest-kb search how many people are referred to Prevent each year
      contest-kb search --strand prevent Channel --format json
      contest-kb show ctp-prevent/prevent-scale-and-outcomes
      contest-kb sections --strand protect
      contest-kb sources
    """
    ctx.obj = State(corpus, index_dir)


@cli.command()
@click.argument("query", nargs=-1, required=True)
@strand_option
@click.option("--source", "sources", multiple=True, metavar="ID", help="Only this source (repeat for several); see 'contest-kb sources'.")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=10, show_default=True, help="Show at most N results.")
@click.option("--no-correct", is_flag=True, help="Do not run the spelling suggestion in place of unknown words.")
@click.option("--explain", is_flag=True, help="Show which words and expansions matched in which field, and their scores.")
@output_options("text", "json")
@click.pass_obj
def search(state: State, query, strands, sources, limit, no_correct, explain, fmt, color) -> None:
    """Search for QUERY: a question in plain words, or Whoosh query syntax.

    Natural-language questions need not match every word; more matched words
    rank higher. Whoosh syntax works too: AND, OR, NOT, "exact phrases",
    wildcards (radicali*), and heading:WORD to search headings only.

    \b
    Examples:
      contest-kb search how many people are referred to Prevent each year
      contest-kb search '"multi-agency" AND Channel'
      contest-kb search 7000 referrals --format json | jq '.results[0].citation'
      contest-kb search radicalisation --strand prevent --limit 3

    \b
    Exit status: 0 results found, 1 no results, 2 error.
    """
    from .search import Searcher

    kb = state.open()
    with Searcher(kb) as searcher:
        result = searcher.search(" ".join(query), strands, sources, limit, not no_correct, explain)
    if result.suggestion and result.corrected:
        click.echo(f"contest-kb: showing results for {result.suggestion!r}; search exactly for {result.query!r} with --no-correct", err=True)
    elif result.suggestion:
        click.echo(f"contest-kb: did you mean {result.suggestion!r}?", err=True)
    if fmt == "json":
        from .render import to_json

        _write(to_json(result.to_dict()))
    else:
        from .render import print_search

        print_search(result, sys.stdout, _color(color, fmt))
        shown = len(result.hits)
        click.echo(f"contest-kb: {result.total} result{'s' if result.total != 1 else ''}" + (f", showing {shown}" if shown < result.total else ""), err=True)
    sys.exit(0 if result.total else 1)


@cli.command()
@click.argument("section_id", metavar="ID")
@output_options("text", "json")
@click.pass_obj
def show(state: State, section_id: str, fmt: str, color: str) -> None:
    """Print a whole section with its citation and strand evidence.

    ID is a section id as printed by 'search' and 'sections', such as
    ctp-prevent/prevent-scale-and-outcomes.
    """
    kb = state.open()
    section = kb.sections.get(section_id)
    if section is None:
        import difflib

        close = difflib.get_close_matches(section_id, list(kb.sections), n=1, cutoff=0.5)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ContestKBError(f"no section {section_id!r}; {hint}'contest-kb sections' lists every id")
    source = kb.sources[section.source]
    if fmt == "json":
        from .render import section_dict, to_json

        data = section_dict(section, source)
        data["source"] = source.to_dict()
        data["evidence"] = section.evidence
        data["paragraphs"] = [p.to_dict() for p in section.paragraphs]
        _write(to_json(data))
    else:
        from .render import print_show

        print_show(section, source, sys.stdout, _color(color))


@cli.command()
@strand_option
@click.option("--source", "sources", multiple=True, metavar="ID", help="Only this source (repeat for several).")
@output_options("text", "json")
@click.pass_obj
def sections(state: State, strands, sources, fmt: str, color: str) -> None:
    """List every section: id, strands and heading path.

    \b
    Examples:
      contest-kb sections --strand prevent
      contest-kb sections --format json | jq '.[].id'
    """
    kb = state.open()
    unknown = [s for s in sources if s not in kb.sources]
    if unknown:
        raise ContestKBError(f"unknown source {unknown[0]!r}; 'contest-kb sources' lists the ids")
    wanted = {s.lower() for s in strands}
    chosen = [
        s
        for s in kb.sections.values()
        if (not wanted or wanted & set(s.strands) or ("overview" in wanted and s.overview))
        and (not sources or s.source in sources)
    ]
    if fmt == "json":
        from .render import section_dict, to_json

        _write(to_json([section_dict(s, kb.sources[s.source]) for s in chosen]))
    else:
        from .render import print_sections

        print_sections(chosen, sys.stdout, _color(color))
    sys.exit(0 if chosen else 1)


@cli.command()
@output_options("text", "json")
@click.pass_obj
def sources(state: State, fmt: str, color: str) -> None:
    """List the source pages with their metadata and sections per strand."""
    from .render import print_sources, sources_json, to_json

    kb = state.open()
    items = sources_json(kb.sources, kb.sections.values(), kb.attribution)
    if fmt == "json":
        _write(to_json(items))
    else:
        print_sources(items, sys.stdout, _color(color))


@cli.command()
@click.pass_obj
def index(state: State) -> None:
    """Rebuild the index now (it is also built on first use and whenever the
    corpus changes). The build goes to a new folder that replaces the old
    index only once complete, so an interrupted build loses nothing."""
    state.open(rebuild=True)


@cli.command()
@click.argument("questions", required=False, type=click.Path(dir_okay=False))
@click.option("--baseline/--no-baseline", default=True, show_default=True, help="Also score the SQLite FTS5 baseline.")
@click.option("--misses", is_flag=True, help="List the questions not answered at rank 1.")
@click.option("--min-success-at-1", type=click.FloatRange(0, 1), default=None, help="Exit 1 when contest-kb's success@1 is lower.")
@output_options("text", "json")
@click.pass_obj
def relevance(state: State, questions, baseline, misses, min_success_at_1, fmt, color) -> None:
    """Measure search quality on a relevance set (QUESTIONS, a TOML file;
    default: benchmarks/relevance.toml in a checkout).

    Prints success@1, success@3 and MRR@5 for contest-kb and for an SQLite
    FTS5 baseline (BM25, Porter stemming, the question's words ORed) over the
    same paragraphs. A question counts at rank k when the best cited passage
    of hit k contains one of its expected phrases.

    \b
    Examples:
      contest-kb relevance
      contest-kb relevance my-questions.toml --misses --min-success-at-1 0.9
    """
    from .relevance import compare, default_questions_path, load_questions
    from .search import Searcher

    path = questions or default_questions_path()
    if path is None:
        raise ContestKBError("no relevance set given and none in this checkout; pass QUESTIONS (a TOML file)")
    items = load_questions(path)
    kb = state.open()
    with Searcher(kb) as searcher:
        scores = compare(searcher, items, baseline)
    if fmt == "json":
        from .render import to_json

        _write(to_json({"questions": len(items), "file": path, "systems": [s.to_dict() for s in scores]}))
    else:
        from .render import relevance_text

        _write(relevance_text(scores, misses))
    if min_success_at_1 is not None and scores[0].success_at(1) < min_success_at_1:
        click.echo(f"contest-kb: success@1 {scores[0].success_at(1):.3f} is below {min_success_at_1}", err=True)
        sys.exit(1)


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="contest-kb")
    except BrokenPipeError:  # `contest-kb ... | head` closed the pipe: not an error
        sys.stderr.close()
        sys.exit(0)
