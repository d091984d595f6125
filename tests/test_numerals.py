"""Numbers written in words."""

from __future__ import annotations

import pytest

from contest_kb.numerals import in_figures, other_numeral, share_of, value_of


@pytest.mark.parametrize("words, value", [("seven thousand", 7000), ("five hundred and twenty", 520), ("thirty one", 31),
                                          ("twelve thousand five hundred", 12500), ("two thousand and nineteen", 2019),
                                          ("six and twelve", None), ("one two", None), ("twelve five", None),
                                          ("hundred", None), ("thousand and", None), ("seven people", None)])
def test_the_value_of_number_words(words, value):
    assert value_of(words.split()) == value


def test_numbers_of_several_words_are_written_in_figures_outside_quotes():
    assert in_figures("roughly Seven Thousand referrals a year") == "roughly 7000 referrals a year"
    assert in_figures("thirty-one thousand cases") == "31000 cases"
    assert in_figures('"seven thousand" referrals') == '"seven thousand" referrals'
    # One word, or words that spell no one number, stay as typed.
    assert in_figures("after six and twelve months, one or two") == "after six and twelve months, one or two"


@pytest.mark.parametrize("typed, figures", [("the 7k yearly referrals", "the 7000 yearly referrals"), ("31K cases", "31000 cases"),
                                             ("1.8k referrals", "1800 referrals"), ("2.5 million", "2500000"), ("7 thousand", "7000"),
                                             ("3bn", "3000000000"), ('"7k" as quoted', '"7k" as quoted'), ("7kg", "7kg"), ("v1.2k", "v1.2k")])
def test_a_figure_with_a_scale_is_written_in_full(typed, figures):
    assert in_figures(typed) == figures


def test_a_figure_in_shorthand_finds_the_figure_on_the_page(searcher):
    result = searcher.search("approx share of the 7k referrals handed to other services")
    assert "In around 65% of those 7000 cases" in result.hits[0].passages[0].paragraph.text


def test_a_number_in_words_finds_the_figure_on_the_page(searcher):
    result = searcher.search("roughly seven thousand referrals a year")
    assert "around 7,000 people are referred" in result.hits[0].passages[0].paragraph.text


@pytest.mark.parametrize("word, other", [("twelve", "12"), ("12", "twelve"), ("ninety", "90"), ("one", None), ("1", None),
                                         ("91", None), ("²", None), ("police", None)])
def test_a_number_in_the_other_way_of_writing_it(word, other):
    assert other_numeral(word) == other


@pytest.mark.parametrize("words, share", [("two thirds", 2 / 3), ("a quarter", 0.25), ("three quarters", 0.75), ("a half", 0.5),
                                          ("one in five", 0.2), ("3 out of 4", 0.75), ("nine in ten", 0.9),
                                          ("five thirds", None), ("the third", None), ("one out five", None), ("five in one", None)])
def test_the_share_of_fraction_words(words, share):
    assert share_of(words.split()) == share
    assert share_of(tuple(words.split())) == share  # the planner passes its keys as a tuple
