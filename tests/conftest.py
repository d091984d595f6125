"""Shared fixtures: the bundled corpus, one index built per test session, and
a CliRunner that keeps stdout and stderr apart."""

from __future__ import annotations

import inspect
import json
import os
import shutil
from pathlib import Path

import click.testing
import pytest

from contest_kb.cli import cli
from contest_kb.corpus import load_corpus
from contest_kb.index import open_index
from contest_kb.search import Searcher

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"


@pytest.fixture(scope="session")
def corpus():
    return load_corpus(CORPUS)


@pytest.fixture(scope="session")
def sections(corpus):
    return {s.id: s for s in corpus.sections}


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("index")


@pytest.fixture(scope="session")
def kb(index_dir):
    return open_index(CORPUS, index_dir)


@pytest.fixture(scope="session")
def searcher(kb):
    with Searcher(kb) as s:
        yield s


@pytest.fixture
def tmp_corpus(tmp_path):
    """A writable copy of the bundled corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def add_page(corpus: Path, name: str, text: str, **meta: str) -> None:
    """Write a page into CORPUS and give it a manifest entry (title and
    publisher default to "Notes" and "Me")."""
    (corpus / name).write_text(text, encoding="utf-8")
    manifest = corpus / "sources.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["sources"].append({"file": name, "title": "Notes", "publisher": "Me", **meta})
    manifest.write_text(json.dumps(data), encoding="utf-8")


def edit_manifest(corpus: Path, change) -> None:
    """Apply CHANGE to the manifest's data (a dict with "sources") and save it."""
    manifest = corpus / "sources.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    change(data)
    manifest.write_text(json.dumps(data), encoding="utf-8")


def one_line_error(result, *words):
    """Assert RESULT is an error: exit 2, nothing on stdout, one line on
    stderr holding every one of WORDS. Returns that line."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


class Run:
    """Invoke the CLI in-process with the session's index and a clean environment."""

    def __init__(self, index_dir: Path):
        kwargs = {}
        if "mix_stderr" in inspect.signature(click.testing.CliRunner.__init__).parameters:
            kwargs["mix_stderr"] = False
        self.runner = click.testing.CliRunner(**kwargs)
        self.index_dir = index_dir

    def __call__(self, *args: str, input: str | None = None, env: dict | None = None, index: bool = True):
        base = ["--corpus", str(CORPUS), "--index-dir", str(self.index_dir)] if index else []
        environment = {"NO_COLOR": None, "CONTEST_KB_CORPUS": None, "CONTEST_KB_INDEX": None}
        environment.update(env or {})
        return self.runner.invoke(cli, base + list(args), input=input, env=environment, catch_exceptions=False)

    def json(self, *args: str):
        result = self(*args)
        assert result.exit_code in (0, 1), result.stderr
        return json.loads(result.stdout)


@pytest.fixture(scope="session")
def run(index_dir, kb):
    return Run(index_dir)


def pytest_report_header(config):
    import whoosh

    return f"whoosh {whoosh.versionstring()} ({os.path.dirname(whoosh.__file__)})"
