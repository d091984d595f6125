"""The robustness harness of benchmarks/robustness.py at a size fit for CI:
no generated query or mutated corpus ends in a traceback or a hang, a build
killed at any moment leaves a working index and no litter, and searches never
fail while the index is rebuilt. The script runs the same checks at full size."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import robustness


def test_generated_queries_raise_nothing_but_contest_kb_errors(index_dir, kb):
    counts = robustness.fuzz_queries(2000, seed=7, index_dir=str(index_dir))
    assert counts["uncaught"] == 0, counts["failures"]
    assert counts["errors_reported"] > 0  # the generator does reach the error paths


def test_long_queries_do_not_hang(index_dir, kb):
    """Each part of robustness.LONG_QUERY_PARTS repeated to 30,000 characters
    (frames read one at a time, marks that patterns once backtracked over)
    is searched well within the limit; read in time quadratic in its length,
    ", thanks" repeated took 20 s at this size, "? " 14 s."""
    counts = robustness.long_queries(30_000, timeout=10, index_dir=str(index_dir))
    assert counts["hangs"] == 0 and counts["uncaught"] == 0, counts["failures"]


def test_mutated_corpora_give_clear_errors_or_work(tmp_path):
    counts = robustness.fuzz_corpora(150, seed=7, timeout=60, search_every=3)
    assert counts["tracebacks"] == 0 and counts["hangs"] == 0, counts["failures"]
    assert 0 < counts["errors_reported"] < counts["corpora"]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and flock")
def test_killed_builds_leave_a_working_bounded_index():
    counts = robustness.kill_builds(4, seed=7)
    assert counts["survived"] == counts["kills"] == 4, counts["failures"]


@pytest.mark.skipif(sys.platform == "win32", reason="flock")
def test_searches_never_fail_while_the_index_is_rebuilt():
    counts = robustness.readers_during_rebuilds(4.0, readers=2)
    assert counts["rebuilds"] >= 1 and counts["searches"] >= 10  # a loaded CI machine is slow; the point is failures
    assert counts["failed"] == 0, counts["first_failure"]
