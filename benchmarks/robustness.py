"""Robustness harness: fuzzed queries and quotations, mutated corpora, builds
killed with SIGKILL, and searches while the index is rebuilt.

Run it as a script for the figures in the README (defaults are the issue's
targets; takes several minutes):

    python benchmarks/robustness.py
    python benchmarks/robustness.py --queries 2000 --corpora 50 --kills 10 --seconds 5   # quick

tests/test_robustness.py runs the same functions at a size fit for CI.
Every function returns a dict of counts; "failures" lists the first few
problems found, each with what reproduces it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(REPO, "corpus")

OPERATORS = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "(", ")", '"', "'", "*", "?", "^2", "~", "~2", "[", "]",
             "{", "}", ":", "-", "+", "\\", "/", "heading:", "strand:", "source:", "strand:prevent", "strand:nope",
             "source:ctp-prevent", "foo:", "plain:", "id:", "*:*", "[a TO z]", "{1 TO 9}", "<", ">", "=", "@", "#"]
ODD = ["\ud800", "\udcff", "\x00", "\x1b[31m", "\x1b]0;x\x07", "\u200b", "\u00a0", "\u202e", "\u0301", "😀", "ﬁ",
       "ß", "İ", "\u2028", "\t", "\n", "\r", "…", "“", "’", "–", "7,000", "65%", "1e9", "-5", "0", "00000000000000000000",
       "a" * 300, "x" * 5000, "per cent", "stand for", "what is the", "the", "?", "!", ".", ",", "[…]", "...", "[the MAC]",
       "²", "¹²", "½", "①", "٣", "１２", "seven thousand", "twelve", "five hundred and", "ninety nine billion"]


def _words(corpus_dir: str) -> list[str]:
    words: list[str] = []
    for name in sorted(os.listdir(corpus_dir)):
        if name.endswith((".txt", ".md")) and not os.path.splitext(name)[0].isupper():
            with open(os.path.join(corpus_dir, name), encoding="utf-8") as handle:
                words.extend(handle.read().split())
    return words


def random_query(rng: random.Random, words: list[str]) -> str:
    """A query mixing corpus words, query syntax and odd characters."""
    parts = []
    for _ in range(rng.randint(0, 8)):
        roll = rng.random()
        if roll < 0.55:
            word = rng.choice(words)
            if rng.random() < 0.2:  # a typo
                k = rng.randrange(len(word))
                word = word[:k] + rng.choice("abcdefghijklmnopqrstuvwxyz") + word[k + 1 :]
            parts.append(word)
        elif roll < 0.8:
            parts.append(rng.choice(OPERATORS))
        else:
            parts.append(rng.choice(ODD))
    glue = rng.choice([" ", " ", " ", "", "  ", "\t"])
    return glue.join(parts)


def fuzz_queries(n: int, seed: int = 1, corpus_dir: str = CORPUS, index_dir: str | None = None) -> dict:
    """Run N generated queries through search (with and without correction),
    quote and batch planning; count exceptions that are not ContestKBError."""
    from contest_kb import ContestKBError, open_index
    from contest_kb.quote import QuoteFinder
    from contest_kb.search import Searcher

    rng = random.Random(seed)
    words = _words(corpus_dir)
    own = index_dir is None
    index_dir = index_dir or tempfile.mkdtemp(prefix="contest-kb-fuzz-")
    counts = {"queries": 0, "errors_reported": 0, "uncaught": 0, "failures": []}
    try:
        kb = open_index(corpus_dir, index_dir)
        finder = QuoteFinder(kb)
        with Searcher(kb) as searcher:
            for _ in range(n):
                query = random_query(rng, words)
                counts["queries"] += 1
                for action in ("search", "exact", "quote"):
                    try:
                        if action == "search":
                            searcher.search(query, limit=5)
                        elif action == "exact":
                            searcher.search(query, limit=3, correct=False, explain=rng.random() < 0.1)
                        else:
                            finder.find(query, ignore_case=rng.random() < 0.5)
                    except ContestKBError:
                        counts["errors_reported"] += 1
                    except Exception as exc:  # the bug this harness looks for
                        counts["uncaught"] += 1
                        if len(counts["failures"]) < 10:
                            counts["failures"].append({"action": action, "query": query, "error": repr(exc),
                                                       "where": traceback.format_exc().strip().splitlines()[-3:]})
        kb.close()
    finally:
        if own:
            shutil.rmtree(index_dir, ignore_errors=True)
    return counts


# -- mutated corpora ------------------------------------------------------------------------
def _mutate(rng: random.Random, root: str) -> str:
    """Damage one file of the corpus at ROOT in one of many ways; say how."""
    pages = [n for n in os.listdir(root) if n.endswith(".txt")]
    if not pages:
        return "nothing left to damage"
    kind = rng.choice(["bytes", "truncate", "controls", "long-line", "manifest-type", "manifest-path",
                       "manifest-drop", "manifest-json", "toml", "empty-page", "delete-page", "markup", "headings"])
    page = os.path.join(root, rng.choice(pages))
    with open(page, "rb") as handle:
        data = handle.read()
    manifest_path = os.path.join(root, "sources.json")
    if not data and kind in ("bytes", "truncate", "controls"):
        kind = "long-line"
    if kind == "bytes":
        raw = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        data = bytes(raw)
    elif kind == "truncate":
        data = data[: rng.randrange(len(data))]
    elif kind == "controls":
        text = data.decode("utf-8", errors="replace")
        for _ in range(rng.randint(1, 30)):
            k = rng.randrange(len(text))
            text = text[:k] + rng.choice(["\x1b[31m", "\x00", "\x07", "\x9b", "\r", "\x0c", "\u2028", "\x1b]8;;x\x1b\\"]) + text[k:]
        data = text.encode("utf-8")
    elif kind == "long-line":
        filler = rng.choice(["word ", " ", "#", "-", "a", "7,000 ", "“", "… ", "- ", "1. "])
        data = (rng.choice(["# H", "", "- ", "Heading"]) + filler * rng.randint(10_000, 400_000)).encode("utf-8") + data
    elif kind in ("manifest-type", "manifest-path", "manifest-drop", "manifest-json"):
        try:
            with open(manifest_path, encoding="utf-8") as handle:
                manifest = json.load(handle)
            entry = rng.choice(manifest["sources"])
        except (ValueError, KeyError, TypeError, IndexError):
            return "manifest already broken"
        field = rng.choice(["id", "file", "title", "publisher", "url", "published", "updated", "licence", "url_status"])
        if kind == "manifest-type":
            entry[field] = rng.choice([7, True, None, [], {}, "", "a/b", "javascript:x", "\x1b[2J", 1.5, "ok"])
        elif kind == "manifest-path":
            entry["file"] = rng.choice(["../../../../etc/passwd", "/etc/passwd", "..", ".", "", "nope.txt", "sub/../x.txt"])
        elif kind == "manifest-drop":
            entry.pop(field, None)
        text = json.dumps(manifest)
        if kind == "manifest-json":
            k = rng.randrange(len(text))
            text = text[:k] + rng.choice(["", "{", "]", ",", '"', "\\"]) + text[k + 1 :]
        with open(manifest_path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return kind
    elif kind == "toml":
        name = rng.choice(["strands.toml", "glossary.toml", "boilerplate.toml"])
        path = os.path.join(root, name)
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        choice = rng.random()
        if choice < 0.3:
            k = rng.randrange(len(text))
            text = text[:k] + rng.choice(["[", "]", "=", '"', "\n[[x]]\n", "\\"]) + text[k:]
        elif choice < 0.6:
            text += rng.choice(['\n[[chrome]]\npattern = "(a+)+$"\n', '\n[[chrome]]\npattern = "["\n', '\n[[equivalent]]\nterms = [1, 2]\n',
                                '\n[[equivalent]]\nterms = ["x"]\n', "\n[pursue]\ncues = 5\n", '\n[[chrome]]\npattern = ".*"\n'])
        else:
            text = ""
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return f"toml:{name}"
    elif kind == "empty-page":
        data = b""
    elif kind == "delete-page":
        os.unlink(page)
        return kind
    elif kind == "markup":
        data += rng.choice([b"\n\n<script>x</script>\n", b"\n\n[/bold] [red]x[/red]\n", b"\n\n=1+1\n", b"\n\n]]>\n"])
    elif kind == "headings":
        data = b"\n".join(rng.choice([b"# ", b"## ", b"", b"Heading ", b"- ", b"1. "]) + line for line in data.splitlines())
    with open(page, "wb") as handle:
        handle.write(data)
    return kind


class _Hang(Exception):
    pass


def _alarm(*_):
    raise _Hang()


def fuzz_corpora(n: int, seed: int = 1, timeout: int = 30, search_every: int = 1) -> dict:
    """Load, index and search N mutated copies of the bundled corpus in this
    process; count tracebacks (exceptions not ContestKBError) and hangs."""
    from contest_kb import ContestKBError, open_index
    from contest_kb.search import Searcher

    rng = random.Random(seed)
    counts = {"corpora": 0, "errors_reported": 0, "tracebacks": 0, "hangs": 0, "failures": []}
    work = tempfile.mkdtemp(prefix="contest-kb-corpora-")
    old = signal.signal(signal.SIGALRM, _alarm)
    try:
        for k in range(n):
            root = os.path.join(work, f"c{k}")
            shutil.copytree(CORPUS, root)
            kinds = [_mutate(rng, root) for _ in range(rng.randint(1, 3))]
            counts["corpora"] += 1
            signal.alarm(timeout)
            try:
                kb = open_index(root, os.path.join(work, f"i{k}"))
                if k % search_every == 0:
                    with Searcher(kb) as searcher:
                        searcher.search("Prevent referrals", limit=3)
                        searcher.search("police")
                kb.close()
            except ContestKBError:
                counts["errors_reported"] += 1
            except _Hang:
                counts["hangs"] += 1
                counts["failures"].append({"corpus": k, "mutations": kinds, "error": f"hung past {timeout} s"})
            except Exception as exc:
                counts["tracebacks"] += 1
                if len(counts["failures"]) < 10:
                    counts["failures"].append({"corpus": k, "mutations": kinds, "error": repr(exc),
                                               "where": traceback.format_exc().strip().splitlines()[-3:]})
            finally:
                signal.alarm(0)
            shutil.rmtree(root, ignore_errors=True)
            shutil.rmtree(os.path.join(work, f"i{k}"), ignore_errors=True)
    finally:
        signal.signal(signal.SIGALRM, old)
        shutil.rmtree(work, ignore_errors=True)
    return counts


# -- long queries -----------------------------------------------------------------------------
# One part, repeated to a query's whole length: the frames a question is put
# in (each read one at a time), marks, words, figures and names.
LONG_QUERY_PARTS = [", thanks", "hi, ", "please ", "Re: ", "Help! ", "I'm confused. ", "As a parent, ", "(for my essay) ",
                    "according to the government ", "in the UK ", "in CONTEST ", "? ", "- ", "#", "\"", "what is the MAC ",
                    "DDP ", "7,000 ", "two thirds ", "Prevent vs Channel ", "e.g. ", "w/ ", "x", "and ", "Pursue or Prevent / ",
                    "what does the government say about ", "Hey Sam, ", "or something ", "In the context of UK counter-terrorism, ",
                    "info on ", "London Councils: ", "refferals ", "deilvers ", "Asking for a friend. ", "Explain the following: ",
                    "what is the DDP? ",
                    # One opening mark before a long run: a quotation or a bracket never closed.
                    ('"', "what is the MAC "), ("[", "DDP "), ("(", "DDP "), ("<p>", "DDP ")]


def long_queries(size: int = 200_000, timeout: int = 30, corpus_dir: str = CORPUS, index_dir: str | None = None) -> dict:
    """Search, with and without correction, and look up as a quotation a
    query of SIZE characters and one of a tenth of it for each part in
    LONG_QUERY_PARTS, repeated; count
    hangs (past TIMEOUT seconds) and exceptions that are not ContestKBError,
    and report the slowest part and how much longer the long query took
    than the short one (about 10 when the time is linear in the length)."""
    from contest_kb import ContestKBError, open_index
    from contest_kb.quote import QuoteFinder
    from contest_kb.search import Searcher

    own = index_dir is None
    index_dir = index_dir or tempfile.mkdtemp(prefix="contest-kb-long-")
    counts: dict = {"queries": 0, "size": size, "hangs": 0, "uncaught": 0, "slowest": None, "largest_ratio": 0.0, "failures": []}
    old = signal.signal(signal.SIGALRM, _alarm)
    try:
        kb = open_index(corpus_dir, index_dir)
        finder = QuoteFinder(kb)
        with Searcher(kb) as searcher:
            searcher.search("Prevent referrals")  # warm
            for entry in LONG_QUERY_PARTS:
                head, part = entry if isinstance(entry, tuple) else ("", entry)
                took = []
                for length in (size // 10, size):
                    query = head + (part * (length // len(part) + 1))[: length - len(head)]
                    counts["queries"] += 1
                    started = time.perf_counter()
                    signal.alarm(timeout)
                    try:
                        for correct in (True, False):
                            try:
                                searcher.search(query, limit=3, correct=correct)
                            except ContestKBError:
                                pass
                        finder.find(query)
                    except ContestKBError:
                        pass
                    except _Hang:
                        counts["hangs"] += 1
                        counts["failures"].append({"part": head + part, "length": length, "error": f"hung past {timeout} s"})
                    except Exception as exc:  # the bug this harness looks for
                        counts["uncaught"] += 1
                        counts["failures"].append({"part": head + part, "length": length, "error": repr(exc)})
                    finally:
                        signal.alarm(0)
                    took.append(time.perf_counter() - started)
                if counts["slowest"] is None or took[1] > counts["slowest"]["seconds"]:
                    counts["slowest"] = {"part": head + part, "seconds": round(took[1], 2)}
                counts["largest_ratio"] = max(counts["largest_ratio"], round(took[1] / max(took[0], 0.01), 1))
        kb.close()
    finally:
        signal.signal(signal.SIGALRM, old)
        if own:
            shutil.rmtree(index_dir, ignore_errors=True)
    return counts


# -- processes --------------------------------------------------------------------------------
def _folder_size(path: str) -> int:
    total = 0
    for top, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(top, name))
            except OSError:
                pass
    return total


def kill_builds(n: int, seed: int = 1, corpus_dir: str = CORPUS) -> dict:
    """Start N full rebuilds in child processes and SIGKILL each at a random
    moment; then the index must open and answer, and the folder must stay
    within twice one generation."""
    from contest_kb import open_index
    from contest_kb.index import current_generation
    from contest_kb.search import Searcher

    rng = random.Random(seed)
    work = tempfile.mkdtemp(prefix="contest-kb-kill-")
    index_dir = os.path.join(work, "index")
    open_index(corpus_dir, index_dir).close()
    build = f"from contest_kb.index import open_index; open_index({corpus_dir!r}, {index_dir!r}, rebuild=True).close()"
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", build], check=True)  # how long one build takes here
    one_build = time.monotonic() - started
    counts = {"kills": 0, "survived": 0, "largest_ratio": 0.0, "failures": []}
    try:
        for _ in range(n):
            child = subprocess.Popen([sys.executable, "-c", build], stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(one_build * 0.2, one_build * 1.1))  # mostly while it writes
            child.send_signal(signal.SIGKILL)
            child.wait()
            counts["kills"] += 1
            try:
                kb = open_index(corpus_dir, index_dir)
                with Searcher(kb) as searcher:
                    ok = searcher.search("Channel").total > 0
                generation = _folder_size(kb.path)
                kb.close()
                ratio = _folder_size(index_dir) / max(generation, 1)
                counts["largest_ratio"] = max(counts["largest_ratio"], round(ratio, 2))
                if ok and ratio <= 2.0:
                    counts["survived"] += 1
                else:
                    counts["failures"].append({"kill": counts["kills"], "answered": ok, "folder_ratio": round(ratio, 2),
                                               "listing": sorted(os.listdir(index_dir)), "current": current_generation(index_dir)})
            except Exception as exc:
                counts["failures"].append({"kill": counts["kills"], "error": repr(exc)})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return counts


READER = """
import sys, time
from contest_kb import open_index
from contest_kb.search import Searcher
corpus, index_dir, until = sys.argv[1], sys.argv[2], float(sys.argv[3])
tries = failed = 0
first = ""
while time.time() < until:
    tries += 1
    try:
        kb = open_index(corpus, index_dir)
        with Searcher(kb) as s:
            assert s.search("Channel").total > 0
        kb.close()
    except Exception as exc:
        failed += 1
        first = first or repr(exc)
print(tries, failed, first)
"""


def readers_during_rebuilds(seconds: float, readers: int = 2, corpus_dir: str = CORPUS) -> dict:
    """Rebuild the index over and over for SECONDS while READERS processes
    open it and search; count the searches that failed."""
    from contest_kb import open_index

    work = tempfile.mkdtemp(prefix="contest-kb-readers-")
    index_dir = os.path.join(work, "index")
    open_index(corpus_dir, index_dir).close()
    until = time.time() + seconds
    builder = ("import time, sys\nfrom contest_kb.index import open_index\nn = 0\n"
               f"while time.time() < {until}:\n    open_index({corpus_dir!r}, {index_dir!r}, rebuild=True).close(); n += 1\n"
               "print(n)")
    try:
        build = subprocess.Popen([sys.executable, "-c", builder], stdout=subprocess.PIPE, text=True)
        procs = [subprocess.Popen([sys.executable, "-c", READER, corpus_dir, index_dir, str(until)], stdout=subprocess.PIPE, text=True)
                 for _ in range(readers)]
        counts = {"rebuilds": 0, "searches": 0, "failed": 0, "first_failure": ""}
        for proc in procs:
            out, _ = proc.communicate(timeout=seconds + 120)
            tries, failed, *first = out.split(maxsplit=2)
            counts["searches"] += int(tries)
            counts["failed"] += int(failed)
            counts["first_failure"] = counts["first_failure"] or (first[0] if first else "")
        out, _ = build.communicate(timeout=seconds + 120)
        counts["rebuilds"] = int(out.strip() or 0)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=int, default=100_000)
    parser.add_argument("--corpora", type=int, default=1_000)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to rebuild under readers")
    parser.add_argument("--long-size", type=int, default=200_000, help="characters in each long query")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    report = {}
    for name, run in (
        ("queries", lambda: fuzz_queries(args.queries, args.seed)),
        ("long", lambda: long_queries(args.long_size)),
        ("corpora", lambda: fuzz_corpora(args.corpora, args.seed)),
        ("kills", lambda: kill_builds(args.kills, args.seed)),
        ("readers", lambda: readers_during_rebuilds(args.seconds)),
    ):
        started = time.monotonic()
        report[name] = run()
        report[name]["seconds"] = round(time.monotonic() - started, 1)
        print(json.dumps({name: report[name]}, ensure_ascii=True), flush=True)
    q, c, k, r, g = report["queries"], report["corpora"], report["kills"], report["readers"], report["long"]
    print()
    print("| check | tried | failed | target |")
    print("| --- | ---: | ---: | --- |")
    print(f"| generated queries (search, exact search, quote) | {q['queries']:,} | {q['uncaught']} uncaught exceptions | 0 |")
    print(f"| queries of {g['size']:,} and {g['size'] // 10:,} characters, one part repeated (search, exact search, quote) | {g['queries']} | {g['uncaught']} uncaught, "
          f"{g['hangs']} hangs (slowest {g['slowest']['seconds']} s, {g['slowest']['part']!r}; longest/shortest at most {g['largest_ratio']}×) | 0, 0 |")
    print(f"| mutated corpora (load, index, search) | {c['corpora']:,} | {c['tracebacks']} tracebacks, {c['hangs']} hangs | 0, 0 |")
    print(f"| builds killed with SIGKILL | {k['kills']} | {k['kills'] - k['survived']} left no working index or a folder over 2× (largest {k['largest_ratio']}×) | 0 |")
    print(f"| searches during {r['rebuilds']} rebuilds | {r['searches']:,} | {r['failed']} | 0 |")


if __name__ == "__main__":
    main()
