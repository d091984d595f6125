"""The bundled pages in other formats (benchmarks/formats.py at CI size): as
a web page with a site's chrome and as PDFs in four styles, added as
``contest-kb add`` adds them, they read back as the same headings and
paragraphs, and the first relevance set scores on them as on the text files."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import formats


@pytest.fixture(scope="module")
def pages():
    return formats.bundled_pages()


@pytest.fixture(scope="module")
def text_figures(tmp_path_factory):
    return formats.relevance(formats.CORPUS, str(tmp_path_factory.mktemp("index-text")), ["relevance.toml"])


@pytest.mark.parametrize("fmt", formats.FORMATS)
def test_a_page_in_another_format_reads_back_as_its_headings_and_paragraphs(fmt, pages, text_figures, tmp_path):
    root = formats.build_corpus(pages, fmt, str(tmp_path / fmt))
    found = formats.recovered(pages, root)
    assert found["headings"] == found["of_headings"]
    assert found["paragraphs"] >= found["of_paragraphs"] - 2, found["extra"]
    figures = formats.relevance(root, str(tmp_path / "index"), ["relevance.toml"])
    assert figures["relevance.toml"][0] >= text_figures["relevance.toml"][0] - 0.02


def test_the_benchmark_prints_a_table(capsys):
    assert formats.main(["--formats", "html", "--sets", "relevance.toml"]) == 0
    out = capsys.readouterr().out
    assert "| html | 111/111 | 24/24 |" in out and "| text files | — | — |" in out
