"""Spelling suggestions never respell a real word; a misspelt word is also
looked for as respelled, as a ranking aid that never counts as a match, and
the respelled query is run in place of the typed one only when that finds
nothing."""

from __future__ import annotations

import pytest
from whoosh import query as Q


@pytest.mark.parametrize(
    "query",
    ["hate crime", "Leeds", "jailed terrorists", "banned groups", "far right", "Director General",
     "kids online", "compulsory", "abroad", "oversaw", "MI6 officers", "Prevent in 2031", "ISIS", "Daesh", "Qwertyville council"],
)
def test_real_words_names_numbers_and_glossary_terms_are_not_respelled(searcher, query):
    result = searcher.search(query)
    assert result.suggestion is None, result.suggestion
    assert not result.corrected


def test_an_unknown_word_is_respelled_from_the_corpus(searcher):
    result = searcher.search("refferals")
    assert result.suggestion == "referrals" and result.corrected and result.total


def test_the_respelled_query_runs_only_when_the_typed_one_finds_nothing(searcher):
    result = searcher.search("Channel refferals")
    assert result.suggestion == "Channel referrals"
    assert not result.corrected and result.total  # "Channel" alone finds results: only suggested
    assert result.plan.text == "Channel refferals"


DELIVERED = "The programme is delivered in conjunction with"
MISSPELT = "who deilvers the Desistance and Disengagement Programme"


def test_a_misspelt_word_ranks_as_respelled_but_stays_unmatched(searcher):
    result = searcher.search(MISSPELT)
    assert result.suggestion == "who delivers the Desistance and Disengagement Programme" and not result.corrected
    assert result.hits[0].passages[0].paragraph.text.startswith(DELIVERED)
    assert "deilvers" in result.hits[0].unmatched  # a ranking aid, never a match
    kinds = {leaf.kind for leaf in result.plan.leaves if leaf.word == "deilvers"}
    assert kinds == {"exact", "respelled"}


def test_without_correction_a_misspelt_word_is_searched_as_typed(searcher):
    result = searcher.search(MISSPELT, correct=False)
    assert not any(leaf.kind == "respelled" for leaf in result.plan.leaves)
    assert not result.hits[0].passages[0].paragraph.text.startswith(DELIVERED)


def test_a_query_with_operators_is_not_respelled_as_a_ranking_aid(searcher):
    plan = searcher.planner.plan("deilvers AND programme")
    assert not any(leaf.kind == "respelled" for leaf in plan.leaves)


def test_cli_no_correct_turns_the_respelled_ranking_off(run):
    for flags, respelled in (((), True), (("--no-correct",), False)):
        result = run("search", MISSPELT, "--format", "json", "--explain", "--limit", "1", *flags)
        assert result.exit_code == 0
        assert ('"kind": "respelled"' in result.stdout) is respelled


def test_operators_survive_a_respelling(searcher):
    result = searcher.search("refferals ANDNOT Channel")
    assert result.suggestion == "referrals ANDNOT Channel"
    assert result.corrected and isinstance(result.plan.query, Q.AndNot)


def test_capitalisation_of_the_first_word_is_kept(searcher):
    assert searcher.search("Refferals").suggestion == "Referrals"


def test_a_question_typed_in_capitals_is_respelled_in_capitals(searcher):
    """All in capitals, a word is not taken for a name that must not be
    respelled; a lone word in capitals still is (an acronym)."""
    assert searcher.search("WHAT ARE THE AIMS OF PREVNET").suggestion == "WHAT ARE THE AIMS OF PREVENT"
    assert searcher.search("PREVNET").suggestion is None


def test_cli_reports_a_suggestion_without_running_it(run):
    result = run("search", "Channel", "refferals", "--format", "json")
    assert result.exit_code == 0
    assert "did you mean 'Channel referrals'?" in result.stderr
