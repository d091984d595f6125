"""Official pages (official.toml) are preferred to others with the same words."""

from __future__ import annotations

import pytest

from contest_kb.corpus import read_officials
from contest_kb.errors import CorpusError
from contest_kb.index import open_index
from contest_kb.official import Officials
from contest_kb.search import Searcher

from .conftest import Run, add_page, edit_manifest, one_line_error

RULES = Officials(["gov.uk", "police.uk"], ["Home Office", "Counter Terrorism Policing"])


@pytest.mark.parametrize("url, publisher, official", [
    ("https://www.gov.uk/government/news/x", None, True),
    ("https://homeofficemedia.blog.gov.uk/2018/06/04/x/", None, True),
    ("https://counterterrorism.police.uk/what-we-do", None, True),
    ("https://www.camden.gov.uk/prevent", "", True),
    ("https://evilgov.uk/page", None, False),
    ("https://gov.uk.example.com/page", None, False),
    ("https://news.example.com/ct", "A newspaper", False),
    (None, "Home Office (Home Office in the media blog)", True),
    (None, "home office", True),
    (None, "Homeless Office Supplies", False),
    (None, "Me", False),
    ("not a web address", None, False),
    ("http://[bad", None, False),
])
def test_a_page_is_official_by_its_domain_or_its_publisher(url, publisher, official):
    assert RULES.covers(url, publisher) is official


def test_no_rules_make_no_page_official():
    assert not Officials().covers("https://www.gov.uk/x", "Home Office")


@pytest.mark.parametrize("url, publisher", [(None, None), ("", "  ")])
def test_a_page_from_nowhere_known_is_not_official(url, publisher):
    assert RULES.covers(url, publisher) is False


def test_the_rules_are_read_from_the_corpus_folder(tmp_path):
    assert read_officials(str(tmp_path)).to_dict() == {"domains": [], "publishers": [], "names": []}
    (tmp_path / "official.toml").write_text('domains = ["Gov.UK."]\npublishers = ["Home Office"]\nnames = ["the government "]\n', encoding="utf-8")
    assert read_officials(str(tmp_path)).to_dict() == {"domains": ["gov.uk"], "publishers": ["Home Office"], "names": ["the government"]}
    (tmp_path / "official.toml").write_text('names = "the government"\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="official.toml: names must be a list of strings"):
        read_officials(str(tmp_path))
    (tmp_path / "official.toml").write_text('domains = "gov.uk"\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="official.toml: domains must be a list of strings"):
        read_officials(str(tmp_path))


NEWS = ("Explainer\n\nAround 22,000 times last year the public contacted the Anti-Terrorist Hotline, "
        "and one in five reports reached officers.\n")
QUESTION = "how many times did the public contact the Anti-Terrorist Hotline"


def _first_source(corpus, index_dir) -> str:
    with open_index(corpus, index_dir) as kb, Searcher(kb) as searcher:
        return searcher.search(QUESTION).hits[0].source.id


def test_an_official_page_comes_before_a_third_party_page_with_the_same_words(tmp_corpus, tmp_path):
    add_page(tmp_corpus, "news.txt", NEWS, id="news", publisher="A newspaper", url="https://news.example.com/hotline")
    assert _first_source(tmp_corpus, tmp_path / "index") == "ctp-what-we-do"
    # Without the rules the shorter third-party paragraph wins: the preference decides.
    (tmp_corpus / "official.toml").unlink()
    assert _first_source(tmp_corpus, tmp_path / "index") == "news"


def test_a_page_that_names_no_publisher_or_address_ranks_below_the_official_pages(tmp_corpus, tmp_path):
    """A page of unknown provenance is not the record: the official page
    with the same words comes first (the wider distractors without a
    publisher otherwise took first place from the bundled pages)."""
    (tmp_corpus / "notes.txt").write_text(NEWS, encoding="utf-8")
    edit_manifest(tmp_corpus, lambda data: data["sources"].append({"file": "notes.txt", "id": "notes"}))
    with open_index(tmp_corpus, tmp_path / "index") as kb:
        assert kb.source("notes").publisher == "unknown publisher"
        assert "notes" not in kb.preferred_sources
    assert _first_source(tmp_corpus, tmp_path / "index") == "ctp-what-we-do"


def test_editing_the_rules_rebuilds_what_is_official(tmp_corpus, tmp_path):
    add_page(tmp_corpus, "news.txt", NEWS, id="news", publisher="A newspaper", url="https://news.example.com/hotline")
    with open_index(tmp_corpus, tmp_path / "index") as kb:
        assert "news" not in kb.preferred_sources and "ctp-what-we-do" in kb.preferred_sources
    (tmp_corpus / "official.toml").write_text('domains = ["example.com"]\n', encoding="utf-8")
    with open_index(tmp_corpus, tmp_path / "index") as kb:
        assert kb.preferred_sources == {"news"}


def test_results_and_the_source_list_say_which_pages_are_official(tmp_corpus, tmp_path):
    """JSON's source object carries `official` (its address or publisher is
    in official.toml); a page naming neither is not official."""
    import json

    add_page(tmp_corpus, "news.txt", NEWS, id="news", publisher="A newspaper", url="https://news.example.com/hotline")
    (tmp_corpus / "notes.txt").write_text(NEWS, encoding="utf-8")
    edit_manifest(tmp_corpus, lambda data: data["sources"].append({"file": "notes.txt", "id": "notes"}))
    run = Run(tmp_path / "idx")
    args = ("--corpus", str(tmp_corpus), "--index-dir", str(tmp_path / "idx"))
    result = run(*args, "search", QUESTION, "--format", "json", index=False)
    places = [place for r in json.loads(result.stdout)["results"] for place in (r, *r["also_in"])]
    official = {place["source"]["id"]: place["source"]["official"] for place in places}
    assert official == {"ctp-what-we-do": True, "govuk-securing-the-future-2018": True, "homeoffice-blog-updated-contest-strategy-2018": True,
                        "london-councils-counter-terrorism-and-extremism": True, "news": False, "notes": False}
    listed = {item["id"]: item["official"] for item in json.loads(run(*args, "sources", "--format", "json", index=False).stdout)}
    assert listed["govuk-securing-the-future-2018"] is True and listed["news"] is False and listed["notes"] is False
    text = run(*args, "sources", index=False).stdout
    assert "official: no" in text.split("\nnews\n", 1)[1].split("\n\n")[0] and "official: yes" in text


def test_a_broken_rules_file_is_one_line_naming_it(tmp_corpus, tmp_path):
    (tmp_corpus / "official.toml").write_text("domains = [\n", encoding="utf-8")
    run = Run(tmp_path / "idx")
    one_line_error(run("--corpus", str(tmp_corpus), "--index-dir", str(tmp_path / "idx"), "search", "Prevent", index=False),
                   "official.toml", "TOML")


EXPLAINER = ("The four Ps\n\nProtect is concerned with strengthening defences against attack, including border "
             "security and the protection of crowded places.\n")


def test_a_third_party_definition_is_not_lifted_above_the_official_pages(tmp_corpus, tmp_path):
    """"What is Protect" lifts a paragraph that opens by saying what Protect
    is above those that only mention it, but not a third-party page's above
    the official pages: the lift would undo their preference."""
    add_page(tmp_corpus, "explainer.txt", EXPLAINER, id="explainer", publisher="A newspaper", url="https://news.example.com/ps")
    with open_index(tmp_corpus, tmp_path / "index") as kb, Searcher(kb) as searcher:
        hits = searcher.search("what is Protect").hits
    assert hits[0].source.id != "explainer" and hits[0].source.official
    assert "explainer" in [hit.source.id for hit in hits]
