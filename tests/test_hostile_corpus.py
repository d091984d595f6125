"""A corpus is data: hostile or broken pages and manifests give a clear error
(exit 2, one line) or load with nothing that could drive a terminal."""

from __future__ import annotations

import json
import os
import signal

import pytest

from contest_kb.corpus import load_corpus
from contest_kb.errors import CorpusError
from tests.conftest import Run, one_line_error

PAYLOADS = ["\x1b[31mRED\x1b[0m", "\x1b]0;pwned\x07", "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", "\x9b31m", "[/bold]", "[bold red]x"]


def edit_manifest(corpus, change):
    path = corpus / "sources.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data["sources"][0])
    path.write_text(json.dumps(data), encoding="utf-8")


def cli_on(corpus, tmp_path):
    run = Run(tmp_path / "index")
    return lambda *args, **kw: run("--corpus", str(corpus), "--index-dir", str(tmp_path / "index"), *args, index=False, **kw)


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("id", 7, ["id 7"]),
        ("title", ["a"], ["'title'", "list"]),
        ("licence", True, ["'licence'", "bool"]),
        ("published", "a/b", ["published", "'a/b'", "YYYY-MM-DD"]),
        ("url", "javascript:alert(1)", ["url", "http(s)"]),
        ("url", "file:///etc/passwd", ["url", "http(s)"]),
        ("url", "http://[bad/page", ["url", "not a valid address"]),
        ("file", "../../../../etc/passwd", ["must be a file inside the corpus folder"]),
        ("file", "/etc/passwd", ["must be a file inside the corpus folder"]),
    ],
)
def test_manifest_fields_of_the_wrong_kind_are_one_line_errors(tmp_corpus, tmp_path, field, value, words):
    edit_manifest(tmp_corpus, lambda s: s.__setitem__(field, value))
    one_line_error(cli_on(tmp_corpus, tmp_path)("sources"), "sources.json", *words)


def test_symlink_out_of_the_corpus_is_refused(tmp_corpus, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("Secret\n\nThe secret text of another file.\n", encoding="utf-8")
    os.symlink(outside, tmp_corpus / "link.txt")
    edit_manifest(tmp_corpus, lambda s: s.__setitem__("file", "link.txt"))
    with pytest.raises(CorpusError, match="outside the corpus folder"):
        load_corpus(tmp_corpus)


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("command", [["search", "payload"], ["show", "ctp-prevent/payload-heading"], ["sections"], ["sources"]])
@pytest.mark.parametrize("color", ["never", "always"])
def test_page_text_never_reaches_the_terminal_as_control_codes(tmp_corpus, tmp_path, payload, command, color):
    page = tmp_corpus / "ctp-prevent.txt"
    page.write_text(page.read_text(encoding="utf-8") + f"\nPayload heading {payload}\n\nA payload paragraph: {payload} ends here.\n", encoding="utf-8")
    edit_manifest(tmp_corpus, lambda s: s.__setitem__("title", f"Title {payload}"))
    run = cli_on(tmp_corpus, tmp_path)
    if command[0] == "show":
        ids = [line.split("\t")[0] for line in run("sections", "--source", "ctp-prevent").stdout.splitlines()]
        command = ["show", ids[-1]]
    result = run(*command, "--color", color)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    if color == "always":  # Rich's own styling is allowed; nothing from the page
        import re

        out = re.sub(r"\x1b\[[0-9;]*m", "", out)
        out = re.sub(r"\x1b\]8;[^\x1b]*\x1b\\", "", out)  # Rich's links to the source URL
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out


def test_control_characters_are_removed_at_load(tmp_corpus):
    page = tmp_corpus / "ctp-prevent.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\nAn evil \x1b]0;pwned\x07 paragraph.\n", encoding="utf-8")
    edit_manifest(tmp_corpus, lambda s: s.__setitem__("publisher", "Evil \u001b[2J publisher"))
    corpus = load_corpus(tmp_corpus)
    texts = [p.text for s in corpus.sections for p in s.paragraphs] + [s.publisher for s in corpus.sources.values()]
    assert not any(ch in t for t in texts for ch in "\x1b\x07")
    assert any("An evil ]0;pwned paragraph." in t for t in texts)


def test_a_long_line_loads_without_backtracking(tmp_corpus):
    """A 5 MB line of this shape took minutes with a backtracking heading pattern."""
    page = tmp_corpus / "ctp-prevent.txt"
    page.write_text("# Heading" + " " * 2_000_000 + "x\n\n" + "word " * 1_000_000 + "\n", encoding="utf-8")

    def too_slow(*_):
        raise TimeoutError("loading a page with a long line hung")

    old = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(60)
    try:
        corpus = load_corpus(tmp_corpus)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert any(s.source == "ctp-prevent" for s in corpus.sections)
