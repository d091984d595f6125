"""The general English thesaurus: lookups on their own, the planner's use of
it, and what it changes in search (other words and irregular forms meet)."""

from __future__ import annotations

import pytest

from contest_kb.errors import InvalidInput
from contest_kb.query import Planner
from contest_kb.thesaurus import Thesaurus, english


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "thesaurus.tsv"
    lines = ["abroad\t\toverseas|afield", "lock up\t\timprison|jail", "mandatory\t\tcompulsory|required by law", "comply\tcomplied\tfollow\tcompliance",
             "oversaw\toversee|overseen\t", "stop\tstopped\thalt|cease", "zebra\t\tequine"]
    path.write_text("".join(line + "\n" for line in sorted(lines)), encoding="utf-8")
    return Thesaurus(str(path))


def test_lookup_finds_every_entry_by_binary_search_and_misses_cleanly(table):
    assert table.entry("abroad").synonyms == ["overseas", "afield"]
    assert table.entry("zebra").synonyms == ["equine"]  # the last line
    assert table.entry("oversaw").forms == ["oversee", "overseen"]
    assert table.entry("comply").derived == ["compliance"] and table.entry("abroad").derived == []
    for missing in ["aardvark", "lock", "mandator", "zzz", ""]:
        assert table.entry(missing) is None


def test_lookup_reaches_the_base_of_a_regular_inflection(table):
    assert table.lookup("locked up").synonyms == ["imprison", "jail"]
    assert table.lookup("stopping").synonyms == ["halt", "cease"]
    assert table.lookup("stopped").forms == []  # the word itself is not listed among its forms


def test_a_base_ending_in_e_is_the_one_inflected(tmp_path):
    """"Planes" is "plane" + "s", not "plan" + "es": the shorter base would
    bring "planning" and "programme" to a question about aeroplanes."""
    path = tmp_path / "thesaurus.tsv"
    lines = ["hop\thopped\tjump", "hope\thoped\ttrust", "plan\tplanning\tprogramme", "plane\t\taeroplane", "box\t\tcase"]
    path.write_text("".join(line + "\n" for line in sorted(lines)), encoding="utf-8")
    table = Thesaurus(str(path))
    assert table.lookup("planes").synonyms == ["aeroplane"] and table.lookup("planes").forms == []
    assert table.lookup("hoped").synonyms == ["trust"]
    assert table.lookup("boxes").synonyms == ["case"]  # no "boxe": "box" + "es"
    assert table.lookup("plans").synonyms == ["programme"]


def test_a_missing_table_is_no_thesaurus(tmp_path):
    assert Thesaurus(str(tmp_path / "none.tsv")).lookup("abroad") is None


def test_the_shipped_table_knows_everyday_words_and_irregular_forms():
    assert "mandatory" in english().lookup("compulsory").synonyms
    assert "overseen" in english().lookup("oversaw").forms
    assert "overseas" in english().lookup("abroad").synonyms


def test_synonyms_join_a_word_only_when_the_corpus_uses_them(table):
    planner = Planner((), {"compulsory", "programme"}, table)
    kinds = {(leaf.word, leaf.text, leaf.kind) for leaf in planner.plan("is the programme mandatory").leaves}
    assert ("mandatory", "compulsori", "synonym") in kinds
    assert not [leaf for leaf in Planner((), {"programme"}, table).plan("mandatory").leaves if leaf.kind == "synonym"]


def test_a_synonym_of_several_words_is_not_searched(table):
    """It would be a phrase, which costs more than the question on a large
    corpus when its words are common."""
    planner = Planner((), {"compulsory", "required", "by", "law"}, table)
    texts = {leaf.text for leaf in planner.plan("mandatory").leaves if leaf.kind == "synonym"}
    assert texts == {"compulsori"}


def test_a_phrasal_word_brings_its_synonyms(table):
    planner = Planner((), {"imprison", "terrorists"}, table)
    leaves = planner.plan("terrorists locked up").leaves
    assert ("locked", "synonym") in {(leaf.word, leaf.kind) for leaf in leaves}


def test_function_words_do_not_decide_and_alone_are_an_error(table):
    planner = Planner((), set(), table)
    assert {leaf.word for leaf in planner.plan("I'm now being told about Channel").leaves} == {"told", "channel"}
    with pytest.raises(InvalidInput, match="only common words"):
        planner.plan("now being up")


def test_a_light_verb_does_not_decide(searcher):
    """"bring" in "what do the boroughs bring" carries no subject: it put the
    paragraph that says "bring a terrorist attack to an end" before the one
    on what the boroughs contribute."""
    hit = searcher.search("what do the boroughs bring to resilience").hits[0]
    assert hit.passages[0].paragraph.text.startswith("London's boroughs contribute resource and expertise")


def test_an_everyday_word_finds_the_page_that_says_it_otherwise(searcher):
    assert "the DDP is mandatory in certain cases" in searcher.search("which programme is compulsory").hits[0].passages[0].paragraph.text
    hit = searcher.search("is the DDP compulsory").hits[0]
    assert "the DDP is mandatory in certain cases" in hit.passages[0].paragraph.text
    # A synonym ranks, but it is not the word: answerability still says so.
    assert hit.unmatched == ["compulsory"]


def test_a_derived_word_meets_the_page(searcher):
    hit = searcher.search("what if someone on the programme does not comply").hits[0]
    assert "non-compliance could lead to" in hit.passages[0].paragraph.text


def test_an_irregular_form_meets_the_page(searcher):
    hit = searcher.search("Operational Improvement Review oversaw").hits[0]
    assert "overseen by David Anderson" in hit.passages[0].paragraph.text
    assert hit.unmatched == []


def test_an_irregular_form_counts_when_the_pages_hold_its_regular_inflection(tmp_path):
    """"Learnt" finds "learn" where the pages say only "learning"; "rang"
    does not find "range", "ranges" or "ranging", inflections of "range"."""
    path = tmp_path / "thesaurus.tsv"
    path.write_text("learnt\tlearn\t\nrange\t\tscope\nring\trang|rung\t\n", encoding="utf-8")
    planner = Planner((), {"learning", "range", "ranges", "ranging", "pilots"}, Thesaurus(str(path)))
    assert ("learnt", "learn", "form") in {(leaf.word, leaf.text, leaf.kind) for leaf in planner.plan("what the pilots learnt").leaves}
    assert "form" not in {leaf.kind for leaf in planner.plan("ring the pilots").leaves}


def test_an_irregular_form_whose_base_the_pages_inflect_meets_the_page(searcher):
    hit = searcher.search("what the MAC pilots learnt").hits[0]
    assert hit.passages[0].paragraph.text.startswith("The MAC pilots were initially setup")


def test_explain_names_synonym_matches(searcher):
    hit = searcher.search("is the DDP compulsory", explain=True).hits[0]
    assert any(e["word"] == "compulsory" and e["kind"] == "synonym" and e["term"] == "mandatori" for e in hit.explanation)


def test_every_entry_of_a_table_larger_than_a_block_is_found(tmp_path):
    words = sorted(f"w{k:05d}{'x' * (k % 7)}" for k in range(5000))
    path = tmp_path / "big.tsv"
    path.write_text("".join(f"{w}\t\tsyn{w}\n" for w in words), encoding="utf-8")
    table = Thesaurus(str(path))
    assert path.stat().st_size > 4 * 16384
    assert all(table.entry(w).synonyms == [f"syn{w}"] for w in words)
    assert all(table.entry(w + "y") is None for w in words[::97])
    assert table.entry("a") is None and table.entry("zzz") is None
