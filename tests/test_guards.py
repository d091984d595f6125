"""Behaviours that once had no test to fail when they were removed."""

from __future__ import annotations

import importlib
import os

import contest_kb
from tests.conftest import Run, add_page


def test_a_strand_named_in_the_question_is_preferred(searcher):
    hits = searcher.search("how does CTP contribute to Pursue").hits
    assert hits[0].section.id == "ctp-what-we-do/how-does-ctp-contribute-to-the-delivery-of/pursue"
    hits = searcher.search("what does policing do for Protect").hits
    assert all("protect" in hit.section.strands for hit in hits[:2])


def test_thousands_separators_meet_plain_numbers(searcher):
    hits = searcher.search('"7000 people"').hits  # a phrase: only the number form can match
    assert hits and "around 7,000 people" in hits[0].passages[0].paragraph.text


def test_the_corpus_and_index_come_from_the_environment(tmp_corpus, tmp_path):
    add_page(tmp_corpus, "zz.md", "# Zeppelins\n\nA paragraph about zeppelins.\n", title="Zeppelins")
    index_dir = tmp_path / "env-index"
    run = Run(index_dir)
    result = run("search", "zeppelins", index=False, env={"CONTEST_KB_CORPUS": str(tmp_corpus), "CONTEST_KB_INDEX": str(index_dir)})
    assert result.exit_code == 0, result.stderr
    assert "A paragraph about zeppelins." in result.stdout
    assert (index_dir / "CURRENT").is_file()


def test_every_public_name_imports_from_the_package():
    assert set(contest_kb.__all__) == set(contest_kb._EXPORTS) | {"__version__"}
    for name in contest_kb.__all__:
        value = getattr(contest_kb, name)
        if name == "__version__":
            continue
        module = importlib.import_module(f"contest_kb.{contest_kb._EXPORTS[name]}")
        assert value is getattr(module, name), name
    namespace: dict = {}
    exec("from contest_kb import *", namespace)  # noqa: S102 -- the star import is what is tested
    assert set(contest_kb.__all__) <= set(namespace)


def test_the_public_api_answers_a_question(kb):
    with contest_kb.Searcher(kb) as searcher:
        result = searcher.search("Prevent referrals per year")
    assert "7,000" in result.hits[0].passages[0].paragraph.text
    assert os.path.isdir(kb.path)
