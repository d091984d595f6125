"""The index: built on demand, rebuilt on change, never left half-written."""

from __future__ import annotations

import json
import os

import pytest

from contest_kb import index as index_module
from contest_kb.errors import ContestKBError
from contest_kb.index import build_index, current_generation, open_index
from contest_kb.search import Searcher
from tests.conftest import Run, add_page, edit_manifest, one_line_error


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
    # The old generation stays while a reader holds it open, and goes at the
    # next build once it is closed.
    assert os.path.isdir(before.path)
    before.close()
    after.close()
    rebuilt = open_index(tmp_corpus, idx, rebuild=True)
    assert [p for p in os.listdir(idx) if p.startswith("gen-")] == [os.path.basename(rebuilt.path)]


def _interrupt_builds(monkeypatch) -> None:
    """Make every build or update stop half-way, as Ctrl-C would."""

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(index_module, "_page_entry", crash)


def test_interrupted_build_leaves_the_old_index_working(tmp_corpus, tmp_path, monkeypatch):
    idx = tmp_path / "idx"
    good = open_index(tmp_corpus, idx)
    _interrupt_builds(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        build_index(tmp_corpus, idx)
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
            build_index(tmp_corpus, idx, lock_timeout=0.2)


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
    page.write_bytes(page.read_bytes().replace(b"Channel", "Ch\xe4nnel".encode("latin-1"), 1))
    one_line_error(_cli(tmp_corpus, tmp_path, "sources"), "ctp-prevent.txt:12", "UTF-8")


def _reader_process(monkeypatch):
    """Have pages read by a second process, one at a time, however few there are."""
    monkeypatch.setattr(index_module, "READER_PROCESS_PAGES", 1)
    monkeypatch.setattr(index_module, "READER_CHUNK", 1)


def test_pages_read_by_a_second_process_index_as_when_read_in_turn(tmp_corpus, tmp_path, monkeypatch):
    with open_index(tmp_corpus, tmp_path / "in-turn") as in_turn:
        _reader_process(monkeypatch)
        with open_index(tmp_corpus, tmp_path / "idx") as kb:
            assert list(kb.sections) == list(in_turn.sections)
            assert all(kb.sections[k].paragraphs == s.paragraphs and kb.sections[k].strands == s.strands
                       for k, s in in_turn.sections.items())
            assert kb.meta["pages"] == in_turn.meta["pages"]


def test_a_page_the_second_process_cannot_read_is_one_line(tmp_corpus, tmp_path, monkeypatch):
    """The error of the last page read stays the only line on stderr: no
    progress is shown before every page has been read."""
    _reader_process(monkeypatch)
    page = tmp_corpus / "ctp-what-we-do.txt"
    page.write_bytes(page.read_bytes().replace(b"Counter", "C\xf6unter".encode("latin-1"), 1))
    one_line_error(_cli(tmp_corpus, tmp_path, "sources"), "ctp-what-we-do.txt:", "UTF-8")
    assert not [p for p in (tmp_path / "idx").iterdir() if p.name.startswith(".build-")]


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="finds the reader process through /proc")
@pytest.mark.parametrize("slow_start", [False, True])
def test_the_reader_process_ends_with_a_build_killed_mid_way(tmp_corpus, tmp_path, slow_start):
    """Also when the build is killed before the reader has set itself up
    (SLOW_START: a loaded machine), so it never saw its parent."""
    import signal
    import subprocess
    import sys
    import time

    script = (
        "import sys, time\n"
        "from contest_kb import index\n"
        "index.READER_PROCESS_PAGES = index.READER_CHUNK = 1\n"
        "read = index.read_page\n"
        "index.read_page = lambda settings, source: time.sleep(1) or read(settings, source)\n"
        "if sys.argv[3] == 'slow':\n"
        "    setup = index._reader_settings\n"
        "    index._reader_settings = lambda *args: time.sleep(1) or setup(*args)\n"
        "index.open_index(sys.argv[1], sys.argv[2])\n"
    )
    build = subprocess.Popen([sys.executable, "-c", script, str(tmp_corpus), str(tmp_path / "idx"), "slow" if slow_start else "fast"])

    def children() -> list[int]:
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
                    if int(handle.read().rsplit(")", 1)[1].split()[1]) == build.pid:
                        found.append(int(pid))
            except (OSError, ValueError, IndexError):
                continue
        return found

    deadline = time.monotonic() + 30
    while not (readers := children()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert readers, "no reader process started"
    build.send_signal(signal.SIGKILL)
    build.wait()
    def running(pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
                return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    deadline = time.monotonic() + 10
    while any(map(running, readers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(running, readers))


def test_broken_toml_names_the_file(tmp_corpus, tmp_path):
    (tmp_corpus / "strands.toml").write_text("[pursue\nname = 1\n", encoding="utf-8")
    one_line_error(_cli(tmp_corpus, tmp_path, "sources"), "strands.toml", "line 1")


def test_missing_corpus_folder(tmp_path):
    one_line_error(_cli(tmp_path / "nowhere", tmp_path, "sources"), "nowhere", "--corpus")


def test_new_markdown_page_is_searchable(tmp_corpus, tmp_path):
    add_page(tmp_corpus, "notes.md", "# Notes\n\n## Exercising\n\nA note about zeppelins.\n")
    result = _cli(tmp_corpus, tmp_path, "search", "zeppelins", "--format", "json")
    assert result.exit_code == 0, result.stderr
    hit = json.loads(result.stdout)["results"][0]
    assert hit["id"] == "notes/exercising" and hit["source"]["title"] == "Notes"
    assert hit["passages"][0]["lines"] == [5, 5]


def test_an_index_folder_that_cannot_be_created_is_one_line(tmp_corpus, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    run = Run(tmp_path / "idx")
    result = run("--corpus", str(tmp_corpus), "--index-dir", str(blocker / "index"), "search", "police", index=False)
    one_line_error(result, "index folder", "--index-dir")


def test_a_full_disk_during_a_build_is_one_line(tmp_corpus, tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(index_module.whoosh_index, "create_in", full)
    line = one_line_error(_cli(tmp_corpus, tmp_path, "search", "police"), "No space left on device", "--index-dir")
    assert "Traceback" not in line
    assert not [p for p in os.listdir(tmp_path / "idx") if p.startswith(".build-")]


def test_a_full_disk_during_an_export_is_one_line(run, tmp_path, monkeypatch):
    import contest_kb.export as export_module

    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fd, *args, **kwargs):
            self.handle = real_fdopen(fd, *args, **kwargs)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, text):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_module.os, "fdopen", Full)
    out = tmp_path / "x.md"
    one_line_error(run("export", "Channel", "-o", str(out)), "No space left on device", str(out))
    assert os.listdir(tmp_path) == []  # neither the export nor a temporary file


@pytest.mark.parametrize("damage", ["missing-key", "not-json", "wrong-type"])
def test_a_damaged_meta_json_is_rebuilt(tmp_corpus, tmp_path, damage):
    idx = tmp_path / "idx"
    first = open_index(tmp_corpus, idx)
    first.close()
    meta = os.path.join(first.path, "meta.json")
    with open(meta, encoding="utf-8") as f:
        data = json.load(f)
    if damage == "missing-key":
        del data["pages"]
        text = json.dumps(data)
    elif damage == "wrong-type":
        data["pages"] = []
        text = json.dumps(data)
    else:
        text = "{not json"
    with open(meta, "w", encoding="utf-8") as handle:
        handle.write(text)
    again = open_index(tmp_corpus, idx)
    assert again.path != first.path
    with Searcher(again) as s:
        assert s.search("Channel").total


def test_litter_of_killed_builds_is_removed(tmp_corpus, tmp_path):
    idx = tmp_path / "idx"
    open_index(tmp_corpus, idx).close()
    (idx / ".build-deadbeef").mkdir()
    (idx / ".build-deadbeef" / "x").write_text("half", encoding="utf-8")
    (idx / ".CURRENT.tmp-99999").write_text("gen-x\n", encoding="utf-8")
    kb = open_index(tmp_corpus, idx)  # fresh: no build, but tidied
    names = os.listdir(idx)
    assert not [n for n in names if n.startswith((".build-", ".CURRENT.tmp-"))], names
    assert [n for n in names if n.startswith("gen-")] == [os.path.basename(kb.path)]


def _loads(monkeypatch):
    """Record which sources are read (split into sections) from here on."""
    loaded: list[str] = []
    real = index_module.read_page

    def spy(settings, source):
        loaded.append(source.id)
        return real(settings, source)

    monkeypatch.setattr(index_module, "read_page", spy)
    return loaded


def test_a_changed_page_is_reindexed_alone(tmp_corpus, tmp_path, monkeypatch):
    idx = tmp_path / "idx"
    open_index(tmp_corpus, idx).close()
    loaded = _loads(monkeypatch)
    page = tmp_corpus / "ctp-prevent.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\nZebra crossings\n\nA zebrafish paragraph appears here.\n", encoding="utf-8")
    kb = open_index(tmp_corpus, idx)
    assert loaded == ["ctp-prevent"]
    with Searcher(kb) as s:
        assert s.search("zebrafish").hits[0].section.source == "ctp-prevent"
        assert s.search("Channel").total  # the other sources are still there
    assert kb.stats()["sources"] == 5
    kb.close()


def test_a_touched_page_with_the_same_text_is_not_reindexed(tmp_corpus, tmp_path, monkeypatch):
    idx = tmp_path / "idx"
    first = open_index(tmp_corpus, idx)
    first.close()
    loaded = _loads(monkeypatch)
    page = tmp_corpus / "ctp-prevent.txt"
    os.utime(page, (1, 1))
    again = open_index(tmp_corpus, idx)
    assert loaded == [] and again.path == first.path
    again.close()
    # The new time is remembered: the next start compares times, not text.
    checked = []
    real = index_module.file_crc
    monkeypatch.setattr(index_module, "file_crc", lambda path: checked.append(path) or real(path))
    open_index(tmp_corpus, idx).close()
    assert checked == []


def test_pages_added_and_removed_through_the_manifest(tmp_corpus, tmp_path, monkeypatch):
    idx = tmp_path / "idx"
    open_index(tmp_corpus, idx).close()
    loaded = _loads(monkeypatch)
    add_page(tmp_corpus, "notes.md", "# Notes\n\n## Exercising\n\nA note about zeppelins.\n")
    kb = open_index(tmp_corpus, idx)
    assert loaded == ["notes"] and kb.stats()["sources"] == 6
    with Searcher(kb) as s:
        assert s.search("zeppelins").hits[0].source.title == "Notes"
    kb.close()
    edit_manifest(tmp_corpus, lambda data: data.__setitem__("sources", [s for s in data["sources"] if s["file"] != "notes.md"]))
    (tmp_corpus / "notes.md").unlink()
    kb = open_index(tmp_corpus, idx)
    assert loaded == ["notes"] and kb.stats()["sources"] == 5
    with Searcher(kb) as s:
        assert s.search("zeppelins", correct=False).total == 0
    kb.close()


def test_a_changed_manifest_entry_reindexes_that_source(tmp_corpus, tmp_path, monkeypatch):
    idx = tmp_path / "idx"
    open_index(tmp_corpus, idx).close()
    loaded = _loads(monkeypatch)
    edit_manifest(tmp_corpus, lambda data: next(s for s in data["sources"] if s["id"] == "ctp-prevent").update(title="A new title"))
    kb = open_index(tmp_corpus, idx)
    assert loaded == ["ctp-prevent"] and kb.source("ctp-prevent").title == "A new title"
    kb.close()


def test_a_page_whose_entry_the_document_completes_is_not_reindexed_unchanged(tmp_corpus, tmp_path, monkeypatch):
    """meta.json keeps a manifest entry apart from its source only where the
    document completed it (a web page's title); an edit to another entry
    leaves the page alone, and an edit to its own re-indexes it."""
    from pathlib import Path

    fixture = Path(__file__).parent / "fixtures" / "police-counter-terrorism.html"
    (tmp_corpus / "police.html").write_bytes(fixture.read_bytes())
    edit_manifest(tmp_corpus, lambda data: data["sources"].append({"file": "police.html"}))
    idx = tmp_path / "idx"
    kb = open_index(tmp_corpus, idx)
    pages = kb.meta["pages"]
    assert "entry" in pages["police"] and "entry" not in pages["ctp-prevent"]
    kb.close()
    loaded = _loads(monkeypatch)
    open_index(tmp_corpus, idx).close()
    assert loaded == []
    edit_manifest(tmp_corpus, lambda data: next(s for s in data["sources"] if s["id"] == "ctp-prevent").update(title="A new title"))
    open_index(tmp_corpus, idx).close()
    assert loaded == ["ctp-prevent"]
    edit_manifest(tmp_corpus, lambda data: data["sources"][-1].update(publisher="A police force"))
    open_index(tmp_corpus, idx).close()
    assert loaded == ["ctp-prevent", "police"]


def test_a_changed_data_file_rebuilds_everything(tmp_corpus, tmp_path, monkeypatch):
    idx = tmp_path / "idx"
    open_index(tmp_corpus, idx).close()
    loaded = _loads(monkeypatch)
    glossary = tmp_corpus / "glossary.toml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + '\n[[equivalent]]\nterms = ["zebra", "crossing"]\n', encoding="utf-8")
    open_index(tmp_corpus, idx).close()
    ids = [s["id"] for s in json.loads((tmp_corpus / "sources.json").read_text(encoding="utf-8"))["sources"]]
    assert sorted(loaded) == sorted(ids)


def test_an_interrupted_update_leaves_the_index_working(tmp_corpus, tmp_path, monkeypatch):
    idx = tmp_path / "idx"
    good = open_index(tmp_corpus, idx)
    good.close()
    page = tmp_corpus / "ctp-prevent.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\nZebra\n\nA zebrafish.\n", encoding="utf-8")
    _interrupt_builds(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        open_index(tmp_corpus, idx)
    assert current_generation(idx) == good.path
    monkeypatch.undo()
    with Searcher(open_index(tmp_corpus, idx)) as s:
        assert s.search("zebrafish").total and s.search("Channel").total


def test_place_column_holds_what_ranking_reads(kb):
    """Each paragraph's place (read per candidate, without its stored fields)
    names its section, source, duplicate key, number, section size and first
    line, as the stored fields do, in a fixed-size record."""
    from contest_kb import store

    reader = kb.index.reader()
    column = reader.column_reader("place", translate=False)
    sections = set()
    for docnum, fields in reader.iter_docs():
        place = store.place_from(column[docnum])
        data = store.data_of(fields)
        assert (place.section, place.source) == (store.id_key(fields["section"]), store.id_key(fields["source"]))
        assert place.dupkey_text == store.duplicate_key(data.text)
        assert (place.n, place.size, place.first_line) == (data.n, data.size, data.slines[0])
        sections.add((fields["section"], place.section))
    assert len({key for _, key in sections}) == len(sections)  # no two sections share a key


def test_stored_fields_hold_only_what_a_citation_needs(kb):
    """Whoosh holds a segment's stored fields whole in memory once one is
    read, so each paragraph stores its section, source and a tuple of what a
    citation needs, and no field a search reads from the index instead."""
    from contest_kb import store

    fields = next(kb.index.reader().iter_docs())[1]
    assert set(fields) == {"section", "source", "data"} and isinstance(fields["data"], tuple)
    assert store.data_of(fields).text and store.paragraph_from(fields).n == store.data_of(fields).n


def test_every_module_that_shapes_the_index_is_in_its_fingerprint():
    """A change to the code that decides what the index holds (the schema,
    the documents, the analyzers) rebuilds the index, as a corpus change does."""
    from contest_kb import corpus

    # numerals.py: the number words of the figure feature (intent.py).
    for module in ("store.py", "analysis.py", "sections.py", "index.py", "intent.py", "numerals.py"):
        assert module in corpus._INDEX_SHAPING


def test_the_glossary_reads_equivalents_and_related_words(tmp_corpus):
    from contest_kb.corpus import read_glossary

    glossary = tmp_corpus / "glossary.toml"
    glossary.write_text('[[equivalent]]\nterms = ["MAC", "Multi-Agency Centre"]\n\n[[related]]\nterms = ["arrest", "nick"]\n', encoding="utf-8")
    assert read_glossary(str(tmp_corpus)) == [{"terms": ["MAC", "Multi-Agency Centre"], "kind": "synonym"},
                                              {"terms": ["arrest", "nick"], "kind": "related"}]
    glossary.write_text('[[related]]\nterms = ["arrest"]\n', encoding="utf-8")
    with pytest.raises(ContestKBError, match=r"glossary.toml: \[\[related\]\] entry #1 needs terms"):
        read_glossary(str(tmp_corpus))
    glossary.write_text('[[scope]]\nterms = ["CONTEST"]\n', encoding="utf-8")
    assert read_glossary(str(tmp_corpus)) == [{"terms": ["CONTEST"], "kind": "scope"}]
    glossary.write_text('[[scope]]\nterms = "CONTEST"\n', encoding="utf-8")
    with pytest.raises(ContestKBError, match=r"glossary.toml: \[\[scope\]\] entry #1 needs terms = \[\"...\"\] with one or more"):
        read_glossary(str(tmp_corpus))
    glossary.write_text('[[publisher]]\nname = "Counter Terrorism Policing"\nterms = ["the police"]\n', encoding="utf-8")
    assert read_glossary(str(tmp_corpus)) == [{"terms": ["the police"], "kind": "publisher", "name": "Counter Terrorism Policing"}]
    glossary.write_text('[[publisher]]\nterms = ["the police"]\n', encoding="utf-8")
    with pytest.raises(ContestKBError, match=r'glossary.toml: \[\[publisher\]\] entry #1 needs name = "..."'):
        read_glossary(str(tmp_corpus))
