"""Text from a page is data: no payload in a page or the manifest becomes
markup, a link, a formula or broken XML in any export or report."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest

from tests.conftest import Run

PAGE_PAYLOADS = {
    "html": "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "md-link": "[click me](javascript:alert(3))",
    "md-autolink": "<javascript:alert(4)>",
    "formula": "=HYPERLINK(\"http://evil.example\",\"x\")",
    "at-formula": "@SUM(1+1)*cmd|' /C calc'!A0",
    "ansi": "\x1b[31mred\x1b[0m",
    "osc": "\x1b]0;pwned\x07",
    "xml-cdata": "]]><evil/>",
}


@pytest.fixture
def hostile(tmp_corpus, tmp_path):
    page = tmp_corpus / "ctp-prevent.txt"
    extra = "".join(f"\nZebrafish {name} heading\n\nZebrafish paragraph {value} ends.\n" for name, value in PAGE_PAYLOADS.items())
    page.write_text(page.read_text(encoding="utf-8") + extra, encoding="utf-8")
    manifest = tmp_corpus / "sources.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    entry = next(s for s in data["sources"] if s["id"] == "ctp-prevent")
    entry["publisher"] = " =1+1"
    entry["title"] = "Title <b>bold</b> [x](javascript:alert(5))"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    run = Run(tmp_path / "index")
    return lambda *args: run("--corpus", str(tmp_corpus), "--index-dir", str(tmp_path / "index"), *args, index=False)


def test_markdown_export_escapes_html_and_links(hostile):
    result = hostile("export", "zebrafish", "-o", "-", "--format", "md", "--limit", "50")
    assert result.exit_code == 0, result.stderr
    md = result.stdout
    assert "<script" not in md and "<img" not in md and "<b>" not in md and "<javascript" not in md
    assert not re.search(r"(?<!\\)\]\(javascript:", md)  # "\](" is escaped text, not a link
    assert "&lt;script&gt;" in md and r"\[click me\]" in md
    links = re.findall(r"(?<!\\)\]\(<?([^)>\s]+)", md)
    assert links and all(link.startswith("https://") for link in links)


def test_csv_export_neutralises_formulas_in_every_column(hostile):
    result = hostile("export", "zebrafish", "-o", "-", "--format", "csv", "--limit", "50")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert len(rows) > 1
    for row in rows[1:]:
        for cell in row:
            assert not cell.lstrip(" \t\r\n").startswith(("=", "+", "-", "@")) and not cell.startswith(("\t", "\r")), cell
    assert any(cell == "'=1+1" for row in rows for cell in row)  # the publisher


def test_junit_report_is_well_formed_whatever_the_text(hostile, tmp_path):
    suite = tmp_path / "suite.toml"
    suite.write_text(
        '[[quote]]\ntext = "Zebrafish paragraph ]]><evil/> \\u0001\\u001b[31m ends"\n'
        '[[lookup]]\nquery = "zebrafish xml-cdata"\nexpect = "]]><evil/> never here"\n',
        encoding="utf-8",
    )
    report = tmp_path / "out.xml"
    result = hostile("check", str(suite), "--junit", str(report))
    assert result.exit_code == 1
    root = ET.parse(report).getroot()  # parses: nothing XML forbids, no early CDATA end
    assert root.find("testsuite").get("tests") == "2"
    assert b"\x01" not in report.read_bytes() and b"\x1b" not in report.read_bytes()


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_search_output_holds_no_control_characters(hostile, fmt):
    result = hostile("search", "zebrafish", "--format", fmt, "--limit", "50")
    assert result.exit_code == 0
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.stdout)


@pytest.mark.parametrize("cell", [" =1+1", "\t=1+1", "  @SUM(A1)", "\n-2+3", "+1", "\r=1"])
def test_formula_like_cells_with_leading_space_are_neutralised(cell):
    from contest_kb.export import _safe_cell

    assert _safe_cell(cell).startswith("'")
