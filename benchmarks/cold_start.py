"""Cold-start benchmark: `contest-kb search --format json` against the bare
cost of importing what any Click + Whoosh tool needs.

Each round runs every command once, in turn, so that load on a shared machine
falls on all of them alike; the figures are medians over the rounds and the
ratio is taken within this one run. Run it with the virtual environment's own
python (not a pyenv shim):

    .venv/bin/python benchmarks/cold_start.py [--rounds 30]

The index is built (and the command run once) before timing, and the
package is compiled to bytecode as pip does on install, so the figures are
for the usual case: an installed tool and an index that is up to date.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

QUERY = "how many people are referred to Prevent each year"


FLOOR = """
import sys, json, click, whoosh.index, whoosh.qparser
from whoosh import scoring
ix = whoosh.index.open_dir(sys.argv[1])
with ix.searcher(weighting=scoring.BM25F()) as s:
    q = whoosh.qparser.QueryParser("t", ix.schema).parse("referred")
    print(json.dumps([h["t"] for h in s.search(q)]))
"""


def _floor_index() -> str:
    """A one-document Whoosh index with a stock schema, for the reference row."""
    import tempfile

    from whoosh import index
    from whoosh.fields import TEXT, Schema

    path = tempfile.mkdtemp(prefix="contest-kb-floor-")
    ix = index.create_in(path, Schema(t=TEXT(stored=True)))
    with ix.writer() as w:
        w.add_document(t="Every year, around 7,000 people are referred for initial assessment.")
    return path


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    python = sys.executable
    script = shutil.which("contest-kb", path=os.path.dirname(python)) or shutil.which("contest-kb")
    if not script:
        print("contest-kb is not installed in this environment; pip install -e . first", file=sys.stderr)
        return 2
    env = dict(os.environ, NO_COLOR="1")
    # pip compiles a wheel's modules to bytecode at install time; an editable
    # install (or PYTHONDONTWRITEBYTECODE) would make us pay for compiling
    # the source on every run, which no installed user pays.
    import compileall

    import contest_kb

    compileall.compile_dir(os.path.dirname(contest_kb.__file__), quiet=1)
    floor_dir = _floor_index()
    commands = {
        "python -c pass": [python, "-c", "pass"],
        "bare imports (click, whoosh.index, whoosh.qparser)": [python, "-c", "import click, whoosh.index, whoosh.qparser"],
        f"contest-kb search {QUERY!r} --format json": [script, "search", QUERY, "--format", "json"],
        "reference: bare imports + open a one-field Whoosh index + one query": [python, "-c", FLOOR, floor_dir],
    }
    subprocess.run(commands[list(commands)[-1]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.rounds):
        for name, cmd in commands.items():
            times[name].append(_time(cmd, env))
    medians = {name: statistics.median(values) for name, values in times.items()}
    names = list(commands)
    bare, ours, floor = medians[names[1]], medians[names[2]], medians[names[3]]
    print(f"{'command':<80} {'median ms':>10}")
    for name in names:
        print(f"{name:<80} {medians[name] * 1000:>10.1f}")
    print(f"ratio search / bare imports: {ours / bare:.2f} (target <= 1.25; {args.rounds} rounds, Python {sys.version.split()[0]})")
    print(f"ratio reference (any Whoosh search) / bare imports: {floor / bare:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
