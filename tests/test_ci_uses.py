"""Scripted lookups and exports: quote, check, batch search, export."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET

import pytest

from contest_kb.briefing import quotations_in_markdown
from contest_kb.errors import ContestKBError
from contest_kb.export import _safe_cell, write_file
from contest_kb.quote import word_diff
from tests.conftest import REPO, one_line_error

EXAMPLE_SUITE = REPO / "examples" / "briefing-checks.toml"


# -- quote ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "Channel has supported 5,000 people to move away from terrorism",
        "Channel  has supported\n5,000 people to move away from terrorism",  # white space and line breaks
        "they may be referred to Home Office's Channel Programme",  # straight apostrophe, NBSP in source
        "Counter Terrorism Policing - just like other areas of policing - relies on the trust",  # hyphens for en dashes
        "“As Home Secretary my priority will always be to keep our country safe.",  # curly quotes
    ],
)
def test_quote_forgives_typography(run, text):
    result = run("quote", text)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("found:")


def test_quote_lists_every_place(run):
    data = run.json("quote", "Channel has supported 5,000 people", "--format", "json")
    assert data["found"] and {p["id"] for p in data["places"]} == {
        "ctp-prevent/prevent-scale-and-outcomes",
        "ctp-what-we-do/prevent-scale-and-outcomes",
    }
    assert all(p["passages"][0]["lines"][0] in (29, 67) for p in data["places"])


def test_quote_case_must_match_unless_ignored(run):
    assert run("quote", "channel has supported 5,000 people").exit_code == 1
    assert run("quote", "channel has supported 5,000 people", "--ignore-case").exit_code == 0


def test_quote_not_found_shows_closest_and_diff(run):
    result = run("quote", "around 9,000 people are referred")
    assert result.exit_code == 1
    assert "NOT FOUND" in result.stdout
    assert "[-9,000-] {+7,000+}" in result.stdout
    assert "line 23" in result.stdout or "line 61" in result.stdout
    data = run.json("quote", "around 9,000 people are referred", "--format", "json")
    assert data["found"] is False and data["closest"]["diff"] == "around [-9,000-] {+7,000+} people are referred"


def test_quote_spanning_two_paragraphs(run):
    data = run.json("quote", "terrorism and ensure that they are given appropriate advice and support Work with a wide range of sectors", "--format", "json")
    assert data["found"] and [p["n"] for p in data["places"][0]["passages"]] == [3, 4]


def test_quote_from_markdown(run, tmp_path):
    doc = tmp_path / "briefing.md"
    doc.write_text(
        "# Briefing\n\n> Every year, around 7,000 people are referred\n> for initial assessment.\n\n"
        'Police said "The public has a critical role to play in our counter-terrorism response" today.\n\n'
        'A "short quote" is ignored.\n\n> Channel has supported 9,000 people to move away from terrorism\n',
        encoding="utf-8",
    )
    result = run("quote", "--from", str(doc))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{doc}:3: found:")
    assert any(l.startswith(f"{doc}:6: found:") for l in lines)
    assert any(l.startswith(f"{doc}:10: NOT FOUND:") for l in lines)
    assert "short quote" not in result.stdout
    data = run.json("quote", "--from", str(doc), "--format", "json")
    assert [d["line"] for d in data] == [3, 6, 10] and [d["found"] for d in data] == [True, True, False]


def test_quote_errors(run, tmp_path):
    assert run("quote").exit_code == 2
    empty = tmp_path / "empty.md"
    empty.write_text("# Nothing quoted here\n", encoding="utf-8")
    result = run("quote", "--from", str(empty))
    assert result.exit_code == 2 and "empty.md" in result.stderr
    assert run("quote", "--from", str(tmp_path / "missing.md")).exit_code == 2


def test_markdown_quotation_extraction_skips_code():
    text = "```\n> not a quote\n```\n\n> a real quote\n"
    assert quotations_in_markdown(text) == [(5, "a real quote")]


def test_word_diff():
    assert word_diff("a b c d", "a x c d e") == "a [-b-] {+x+} c d {+e+}"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -- check ----------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_example_suite_passes(run, fmt):
    result = run("check", str(EXAMPLE_SUITE), "--format", fmt)
    assert result.exit_code == 0, result.stdout
    if fmt == "json":
        data = json.loads(result.stdout)
        assert data["failed"] == 0 and data["passed"] == 5
    else:
        assert result.stdout.splitlines()[-1] == "5 passed, 0 failed"


SUITE = """
[[lookup]]
name = "referrals"
query = "Prevent referrals per year"
expect = "around 7,000 people are referred"

[[lookup]]
name = "wrong figure"
query = "Prevent referrals per year"
expect = "around 9,000 people are referred"
within = 2

[[quote]]
text = "Channel has supported 9,000 people"
"""


def test_failing_suite_exits_one_and_writes_junit(run, tmp_path):
    suite = tmp_path / "suite.toml"
    suite.write_text(SUITE, encoding="utf-8")
    out = tmp_path / "report.xml"
    result = run("check", str(suite), "--junit", str(out))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "1 passed, 2 failed"
    assert "FAIL lookup 'wrong figure' (line 7)" in result.stdout
    root = ET.parse(out).getroot()
    suite_el = root.find("testsuite")
    assert suite_el.get("tests") == "3" and suite_el.get("failures") == "2"
    cases = suite_el.findall("testcase")
    assert [c.get("name") for c in cases][:2] == ["referrals", "wrong figure"]
    failure = cases[1].find("failure")
    assert "expected: around 9,000 people are referred" in failure.text and "found instead" in failure.text
    assert "7,000" in failure.text
    # A report is regenerated output: replaced on the next run, folders created.
    out.write_text("stale", encoding="utf-8")
    again = run("check", str(suite), "--junit", str(out))
    assert again.exit_code == 1 and ET.parse(out).getroot().find("testsuite").get("tests") == "3"
    nested = tmp_path / "reports" / "ci" / "contest-kb.xml"
    assert run("check", str(suite), "--junit", str(nested)).exit_code == 1
    assert ET.parse(nested).getroot().find("testsuite") is not None
    assert oct(nested.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    assert [p.name for p in nested.parent.iterdir()] == ["contest-kb.xml"]  # no temporary file left


@pytest.mark.parametrize(
    "content, words",
    [
        ("[[lookup]]\nquery = 'x'\n", ["suite.toml:1", "expect"]),
        ("\n\n[[lookup]]\nquery = 'x'\nexpect = 'y'\nwithin = 0\n", ["suite.toml:3", "within"]),
        ("[[lookup]]\nquery = 'x'\nexpect = 'y'\ncolour = 'red'\n", ["suite.toml:1", "colour"]),
        ("[[quote]]\nname = 'q'\n", ["suite.toml:1", "text"]),
        ("[lookup\n", ["suite.toml", "line 1"]),
        ("title = 'x'\n", ["suite.toml", "title"]),
        ("", ["suite.toml", "no [[lookup]]"]),
    ],
)
def test_malformed_suite_exits_two_naming_file_and_line(run, tmp_path, content, words):
    suite = tmp_path / "suite.toml"
    suite.write_text(content, encoding="utf-8")
    result = run("check", str(suite))
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1
    for w in words:
        assert w in line


def test_suite_with_unknown_strand_is_an_error(run, tmp_path):
    suite = tmp_path / "suite.toml"
    suite.write_text("[[lookup]]\nquery = 'x'\nexpect = 'y'\nstrand = 'pursuit'\n", encoding="utf-8")
    result = run("check", str(suite))
    one_line_error(result, f"{suite}:1:", "pursuit")


# -- batch search -----------------------------------------------------------------------------
def test_queries_from_file_as_jsonl(run, tmp_path):
    queries = tmp_path / "q.txt"
    queries.write_text("Prevent referrals per year\n\nISIS\nxylophone\n", encoding="utf-8")
    result = run("search", "--queries-from", str(queries), "--format", "jsonl", "--no-correct")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    objects = [json.loads(l) for l in lines]
    assert [o["query"] for o in objects] == ["Prevent referrals per year", "ISIS", "xylophone"]
    assert objects[0]["total"] > 0 and objects[2]["total"] == 0
    single = run.json("search", "ISIS", "--format", "json")
    assert objects[1]["results"] == single["results"]


def test_queries_from_stdin(run):
    result = run("search", "--queries-from", "-", "--format", "jsonl", input="Channel\nMAC\n")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 2


def test_batch_with_a_bad_query_names_the_line(run, tmp_path):
    queries = tmp_path / "q.txt"
    queries.write_text('Channel\n""\n', encoding="utf-8")
    result = run("search", "--queries-from", str(queries), "--format", "jsonl")
    assert result.exit_code == 2 and f"{queries}:2" in result.stderr and result.stdout == ""


@pytest.mark.parametrize("bad", ["Prevent strand:nonsense", "MAC source:no-such-page", "MAC site:example.org"])
def test_batch_checks_every_query_filter_before_running_any(run, tmp_path, bad):
    queries = tmp_path / "q.txt"
    queries.write_text(f"Channel\n{bad}\n", encoding="utf-8")
    result = run("search", "--queries-from", str(queries), "--format", "jsonl")
    assert result.exit_code == 2 and f"{queries}:2:" in result.stderr and result.stdout == ""


def test_batch_without_any_results_exits_one(run):
    result = run("search", "--queries-from", "-", "--format", "jsonl", "--no-correct", input="xylophone\n")
    assert result.exit_code == 1


def test_query_and_queries_from_together_is_usage_error(run):
    assert run("search", "x", "--queries-from", "-").exit_code == 2
    assert run("search").exit_code == 2


# -- export ---------------------------------------------------------------------------------------
def test_export_markdown(run, tmp_path):
    out = tmp_path / "prevent.md"
    result = run("export", "Prevent", "referrals", "-o", str(out), "--limit", "3")
    assert result.exit_code == 0 and result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert "\n> Every year, around 7,000 people are referred" in text
    assert "— Counter Terrorism Policing, [Prevent | Counter Terrorism Policing](https://www.counterterrorism.police.uk/what-we-do/prevent/)" in text
    assert "## Sources" in text and "© Counter Terrorism Policing" in text


def test_export_markdown_attribution_for_ogl_sources(run):
    result = run("export", "Multi-Agency Centre", "-o", "-", "--format", "md", "--limit", "2")
    assert "Contains public sector information licensed under the Open Government Licence v3.0" in result.stdout


def test_export_markdown_pandoc_and_csl(run, tmp_path):
    md = run("export", "Channel", "-o", "-", "--format", "md", "--cite-style", "pandoc", "--limit", "2").stdout
    assert "[@ctp-prevent, § " in md
    csl_path = tmp_path / "refs.csl.json"
    assert run("export", "Channel", "-o", str(csl_path), "--limit", "2").exit_code == 0
    items = json.loads(csl_path.read_text(encoding="utf-8"))
    assert {i["id"] for i in items} <= {"ctp-prevent", "ctp-what-we-do", "homeoffice-blog-updated-contest-strategy-2018", "govuk-securing-the-future-2018", "london-councils-counter-terrorism-and-extremism"}
    for item in items:
        assert item["type"] == "webpage" and item["title"] and item["URL"].startswith("https://")
        assert item["author"][0]["literal"] and "publisher" not in item  # the organisation once, as author
    blog = run("export", "Multi-Agency Centre pilots", "-o", "-", "--format", "csl-json", "--limit", "1")
    assert json.loads(blog.stdout)[0]["issued"] == {"date-parts": [[2018, 6, 4]]}


def test_export_csv(run, tmp_path):
    out = tmp_path / "x.csv"
    assert run("export", "Channel", "-o", str(out), "--limit", "2").exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows and list(rows[0]) == ["query", "rank", "citation", "source_title", "publisher", "url", "section_path", "paragraphs", "lines", "page", "link", "strands", "text", "lead_in"]
    assert {r["rank"] for r in rows} <= {"1", "2"}
    assert all(r["url"].startswith("https://") and r["text"] for r in rows)


@pytest.mark.parametrize("cell", ["=1+1", "+44", "-2", "@SUM(A1)", "\tx"])
def test_csv_neutralises_formulas(cell):
    assert _safe_cell(cell).startswith("'")
    assert _safe_cell("plain text") == "plain text"


def test_export_csv_neutralises_formula_like_queries(run):
    result = run("export", "-o", "-", "--format", "csv", "--limit", "1", "--", "-Channel")
    row = next(csv.DictReader(io.StringIO(result.stdout)))
    assert row["query"] == "'-Channel"


@pytest.mark.parametrize("fmt", ["csv", "md"])
def test_export_echoes_a_query_without_its_control_characters(run, fmt):
    result = run("export", "-o", "-", "--format", fmt, "--limit", "1", "Channel\x1b]0;pwned\x07 mentor\x1b[31m")
    assert result.exit_code == 0, result.stderr
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", result.stdout)
    assert "Channel" in result.stdout.splitlines()[1 if fmt == "csv" else 0]


def test_search_csv_echoes_a_query_without_its_control_characters(run):
    result = run("search", "--format", "csv", "-n", "1", "Channel\x1b[31m")
    assert result.exit_code == 0 and "\x1b" not in result.stdout
    assert next(csv.DictReader(io.StringIO(result.stdout)))["query"] == "Channel[31m"


def test_export_json_is_search_json(run):
    exported = json.loads(run("export", "MAC", "-o", "-", "--format", "json").stdout)
    searched = run.json("search", "MAC", "--format", "json")
    assert exported == searched


def test_export_never_clobbers(run, tmp_path):
    out = tmp_path / "keep.md"
    out.write_text("precious\n", encoding="utf-8")
    result = run("export", "Channel", "-o", str(out))
    assert result.exit_code == 2 and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "precious\n"
    assert run("export", "Channel", "-o", str(out), "--force").exit_code == 0
    assert "Channel" in out.read_text(encoding="utf-8")
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".contest-kb-")]


def test_export_format_errors(run, tmp_path):
    result = run("export", "Channel", "-o", str(tmp_path / "x.docx"))
    assert result.exit_code == 2 and "--format" in result.stderr
    result = run("export", "xylophone", "-o", str(tmp_path / "x.md"), "--no-correct")
    assert result.exit_code == 1 and not (tmp_path / "x.md").exists()


def test_write_file_is_atomic_and_no_clobber(tmp_path):
    target = tmp_path / "a.txt"
    write_file(str(target), "one")
    with pytest.raises(ContestKBError):
        write_file(str(target), "two")
    assert target.read_text() == "one"
    write_file(str(target), "three", force=True)
    assert target.read_text() == "three"
    with pytest.raises(ContestKBError, match="does not exist"):
        write_file(str(tmp_path / "no" / "b.txt"), "x")
