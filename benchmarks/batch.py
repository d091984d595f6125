"""Batch benchmark: `contest-kb search --queries-from FILE --format jsonl` with
1,000 queries, against the same command with one query, in one run.

The cost per query on top of process start is
(time for 1,000 queries - time for 1 query) / 999. The queries are the
relevance set's questions, repeated to 1,000. Run with the virtual
environment's own python:

    .venv/bin/python benchmarks/batch.py [--rounds 5] [--queries 1000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()
    script = shutil.which("contest-kb", path=os.path.dirname(sys.executable)) or shutil.which("contest-kb")
    if not script:
        print("contest-kb is not installed in this environment; pip install -e . first", file=sys.stderr)
        return 2
    from contest_kb.relevance import default_questions_path, load_questions

    questions = [q.query for q in load_questions(default_questions_path())]
    batch = [questions[k % len(questions)] for k in range(args.queries)]
    folder = tempfile.mkdtemp(prefix="contest-kb-batch-")
    many, one = os.path.join(folder, "many.txt"), os.path.join(folder, "one.txt")
    with open(many, "w", encoding="utf-8") as handle:
        handle.write("\n".join(batch) + "\n")
    with open(one, "w", encoding="utf-8") as handle:
        handle.write(batch[0] + "\n")
    env = dict(os.environ, NO_COLOR="1")

    def timed(path: str) -> float:
        start = time.perf_counter()
        subprocess.run([script, "search", "--queries-from", path, "--format", "jsonl"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=env, check=False)
        return time.perf_counter() - start

    timed(one)  # build the index if needed
    ones, manys = [], []
    for _ in range(args.rounds):
        ones.append(timed(one))
        manys.append(timed(many))
    t1, tn = statistics.median(ones), statistics.median(manys)
    per_query = (tn - t1) / (args.queries - 1)
    print(f"1 query:       {t1 * 1000:8.1f} ms (median of {args.rounds})")
    print(f"{args.queries} queries: {tn * 1000:8.1f} ms (median of {args.rounds})")
    print(f"per query on top of process start: {per_query * 1000:.2f} ms (target < 5 ms)")
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
