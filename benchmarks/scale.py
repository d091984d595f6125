"""Scale benchmark: contest-kb against raw Whoosh (same schema, same analyzers,
same queries, top 10) on generated corpora 10x, 100x and (opt-in) 1000x the
bundled one, in one run.

The corpora are generated, not copied: pages shaped like the bundled ones
(headings, paragraphs of the same lengths) whose words mix the bundled
corpus's own word frequencies with a synthetic vocabulary that grows as real
text does (Heaps' law, vocabulary ~ tokens^0.6; about 90,000 distinct words
at 1000x), so the term dictionary, postings and spelling look-ups grow as
they would on real documents.

    .venv/bin/python benchmarks/scale.py                 # 1x, 10x, 100x
    CONTEST_KB_SCALE_1000=1 .venv/bin/python benchmarks/scale.py   # and 1000x (slow: minutes)
    .venv/bin/python benchmarks/scale.py --sizes 1 10 --queries 100

For each size it prints build seconds, cold search (a fresh process) over the
import floor, warm query p50/p95 in milliseconds and peak RSS after the first
query, for both systems, and the ratios; then the growth exponents of the
warm p50 between sizes. Raw Whoosh parses each question with its own
MultifieldParser over the same three text fields (words ORed), searches the
top 10 and reads their stored fields: what any Whoosh tool pays. Run it with the virtual environment's own python.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(REPO, "corpus")
DATA_FILES = ("strands.toml", "glossary.toml", "boilerplate.toml")
HEAPS_K, HEAPS_BETA = 9.0, 0.6
SYLLABLES = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"] + ["tion", "ment", "ing", "er", "al", "ist"]


def synthetic_word(rank: int) -> str:
    """A distinct pronounceable word for each RANK."""
    out = []
    rank += len(SYLLABLES)
    while rank:
        rank, k = divmod(rank, len(SYLLABLES))
        out.append(SYLLABLES[k])
    return "".join(out)


def generate(root: str, factor: int, seed: int = 1) -> int:
    """Write a corpus FACTOR times the bundled one into ROOT; return its paragraphs."""
    sys.path.insert(0, os.path.join(REPO, "src"))
    from contest_kb.corpus import load_corpus

    rng = random.Random(seed)
    base = load_corpus(CORPUS)
    words = [w for s in base.sections for p in s.paragraphs for w in p.text.split()]
    os.makedirs(root, exist_ok=True)
    for name in DATA_FILES:
        shutil.copy(os.path.join(CORPUS, name), root)
    pages = {}
    for section in base.sections:
        pages.setdefault(section.source, []).append(section)
    tokens = 0
    entries = []
    paragraphs = 0
    for copy in range(factor):
        for sid, sections in pages.items():
            lines = [f"{base.sources[sid].title} {copy}", ""]
            for section in sections:
                heading = " ".join(section.heading_path[-1].split()[:6])
                lines += [f"{heading} {synthetic_word(rng.randrange(2000))}".rstrip(" .:;,"), ""]
                for para in section.paragraphs:
                    n = max(6, len(para.text.split()))
                    vocabulary = max(50, int(HEAPS_K * (tokens + 1) ** HEAPS_BETA))
                    out = []
                    for _ in range(n):
                        if rng.random() < 0.7:
                            out.append(rng.choice(words))
                        else:  # Zipf-like over a vocabulary that grows with the text
                            out.append(synthetic_word(int(vocabulary ** rng.random()) - 1))
                    tokens += n
                    text = " ".join(out).rstrip(".,;:") + "."
                    lines += [text[0].upper() + text[1:], ""]
                    paragraphs += 1
            name = f"gen-{copy:04d}-{sid}"
            with open(os.path.join(root, name + ".txt"), "w", encoding="utf-8") as handle:
                handle.write("\n".join(lines))
            source = base.sources[sid]
            entries.append({"id": name, "file": name + ".txt", "title": f"{source.title} {copy}",
                            "publisher": source.publisher, "url": source.url, "published": source.published,
                            "licence": source.licence})
    with open(os.path.join(root, "sources.json"), "w", encoding="utf-8") as handle:
        json.dump({"sources": entries}, handle)
    return paragraphs


RAW_BUILD = """
import json, sys
from whoosh import index
from contest_kb.index import make_schema
ix = index.create_in(sys.argv[2], make_schema())
with ix.writer() as w, open(sys.argv[1], encoding="utf-8") as docs:
    for line in docs:
        d = json.loads(line)
        w.add_document(**d)
"""

RAW_QUERY = """
import json, sys, resource, time
from whoosh import index, scoring
from whoosh.qparser import MultifieldParser, OrGroup
ix = index.open_dir(sys.argv[1])
queries = json.load(open(sys.argv[2], encoding="utf-8"))
parser = MultifieldParser(["heading", "body", "plain"], ix.schema, group=OrGroup)
times = []
with ix.searcher(weighting=scoring.BM25F(B=0.75, K1=1.2)) as s:
    for k, q in enumerate(queries):
        t = time.perf_counter()
        hits = [dict(h) for h in s.search(parser.parse(q), limit=10)]
        times.append(time.perf_counter() - t)
        if k == 0:
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"times": times, "rss_kib": rss}))
"""

KB_QUERY = """
import json, sys, resource, time
from contest_kb import open_index
from contest_kb.errors import ContestKBError
from contest_kb.search import Searcher
kb = open_index(sys.argv[1], sys.argv[2])
queries = json.load(open(sys.argv[3], encoding="utf-8"))
times = []
with Searcher(kb) as s:
    for k, q in enumerate(queries):
        t = time.perf_counter()
        try:
            s.search(q, limit=10).to_dict()
        except ContestKBError:
            pass
        times.append(time.perf_counter() - t)
        if k == 0:
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"times": times, "rss_kib": rss}))
"""

RAW_ONE_SHOT = """
import json, sys
from whoosh import index, scoring
from whoosh.qparser import MultifieldParser, OrGroup
ix = index.open_dir(sys.argv[1])
with ix.searcher(weighting=scoring.BM25F(B=0.75, K1=1.2)) as s:
    q = MultifieldParser(["heading", "body", "plain"], ix.schema, group=OrGroup).parse(sys.argv[2])
    print(json.dumps([dict(h) for h in s.search(q, limit=10)]))
"""

FLOOR = "import click, whoosh.index, whoosh.qparser"


def _run(args: list[str], env: dict | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(args, capture_output=True, text=True, env=env, check=True)
    return time.perf_counter() - start, out.stdout


def _dump_docs(corpus_dir: str, path: str) -> None:
    """The paragraphs as raw Whoosh documents, with the fields contest-kb indexes."""
    from contest_kb.corpus import load_corpus

    corpus = load_corpus(corpus_dir)
    with open(path, "w", encoding="utf-8") as out:
        for section in corpus.sections:
            heading = " ".join(section.heading_path)
            for para in section.paragraphs:
                out.write(json.dumps({"id": f"{section.id}#{para.n}", "section": section.id, "source": section.source,
                                      "heading": heading, "body": para.text, "plain": para.text}) + "\n")


def queries(n: int, seed: int = 1) -> list[str]:
    """The relevance set's questions and word pairs drawn from them, N in all."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    with open(os.path.join(REPO, "benchmarks", "relevance.toml"), "rb") as handle:
        asked = [q["query"] for q in tomllib.load(handle)["question"]]
    rng = random.Random(seed)
    words = [w for q in asked for w in q.split() if len(w) > 3]
    out = list(asked)
    while len(out) < n:
        out.append(f"{rng.choice(words)} {rng.choice(words)}")
    return out[:n]


def _pct(times: list[float], p: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000


def measure(factor: int, work: str, n_queries: int, rounds: int) -> dict:
    py = sys.executable
    script = shutil.which("contest-kb", path=os.path.dirname(py)) or "contest-kb"
    root = os.path.join(work, f"corpus-{factor}")
    paragraphs = generate(root, factor)
    index_dir = os.path.join(work, f"index-{factor}")
    raw_dir = os.path.join(work, f"raw-{factor}")
    os.makedirs(raw_dir)
    docs = os.path.join(work, f"docs-{factor}.jsonl")
    _dump_docs(root, docs)
    qfile = os.path.join(work, "queries.json")
    with open(qfile, "w", encoding="utf-8") as handle:
        json.dump(queries(n_queries), handle)
    build_kb, _ = _run([py, "-c", f"from contest_kb import open_index; open_index({root!r}, {index_dir!r}, rebuild=True)"])
    build_raw, _ = _run([py, "-c", RAW_BUILD, docs, raw_dir])
    query = "how many people are referred to Prevent each year"
    env = dict(os.environ, NO_COLOR="1")
    cold = {"floor": [], "kb": [], "raw": []}
    for _ in range(rounds):  # interleaved, so machine load falls on all alike
        cold["floor"].append(_run([py, "-c", FLOOR])[0])
        cold["kb"].append(_run([script, "--corpus", root, "--index-dir", index_dir, "search", query, "--format", "json"], env)[0])
        cold["raw"].append(_run([py, "-c", RAW_ONE_SHOT, raw_dir, query])[0])
    kb = json.loads(_run([py, "-c", KB_QUERY, root, index_dir, qfile])[1])
    raw = json.loads(_run([py, "-c", RAW_QUERY, raw_dir, qfile])[1])
    floor = statistics.median(cold["floor"])
    return {
        "factor": factor,
        "paragraphs": paragraphs,
        "build_kb_s": round(build_kb, 2),
        "build_raw_s": round(build_raw, 2),
        "cold_kb_over_floor": round(statistics.median(cold["kb"]) / floor, 2),
        "cold_raw_over_floor": round(statistics.median(cold["raw"]) / floor, 2),
        "cold_kb_s": round(statistics.median(cold["kb"]), 3),
        "warm_kb_p50_ms": round(_pct(kb["times"][1:], 0.5), 2),
        "warm_kb_p95_ms": round(_pct(kb["times"][1:], 0.95), 2),
        "warm_raw_p50_ms": round(_pct(raw["times"][1:], 0.5), 2),
        "warm_raw_p95_ms": round(_pct(raw["times"][1:], 0.95), 2),
        "rss_kb_mib": round(kb["rss_kib"] / 1024, 1),
        "rss_raw_mib": round(raw["rss_kib"] / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    default = [1, 10, 100] + ([1000] if os.environ.get("CONTEST_KB_SCALE_1000") else [])
    parser.add_argument("--sizes", type=int, nargs="+", default=default)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=7, help="cold-start rounds")
    args = parser.parse_args()
    # An installed package has its modules compiled to bytecode; so must this one be.
    import compileall

    import contest_kb

    compileall.compile_dir(os.path.dirname(contest_kb.__file__), quiet=1)
    work = tempfile.mkdtemp(prefix="contest-kb-scale-")
    rows = []
    try:
        for factor in args.sizes:
            row = measure(factor, work, args.queries, args.rounds)
            rows.append(row)
            print(json.dumps(row), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print("| | " + " | ".join(f"{r['factor']}× ({r['paragraphs']:,} ¶)" for r in rows) + " |")
    print("|---|" + "---:|" * len(rows))
    lines = [
        ("build s, contest-kb / raw Whoosh", lambda r: f"{r['build_kb_s']} / {r['build_raw_s']} ({r['build_kb_s'] / max(r['build_raw_s'], 1e-9):.2f}×)"),
        ("cold search ÷ import floor, contest-kb / raw", lambda r: f"{r['cold_kb_over_floor']} / {r['cold_raw_over_floor']}"),
        ("warm p50 ms, contest-kb / raw", lambda r: f"{r['warm_kb_p50_ms']} / {r['warm_raw_p50_ms']} ({r['warm_kb_p50_ms'] / max(r['warm_raw_p50_ms'], 1e-9):.2f}×)"),
        ("warm p95 ms, contest-kb / raw", lambda r: f"{r['warm_kb_p95_ms']} / {r['warm_raw_p95_ms']} ({r['warm_kb_p95_ms'] / max(r['warm_raw_p95_ms'], 1e-9):.2f}×)"),
        ("RSS after first query MiB, contest-kb / raw", lambda r: f"{r['rss_kb_mib']} / {r['rss_raw_mib']}"),
    ]
    for label, cell in lines:
        print(f"| {label} | " + " | ".join(cell(r) for r in rows) + " |")
    for a, b in zip(rows, rows[1:]):
        growth = math.log(b["paragraphs"] / a["paragraphs"])
        kb = math.log(b["warm_kb_p50_ms"] / a["warm_kb_p50_ms"]) / growth
        raw = math.log(b["warm_raw_p50_ms"] / a["warm_raw_p50_ms"]) / growth
        print(f"warm p50 growth exponent {a['factor']}×→{b['factor']}×: contest-kb {kb:.2f}, raw Whoosh {raw:.2f}")


if __name__ == "__main__":
    main()
