"""Lookup suites that cannot pass by coincidence, and run the query as written."""

from __future__ import annotations

import json

import pytest

from contest_kb.checks import Case, lookup_outcome


def lookup(query: str, expect: str, within: int = 3) -> Case:
    return Case("lookup", query, 1, query, expect, within)


@pytest.mark.parametrize(
    "query, expect",
    [
        ("Prevent referrals per year", "around 7,000 people are referred"),
        ("Prevent referrals per year", "7,000"),
        ("how many people has Channel supported", "5,000"),
        ("prisoners convicted for terrorism offences", "254"),
        ("late-stage plots disrupted since 2017", "43 late-stage plots"),
    ],
)
def test_a_figure_on_the_pages_passes(searcher, query, expect):
    outcome = lookup_outcome(searcher, lookup(query, expect))
    assert outcome.passed, outcome.message


@pytest.mark.parametrize(
    "query, expect",
    [
        ("Prevent referrals in 2022", "2022"),  # "since February 2022" is about the threat level
        ("Prevent referrals in 2023", "7,000"),  # the passage gives no figure for 2023
        ("Channel referrals in 2015", "2015"),
        ("MI5 budget", "MI5"),
    ],
)
def test_a_figure_not_on_the_pages_fails_even_when_the_text_occurs(searcher, query, expect):
    outcome = lookup_outcome(searcher, lookup(query, expect, within=10))
    assert not outcome.passed


def test_lookup_runs_the_query_as_written_and_reports_the_suggestion(searcher):
    outcome = lookup_outcome(searcher, lookup("refferals", "7,000"))
    assert outcome.suggestion == "referrals"
    assert "did you mean 'referrals'" in outcome.message
    assert not outcome.passed  # the misspelt query is not silently corrected


def test_check_json_carries_the_suggestion(run, tmp_path):
    suite = tmp_path / "suite.toml"
    suite.write_text('[[lookup]]\nquery = "refferals"\nexpect = "7,000"\n', encoding="utf-8")
    result = run("check", str(suite), "--format", "json")
    assert result.exit_code == 1
    case = json.loads(result.stdout)["cases"][0]
    assert case["suggestion"] == "referrals" and not case["passed"]
