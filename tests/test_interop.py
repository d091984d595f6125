"""Exports that other tools read: pandoc with citeproc, reference managers, Excel."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess

import pytest


def test_pandoc_style_markdown_leaves_the_bibliography_to_citeproc(run):
    md = run("export", "Channel", "-o", "-", "--format", "md", "--cite-style", "pandoc", "-n", "3").stdout
    assert "## Sources" not in md and "[@ctp-prevent" in md
    plain = run("export", "Channel", "-o", "-", "--format", "md", "-n", "3").stdout
    assert "## Sources" in plain


def test_csl_items_name_the_publisher_once_and_carry_an_access_date(run):
    items = json.loads(run("export", "Channel", "-o", "-", "--format", "csl-json").stdout)
    assert items
    for item in items:
        assert item["author"] == [{"literal": item["author"][0]["literal"]}] and "publisher" not in item
        assert item["accessed"]["date-parts"][0] == [int(x) for x in datetime.date.today().isoformat().split("-")]


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_citeproc_prints_each_source_once(run, tmp_path):
    bib, doc = tmp_path / "refs.csl.json", tmp_path / "channel.md"
    assert run("export", "Channel", "-o", str(bib), "-n", "3").exit_code == 0
    assert run("export", "Channel", "-o", str(doc), "--cite-style", "pandoc", "-n", "3").exit_code == 0
    out = subprocess.run(["pandoc", str(doc), "--citeproc", "--bibliography", str(bib), "-t", "plain"],
                         capture_output=True, text=True, check=True).stdout
    titles = [item["title"] for item in json.loads(bib.read_text(encoding="utf-8"))]
    for title in titles:
        assert out.count(f"“{title}.”") + out.count(f"“{title}”") == 1, out
    assert "Sources" not in out
    bibliography = out[out.index(titles[0]) - 200 :]
    assert bibliography.count("Counter Terrorism Policing. n.d.") <= len(titles)


def test_excel_csv_starts_with_a_byte_order_mark(run, tmp_path):
    out = tmp_path / "x.csv"
    assert run("export", "Channel", "-o", str(out), "--excel").exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert not run("search", "Channel", "--format", "csv").stdout.startswith("\ufeff")
    assert run("search", "Channel", "--format", "csv", "--excel").stdout.startswith("\ufeff")
