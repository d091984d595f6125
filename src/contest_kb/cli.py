"""The contest-kb command line: parses arguments and renders; the work is
done by the library modules."""

from __future__ import annotations

import os
import sys
import time

import click

from . import __version__
from .errors import ContestKBError

EXIT_CODES = """\b
Exit status: 0 results found, 1 no results, 2 error (bad option, unknown
strand or source, unparseable query, broken corpus file).

\b
Shell completion (commands, options, section ids), one line to install:
  bash: echo 'eval "$(_CONTEST_KB_COMPLETE=bash_source contest-kb)"' >> ~/.bashrc
  zsh:  echo 'eval "$(_CONTEST_KB_COMPLETE=zsh_source contest-kb)"' >> ~/.zshrc
  fish: _CONTEST_KB_COMPLETE=fish_source contest-kb > ~/.config/fish/completions/contest-kb.fish"""



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
    metavar="STRAND",
    help="Only sections of this strand: pursue, prevent, protect, prepare (the corpus's strands.toml lists them) "
         "or overview; repeat for any of several.",
)


class State:
    """What the group options chose: corpus and index folders."""

    def __init__(self, corpus: str | None, index_dir: str | None):
        self.corpus = corpus
        self.index_dir = index_dir
        self.seconds = 0.0

    def open(self, rebuild: bool = False, report: bool = False):
        """Open the index, building it first if needed: a message and, on a
        terminal, a progress bar go to stderr."""
        from .index import open_index

        err = sys.stderr
        started = time.monotonic()
        bar = None
        started_build = False

        shown = 0

        def progress(done: int, total: int) -> None:
            nonlocal bar, started_build, shown
            if not started_build:
                started_build = True
                from .render import plural

                click.echo(f"contest-kb: indexing {plural(total, 'page')}"
                           + ("" if rebuild else " (first run, or the corpus changed)"), err=True)
                if err.isatty():
                    bar = click.progressbar(length=total, label="Indexing", file=err)
                    bar.__enter__()
            if bar is not None:
                bar.update(done - shown)
                shown = done
                if done == total:
                    bar.__exit__(None, None, None)

        kb = open_index(self.corpus, self.index_dir, progress=progress, rebuild=rebuild)
        self.seconds = time.monotonic() - started
        if report or started_build:
            from .render import plural

            stats = kb.stats()
            held = (f"{plural(stats['sections'], 'section')} ({plural(stats['paragraphs'], 'paragraph')}) "
                    f"from {plural(stats['sources'], 'source')}")
            if started_build:
                click.echo(f"contest-kb: indexed {held} into {kb.path} in {self.seconds:.2f} s", err=True)
            else:
                click.echo(f"contest-kb: the index is up to date: {held} in {kb.path}", err=True)
        return kb


DEBUG_ENV = "CONTEST_KB_DEBUG"
MAX_MESSAGE = 600


class Failure(click.ClickException):
    """A library error or an unexpected one, shown as one line on stderr with
    the ``contest-kb:`` prefix; exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        from .text import printable

        message = printable(self.message)
        if len(message) > MAX_MESSAGE:
            message = message[: MAX_MESSAGE - 1] + "…"
        click.echo(f"contest-kb: {message}", file=file or sys.stderr, err=True)


def _set_folder(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        setattr(ctx.find_object(State), param.name or "", value)


# Parameter types hold no state, so one of each serves every option.
FOLDER = click.Path(file_okay=False)
FILE = click.Path(dir_okay=False)


def _folder_options() -> list[click.Parameter]:
    """--corpus and --index-dir as every subcommand accepts them too (after
    its name); the group's own options read the environment."""
    return [
        click.Option(["--corpus"], type=FOLDER, expose_value=False, callback=_set_folder,
                     help="Corpus folder (as before the command)."),
        click.Option(["--index-dir", "index_dir"], type=FOLDER, expose_value=False,
                     callback=_set_folder, help="Index folder (as before the command)."),
    ]


class Group(click.Group):
    """The command group: maps library errors (and any unexpected exception)
    to Failure, so no command ends in a traceback or in status 1, and prints
    usage errors as one line with the contest-kb: prefix."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        cmd.params.extend(_folder_options())
        super().add_command(cmd, name)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[override]
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else "contest-kb"
            Failure(f"{exc.format_message()} (see '{where} --help')").show()
            sys.exit(2)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            Failure("interrupted").show()
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context):
        from .errors import ContestKBError

        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except ContestKBError as exc:
            raise Failure(exc.message) from None
        except BrokenPipeError:  # `contest-kb ... | head` closed the pipe: not an error (Click would exit 1)
            raise click.exceptions.Exit(0) from None
        except OSError as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            where = f" ({exc.filename})" if exc.filename else ""
            raise Failure(f"{exc.strerror or exc}{where}; check the folder can be written and has space, "
                          f"or run with {DEBUG_ENV}=1 for the traceback") from None
        except Exception as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            raise Failure(f"unexpected error ({type(exc).__name__}: {exc}); run with {DEBUG_ENV}=1 "
                          "for the traceback and report it") from None


def _look(choice: str, fmt: str = "text"):
    """How to render text output on stdout (JSON and CSV are never coloured)."""
    from .render import PLAIN, look_for

    return look_for(sys.stdout, choice) if fmt == "text" else PLAIN


def _write(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")


@click.group(
    name="contest-kb",
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXIT_CODES,
)
@click.version_option(__version__, "-V", "--version", prog_name="contest-kb")
@click.option(
    "--corpus",
    type=FOLDER,
    envvar="CONTEST_KB_CORPUS",
    help="Corpus folder (default: the bundled CONTEST pages). Env: CONTEST_KB_CORPUS.",
)
@click.option(
    "--index-dir",
    type=FOLDER,
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


def search_filters(f):
    """--strand, --source, --limit and --no-correct, shared by search and export."""
    f = click.option("--no-correct", is_flag=True,
                     help="Search the words as typed: never look for a misspelt word as respelled, even when the query finds nothing.")(f)
    f = click.option("--limit", "-n", type=click.IntRange(min=1), default=10, show_default=True, help="Show at most N results.")(f)
    f = click.option("--source", "sources", multiple=True, metavar="ID", help="Only this source (repeat for several); see 'contest-kb sources'.")(f)
    return strand_option(f)


def _report_correction(result, line: str = "") -> None:
    where = f"{line}: " if line else ""
    if result.suggestion and result.corrected:
        click.echo(f"contest-kb: {where}showing results for {result.suggestion!r}; search exactly for {result.query!r} with --no-correct", err=True)
    elif result.suggestion:
        click.echo(f"contest-kb: {where}did you mean {result.suggestion!r}?", err=True)


def _read_queries(source: str) -> list[tuple[int, str]]:
    """(line number, query) for each non-blank line of SOURCE ('-' is stdin)."""
    text = sys.stdin.read() if source == "-" else _read_user_file(source)
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


excel_option = click.option("--excel", is_flag=True, help="CSV for Excel: start with a UTF-8 byte-order mark, so “ § ¶ open intact.")


@cli.command()
@click.argument("query", nargs=-1)
@search_filters
@click.option("--queries-from", "queries_from", metavar="FILE", help="Run every line of FILE as a query (- for stdin), in one process.")
@click.option("--explain", is_flag=True, help="Show which words and expansions matched in which field, and their scores.")
@click.option("--passages", type=click.IntRange(min=1), metavar="N", help="Show up to N passages of each hit (a terminal shows 1, clipped).")
@click.option("--full", is_flag=True, help="Show every passage of each hit in full, and where else it appears.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing; only the exit status says whether anything was found.")
@click.option("--require-answer", is_flag=True,
              help="Exit 1 unless a passage holds the question's names, figures and rare words (JSON: answered).")
@excel_option
@output_options("text", "json", "jsonl", "csv")
@click.pass_obj
def search(state: State, query, strands, sources, limit, queries_from, no_correct, explain, passages, full, quiet,
           require_answer, excel, fmt, color) -> None:
    """Search for QUERY: a question in plain words, or Whoosh query syntax.

    Natural-language questions need not match every word; more matched words
    rank higher. Whoosh syntax works too: AND, OR, NOT, "exact phrases",
    wildcards (radicali*), and heading:WORD to search headings only;
    site:gov.uk keeps to the pages at that address (as search engines do).

    On a terminal each hit shows its best passage, clipped to fit a screen of
    answers; --passages N or --full shows more. Piped output, JSON and CSV
    are always complete. CSV has the columns of 'export --format csv'.

    With --queries-from, every line of the file is a query; --format jsonl
    prints one JSON object per query, with the same schema as --format json.

    \b
    Examples:
      contest-kb search how many people are referred to Prevent each year
      contest-kb search '"multi-agency" AND Channel'
      contest-kb search 7000 referrals --format json | jq '.results[0].citation'
      contest-kb search radicalisation --strand prevent --limit 3 --full
      contest-kb search Channel --format csv --excel > channel.csv
      contest-kb search --queries-from questions.txt --format jsonl
      contest-kb search -q "Channel mentor" && echo found

    Each result lists the question's key terms (names, figures, acronyms,
    rare words) its passages leave unmatched; when no passage holds what the
    question asks about, a note on stderr says the answer may not be on
    these pages (JSON: "answered": false), and --require-answer exits 1.

    \b
    Exit status: 0 results found (for any query), 1 no results, 2 error.
    """
    from .search import Searcher

    if query and queries_from:
        raise click.UsageError("give QUERY or --queries-from FILE, not both")
    if not query and not queries_from:
        raise click.UsageError("give a QUERY to search for, or --queries-from FILE")
    batch = _read_queries(queries_from) if queries_from else [(0, " ".join(query))]
    kb = state.open()
    found = False
    results = []
    with Searcher(kb) as searcher:
        strands, sources = searcher.check_filters(strands, sources)
        where = (lambda n: f"{queries_from}:{n}") if queries_from else (lambda n: "")
        plans = []
        for n, text in batch:  # every query is checked before any is run
            try:
                plans.append(searcher.planner.plan(text, respell=not no_correct))
                searcher.check_plan(plans[-1])
            except ContestKBError as exc:
                raise ContestKBError(f"{where(n)}: {exc.message}" if queries_from else exc.message) from None
        look = _look(color, fmt)
        for (n, text), plan in zip(batch, plans):
            result = searcher.search_plan(plan, strands, sources, limit, not no_correct, explain)
            found = found or (result.total > 0 and (result.answered or not require_answer))
            if quiet:
                continue
            _report_correction(result, where(n))
            if result.hits and not result.answered:
                missing = ", ".join(repr(t) for t in result.missing) or "most of its rare words"
                click.echo(f"contest-kb: {where(n) + ': ' if queries_from else ''}no passage holds {missing} "
                           "together with the rest of the question; the answer may not be on these pages", err=True)
            if fmt == "csv":
                results.append(result)
            elif fmt == "jsonl":
                import json

                _write(json.dumps(result.to_dict(), ensure_ascii=False))
            elif fmt == "json":
                from .render import to_json

                _write(to_json(result.to_dict()))
            else:
                from .render import plural, print_search

                if queries_from:
                    _write(f"## {text}\n")
                print_search(result, sys.stdout, look, None if full else passages)
                shown = len(result.hits)
                click.echo(f"contest-kb: {where(n) + ': ' if queries_from else ''}{plural(result.total, 'result')}"
                           + (f", showing {shown}" if shown < result.total else ""), err=True)
    if results:
        from .export import render

        sys.stdout.write(render(results, "csv", excel=excel))
    sys.exit(0 if found else 1)


def _completer(ids):
    """Shell completion from the ids IDS(kb) gives (section or source ids)."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
        from .index import open_index

        root = ctx.find_root().params
        try:
            with open_index(root.get("corpus") or os.environ.get("CONTEST_KB_CORPUS"),
                            root.get("index_dir") or os.environ.get("CONTEST_KB_INDEX")) as kb:
                return [sid for sid in ids(kb) if sid.startswith(incomplete)]
        except Exception:  # noqa: BLE001 - completion must never print a traceback into the shell
            return []

    return complete


_complete_section_ids = _completer(lambda kb: kb.section_ids())
_complete_source_ids = _completer(lambda kb: kb.source_ids)


@cli.command()
@click.argument("section_id", metavar="ID", shell_complete=_complete_section_ids)
@output_options("text", "json")
@click.pass_obj
def show(state: State, section_id: str, fmt: str, color: str) -> None:
    """Print a whole section with its citation and strand evidence.

    ID is a section id as printed by 'search' and 'sections', such as
    ctp-prevent/prevent-scale-and-outcomes.
    """
    kb = state.open()
    section = kb.section(section_id)
    if section is None:
        import difflib

        close = difflib.get_close_matches(section_id, kb.section_ids(), n=1, cutoff=0.5)
        hint = f"did you mean {close[0]!r}? " if close else ""
        from .errors import NotFound

        raise NotFound(f"no section {section_id!r}; {hint}'contest-kb sections' lists every id")
    source = kb.source(section.source)
    if fmt == "json":
        from .render import section_dict, to_json

        _write(to_json(section_dict(section, source, full=True)))
    else:
        from .render import print_show

        print_show(section, source, sys.stdout, _look(color))


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
    chosen = kb.list_sections(strands, sources)
    if fmt == "json":
        from .render import section_dict, to_json

        _write(to_json([section_dict(s, kb.sources[s.source]) for s in chosen]))
    else:
        from .render import print_sections

        print_sections(chosen, sys.stdout, _look(color))
    sys.exit(0 if chosen else 1)


@cli.command()
@output_options("text", "json")
@click.pass_obj
def sources(state: State, fmt: str, color: str) -> None:
    """List the source pages with their metadata and sections per strand."""
    from .render import print_sources, sources_json, to_json

    kb = state.open()
    items = sources_json(kb.sources, kb.strand_counts(), kb.attribution)
    if fmt == "json":
        _write(to_json(items))
    else:
        print_sources(items, sys.stdout, _look(color))


def _fetch_progress():
    """A progress bar per download on a terminal (stderr), else nothing."""
    if not sys.stderr.isatty():
        return None
    bars: dict[str, object] = {}

    def progress(url: str, done: int, total: int | None) -> None:
        bar = bars.get(url)
        if bar is None:
            bar = bars[url] = click.progressbar(length=total or 0, label=f"Fetching {url[:60]}", file=sys.stderr)
            bar.__enter__()  # type: ignore[attr-defined]
        bar.update(done - bar.pos)  # type: ignore[attr-defined]
        if total and done >= total:
            bar.__exit__(None, None, None)  # type: ignore[attr-defined]

    return progress


@cli.command()
@click.argument("documents", nargs=-1, required=True, metavar="PATH|URL...")
@click.option("--title", help="The document's title (wins over what the document says).")
@click.option("--publisher", help="Who published it.")
@click.option("--published", metavar="YYYY-MM-DD", help="When it was published.")
@click.option("--updated", metavar="YYYY-MM-DD", help="When it was last updated.")
@click.option("--url", help="Its web address (for citations and links to the passage).")
@click.option("--licence", help="Its licence, e.g. 'Open Government Licence v3.0'.")
@click.option("--id", "source_id", help="The source id (one document only); default: from the file name.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one line per document added; json: the entries written.")
@click.pass_obj
def add(state: State, documents, title, publisher, published, updated, url, licence, source_id, fmt) -> None:
    """Add documents to the corpus and index them: files (.txt, .md, .html,
    .htm, .pdf), folders (every such file in them) or http(s) addresses.

    Each document is copied (or fetched) into the corpus folder and given a
    manifest entry with the title, publisher, dates and address it states
    (HTML meta tags and JSON-LD, PDF metadata, Markdown front matter); the
    options win over those, and 'contest-kb sources' shows where each value
    came from. Edit corpus/sources.json to correct an entry. Adding a
    document again replaces it. A --corpus folder that does not exist is
    made, with the bundled strand cues, glossary and site-chrome rules.

    \b
    Examples:
      contest-kb add ~/Downloads/prevent-duty-guidance.pdf --publisher "Home Office"
      contest-kb add https://www.gov.uk/government/publications/channel-duty-guidance
      contest-kb --corpus my-corpus add saved-pages/
    """
    from .documents import add_documents

    fields = {"title": title, "publisher": publisher, "published": published, "updated": updated, "url": url,
              "licence": licence}
    report = add_documents(documents, state.corpus, fields, source_id, progress=_fetch_progress())
    for item in report.skipped:
        click.echo(f"contest-kb: skipped {item.path}: {item.reason}", err=True)
    kb = state.open()
    if fmt == "json":
        from .render import to_json

        _write(to_json(report.to_dict()))
    else:
        from .render import added_text

        _write(added_text(report, kb))


@cli.command()
@click.argument("source_id", metavar="ID", shell_complete=_complete_source_ids)
@click.pass_obj
def remove(state: State, source_id: str) -> None:
    """Remove the source ID from the corpus (its manifest entry and its file)
    and from the index.

    \b
    Example:
      contest-kb remove council-prevent
    """
    from .documents import remove_source

    entry = remove_source(source_id, state.corpus)
    state.open()
    click.echo(f"contest-kb: removed {source_id} ({entry['file']})", err=True)


@cli.command()
@click.option("--rebuild", is_flag=True, help="Index every page again, even those that did not change.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: the summary on stderr only; json: the summary on stdout.")
@click.pass_obj
def index(state: State, rebuild: bool, fmt: str) -> None:
    """Bring the index up to date now (searches also do, on first use and
    whenever the corpus changes): pages and manifest entries that changed
    are re-indexed alone; a change to the strand cues, glossary or site
    chrome re-indexes everything, as --rebuild does. The new index is
    written beside the old one and replaces it only once complete, so an
    interrupted build loses nothing.

    \b
    Examples:
      contest-kb index
      contest-kb index --rebuild --format json | jq .paragraphs
    """
    kb = state.open(rebuild=rebuild, report=True)
    if fmt == "json":
        from .render import to_json

        _write(to_json(dict(kb.stats(), seconds=round(state.seconds, 3))))


@cli.command()
@click.argument("questions", nargs=-1, type=FILE)
@click.option("--unanswerable", metavar="FILE", type=FILE, multiple=True,
              help="Questions the pages cannot answer (TOML: questions = [...]); repeat for several; "
                   "default: benchmarks/unanswerable.toml and unanswerable-styles.toml.")
@click.option("--distractors", metavar="DIR", type=FOLDER, multiple=True,
              help="Also score the sets with the pages of DIR (with its own sources.json) added to a copy of the corpus; "
                   "repeat to add several folders.")
@click.option("--baseline/--no-baseline", default=True, show_default=True, help="Also score the SQLite FTS5 baseline.")
@click.option("--misses", is_flag=True, help="List the questions not answered at rank 1.")
@click.option("--by-kind", is_flag=True, help="Also show success@1 and success@3 for each kind of question (each question's 'kind').")
@click.option("--min-success-at-1", type=click.FloatRange(0, 1), default=None, help="Exit 1 when contest-kb's success@1 on any set is lower.")
@output_options("text", "json")
@click.pass_obj
def relevance(state: State, questions, unanswerable, distractors, baseline, misses, by_kind, min_success_at_1, fmt, color) -> None:
    """Measure search quality on relevance sets (QUESTIONS, TOML files;
    default: benchmarks/relevance.toml, relevance-styles.toml, relevance-fresh.toml,
    relevance-unseen.toml, relevance-everyday.toml, relevance-blind.toml,
    relevance-seventh.toml to relevance-forty-first.toml in a checkout), and how well 'answered' tells them
    from questions the pages cannot answer.

    Prints success@1, success@3 and MRR@5 per set for contest-kb and for an
    SQLite FTS5 baseline (BM25, Porter stemming, the question's words ORed)
    over the same paragraphs. A question counts at rank k when the best cited
    passage of hit k contains one of its expected phrases. Then the share of
    answerable questions answered, of unanswerable ones flagged, and the AUC.

    \b
    Examples:
      contest-kb relevance
      contest-kb relevance my-questions.toml --misses --min-success-at-1 0.9
      contest-kb relevance benchmarks/relevance-styles.toml --by-kind
      contest-kb relevance --distractors benchmarks/distractors --distractors benchmarks/distractors-wide
    """
    from .relevance import default_sets, evaluate

    bundled, bundled_unanswerable = default_sets()
    paths = list(questions) or bundled
    if not paths:
        raise ContestKBError("no relevance set given and none in this checkout; pass QUESTIONS (a TOML file)")
    if not unanswerable and not questions:
        unanswerable = bundled_unanswerable
    evaluation = evaluate(state.open(), paths, unanswerable, distractors, baseline, state.corpus)
    if fmt == "json":
        from .render import to_json

        _write(to_json(evaluation.to_dict()))
    else:
        from .render import evaluation_text

        _write(evaluation_text(evaluation, misses, by_kind))
    low = evaluation.below(min_success_at_1) if min_success_at_1 is not None else []
    if low:
        click.echo(f"contest-kb: {low[0].file}: success@1 {low[0].scores[0].success_at(1):.3f} is below {min_success_at_1}", err=True)
        sys.exit(1)


def _read_user_file(path: str) -> str:
    """The UTF-8 text of a file the user names (a briefing, a list of queries)."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise ContestKBError(f"cannot read {path} ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ContestKBError(f"{path} is not UTF-8 text; save it as UTF-8") from None


def _write_junit(path: str, outcomes, name: str, seconds: float) -> None:
    from .checks import junit_xml
    from .export import write_report

    write_report(path, junit_xml(outcomes, name, seconds))


junit_option = click.option(
    "--junit", metavar="OUT.xml", type=FILE,
    help="Also write JUnit XML (one testcase per case) for CI to display; replaced on each run, folders created.",
)


@cli.command()
@click.argument("text", nargs=-1)
@click.option("--from", "from_file", metavar="FILE.md", type=FILE, help="Check every quotation in a Markdown file: blockquotes, and quoted text of six words or more.")
@click.option("--ignore-case", is_flag=True, help="Let case differ, too.")
@junit_option
@output_options("text", "json")
@click.pass_obj
def quote(state: State, text, from_file, ignore_case, junit, fmt, color) -> None:
    """Check that TEXT is quoted exactly as published, and say where.

    Typography is forgiven (white space, line breaks, non-breaking spaces,
    curly or straight quotes, dashes or hyphens); words and case must match,
    and a match starts and ends on whole words ("54" is not found in "254").
    An ellipsis (… or ... or […]) stands for words left out: the parts must
    appear in order within one paragraph or two adjacent ones. A bracketed
    insertion ("[the MAC] works") stands for up to four words of the page.
    When TEXT is not found, the closest passage is printed with a word diff:
    [-your words-] {+the published words+}.

    With --from, every quotation of a Markdown file is checked: blockquotes,
    and text of six words or more in "double", ‘single curly’, «» or „“
    quotation marks, across line breaks. A quotation mark never closed is
    reported as UNREADABLE and fails the check.

    \b
    Examples:
      contest-kb quote "Channel has supported 5,000 people to move away from terrorism"
      contest-kb quote "Every year […] 7,000 people are referred"
      contest-kb quote --from briefing.md --junit reports/quotes.xml

    \b
    Exit status: 0 found (every quotation, with --from), 1 not found, 2 error.
    """
    from .checks import Case, check_briefing, quote_outcome
    from .quote import QuoteFinder

    if bool(text) == bool(from_file):
        raise click.UsageError("give the TEXT to look for, or --from FILE.md (one of them)")
    markdown = _read_user_file(from_file) if from_file else ""
    kb = state.open()
    finder = QuoteFinder(kb)
    started = time.monotonic()
    short = 0
    if from_file:
        outcomes, short = check_briefing(finder, from_file, markdown, ignore_case)
        if not outcomes:
            raise ContestKBError(f"{from_file}: no quotations found (blockquotes, or quoted text of six words or more)"
                                 + (f"; {short} shorter quotations are not checked" if short else ""))
    else:
        quoted = " ".join(text)
        outcomes = [quote_outcome(Case("quote", quoted[:60], 0, quoted, quoted, ignore_case=ignore_case), finder.find(quoted, ignore_case))]
    if junit:
        name = os.path.splitext(os.path.basename(from_file))[0] if from_file else "quote"
        _write_junit(junit, outcomes, name, time.monotonic() - started)
    if fmt == "json":
        from .render import quote_json, to_json

        data = quote_json(outcomes)
        _write(to_json(data if from_file else data[0]))
    else:
        from .render import print_quotes

        print_quotes(outcomes, from_file, sys.stdout, _look(color))
    if from_file:
        found = sum(o.passed for o in outcomes)
        unreadable = sum(1 for o in outcomes if o.quote is None)
        click.echo(f"contest-kb: {from_file}: {len(outcomes) - unreadable} quotations checked, {found} found, "
                   f"{len(outcomes) - unreadable - found} not found"
                   + (f", {unreadable} unreadable" if unreadable else "")
                   + (f"; {short} shorter than six words not checked" if short else ""), err=True)
    sys.exit(0 if all(o.passed for o in outcomes) else 1)


@cli.command()
@click.argument("suite", type=FILE)
@junit_option
@click.option("--force", is_flag=True, hidden=True, help="Accepted for old scripts: a report is always replaced.")
@output_options("text", "json")
@click.pass_obj
def check(state: State, suite, junit, force, fmt, color) -> None:
    """Run a suite of lookups and quotations (a TOML file) in one process.

    Each [[lookup]] runs its query exactly as written and passes when a cited
    passage of the top results contains its expected text and answers the
    query (it matches the query's numbers and acronyms and at least half its
    other words). Each [[quote]] passes when its text is found. See the
    README, 'Lookup suites', for the format.

    \b
    Examples:
      contest-kb check examples/briefing-checks.toml
      contest-kb check checks.toml --junit reports/contest-kb.xml

    \b
    Exit status: 0 all pass, 1 any fails, 2 the suite is malformed or another error.
    """
    from .checks import load_suite, run_suite
    from .search import Searcher

    cases = load_suite(suite)
    kb = state.open()
    started = time.monotonic()
    with Searcher(kb) as searcher:
        outcomes = run_suite(searcher, cases)
    elapsed = time.monotonic() - started
    passed = sum(o.passed for o in outcomes)
    failed = len(outcomes) - passed
    if junit:
        _write_junit(junit, outcomes, os.path.splitext(os.path.basename(suite))[0], elapsed)
    if fmt == "json":
        from .render import to_json

        _write(to_json({"suite": suite, "passed": passed, "failed": failed, "cases": [o.to_dict() for o in outcomes]}))
    else:
        from .render import check_text

        _write(check_text(outcomes))
    sys.exit(0 if failed == 0 else 1)


@cli.command()
@click.argument("query", nargs=-1, required=True)
@click.option("-o", "--output", required=True, metavar="FILE", help="Where to write; - for stdout. The format follows the extension (.md, .json, .csv, .csl.json).")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "csv", "csl-json"]), default=None, help="Output format (default: from the file's extension).")
@search_filters
@click.option("--cite-style", type=click.Choice(["plain", "pandoc"]), default="plain", show_default=True, help="Markdown citations: a linked line, or pandoc [@source] references (with a csl-json export).")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@excel_option
@click.pass_obj
def export(state: State, query, output, fmt, strands, sources, limit, cite_style, force, no_correct, excel) -> None:
    """Write the cited excerpts of a search to a file.

    Markdown quotes each passage with its heading path and a linked citation,
    and ends with the sources and their licence attribution; CSV has one row
    per cited passage (cells that look like formulas are neutralised); JSON is
    the object 'search --format json' prints; CSL-JSON has one item per source
    for Zotero or pandoc --citeproc. An existing file is never overwritten
    without --force, and the file appears complete or not at all.

    \b
    Examples:
      contest-kb export Prevent referrals -o prevent.md
      contest-kb export Channel --strand prevent -o channel.csv
      contest-kb export Channel -o channel.csv --excel
      contest-kb export Channel -o refs.csl.json && contest-kb export Channel -o channel.md --cite-style pandoc
      pandoc channel.md --citeproc --bibliography refs.csl.json -o channel.docx

    \b
    Exit status: 0 written (results found), 1 no results (nothing written), 2 error.
    """
    from .export import format_for, render, write_file
    from .search import Searcher

    fmt = format_for(output, fmt)
    if output != "-" and os.path.exists(output) and not force:
        raise ContestKBError(f"{output} exists; pass --force to overwrite it, or choose another -o")
    kb = state.open()
    with Searcher(kb) as searcher:
        result = searcher.search(" ".join(query), strands, sources, limit, not no_correct)
    _report_correction(result)
    if not result.total:
        click.echo("contest-kb: no results; nothing written", err=True)
        sys.exit(1)
    text = render([result], fmt, kb.attribution, cite_style, excel)
    if output == "-":
        _write(text)
    else:
        write_file(output, text, force=force)
        click.echo(f"contest-kb: wrote {len(result.hits)} result{'s' if len(result.hits) != 1 else ''} to {output} ({fmt})", err=True)


def main() -> None:
    """Console-script entry point.

    A command runs for a fraction of a second, so the garbage collector is
    kept out of the way, and the process leaves without the interpreter's
    teardown (once its output is flushed): both cost more than the search.
    """
    import gc

    gc.disable()
    try:
        cli(prog_name="contest-kb")
    except BrokenPipeError:  # `contest-kb ... | head` closed the pipe: not an error
        sys.stderr.close()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            print(exc.code, file=sys.stderr)
    else:
        code = 0
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(code)
