"""The index: built on demand, rebuilt on change, never left half-written."""

from __future__ import annotations

import json
import os

import pytest

from contest_kb import index as index_module
from contest_kb.corpus import load_corpus
from contest_kb.errors import ContestKBError
from contest_kb.index import build_index, current_generation, open_index
from contest_kb.search import Searcher
from tests.conftest import Run, one_line_error


def test_built_on_first_use_and_reused(tmp_corpus, tmp_path):
    idx = tmp_path / "idx"
    first = open_index(tmp_corpus, idx)
    second = open_index(tmp_corpus, idx)
    assert first.path == second.path == current_generation(idx)


def test_rebuilt_when_the_corpus_changes(tmp_corpus, tmp_path):
    idx = tmp_path / "idx"
    before = open_index(tmp_corpus, idx)
    page = tmp_corpus / "ctp-prevent.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\n\nZebra crossings\n\nA zebrafish paragraph appears here.\n", encoding="utf-8")
    after = open_index(tmp_corpus, idx)
    assert after.path != before.path
    with Searcher(after) as s:
        hit = s.search("zebrafish").hits[0]
    assert hit.section.heading_path == ["Zebra crossings"]
    assert hit.passages[0].paragraph.lines == (33, 33)
    assert [p for p in os.listdir(idx) if p.startswith("gen-")] == [os.path.basename(after.path)]


def test_interrupted_build_leaves_the_old_index_working(tmp_corpus, tmp_path, monkeypatch):
    idx = tmp_path / "idx"
    good = open_index(tmp_corpus, idx)
    corpus = load_corpus(tmp_corpus)

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(index_module, "_vocabulary", crash)
    with pytest.raises(KeyboardInterrupt):
        build_index(corpus, idx)
    assert current_generation(idx) == good.path
    assert not [p for p in os.listdir(idx) if p.startswith(".build-")]
    monkeypatch.undo()
    with Searcher(open_index(tmp_corpus, idx)) as s:
        assert s.search("Channel").total


def test_lock_timeout_is_a_clear_error(tmp_corpus, tmp_path):
    fcntl = pytest.importorskip("fcntl")
    idx = tmp_path / "idx"
    idx.mkdir()
    with open(idx / ".lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(ContestKBError, match="another contest-kb process"):
            build_index(load_corpus(tmp_corpus), idx, lock_timeout=0.2)


def _cli(tmp_corpus, tmp_path, *args):
    run = Run(tmp_path / "idx")
    return run("--corpus", str(tmp_corpus), "--index-dir", str(tmp_path / "idx"), *args, index=False)


def test_page_without_manifest_entry(tmp_corpus, tmp_path):
    (tmp_corpus / "extra.txt").write_text("Title\n\nText.\n", encoding="utf-8")
    one_line_error(_cli(tmp_corpus, tmp_path, "search", "police"), "extra.txt", "sources.json")


def test_invalid_manifest_names_the_line(tmp_corpus, tmp_path):
    manifest = tmp_corpus / "sources.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"title": "Prevent | Counter', '"title" "Prevent | Counter'), encoding="utf-8")
    one_line_error(_cli(tmp_corpus, tmp_path, "sections"), "sources.json:", "invalid JSON")


def test_page_that_is_not_utf8(tmp_corpus, tmp_path):
    page = tmp_corpus / "ctp-prevent.txt"
    page.write_bytes(page.read_bytes().replace("Channel".encode(), "Ch\xe4nnel".encode("latin-1"), 1))
    one_line_error(_cli(tmp_corpus, tmp_path, "sources"), "ctp-prevent.txt:12", "UTF-8")


def test_broken_toml_names_the_file(tmp_corpus, tmp_path):
    (tmp_corpus / "strands.toml").write_text("[pursue\nname = 1\n", encoding="utf-8")
    one_line_error(_cli(tmp_corpus, tmp_path, "sources"), "strands.toml", "line 1")


def test_missing_corpus_folder(tmp_path):
    one_line_error(_cli(tmp_path / "nowhere", tmp_path, "sources"), "nowhere", "--corpus")


def test_new_markdown_page_is_searchable(tmp_corpus, tmp_path):
    (tmp_corpus / "notes.md").write_text("# Notes\n\n## Exercising\n\nA note about zeppelins.\n", encoding="utf-8")
    manifest = tmp_corpus / "sources.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["sources"].append({"file": "notes.md", "title": "Notes", "publisher": "Me"})
    manifest.write_text(json.dumps(data), encoding="utf-8")
    result = _cli(tmp_corpus, tmp_path, "search", "zeppelins", "--format", "json")
    assert result.exit_code == 0, result.stderr
    hit = json.loads(result.stdout)["results"][0]
    assert hit["id"] == "notes/exercising" and hit["source"]["title"] == "Notes"
    assert hit["passages"][0]["lines"] == [5, 5]
