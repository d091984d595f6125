"""Analysis on its own: how words are normalised, stemmed and located."""

from __future__ import annotations

import re

import pytest

from contest_kb.analysis import TOKEN_PATTERN, british, is_stop_word, normalise_word, plain_terms, spans, stem_word, stemmed_terms


@pytest.mark.parametrize(
    "word, forms",
    [
        ("7,000", ["7000"]),  # thousands separators folded
        ("31,000", ["31000"]),
        ("1,234,567", ["1234567"]),
        ("65%", ["65", "percent"]),
        ("2.5", ["2.5"]),  # decimals kept
        ("2018", ["2018"]),  # years kept
        ("Da'esh", ["daesh"]),
        ("Government's", ["government"]),
        ("counter-terrorism", ["counterterrorism", "counter", "terrorism"]),
    ],
)
def test_normalise_word(word, forms):
    assert normalise_word(word) == forms


def test_numbers_written_either_way_meet():
    assert plain_terms("around 7,000 people") == plain_terms("around 7000 people")
    assert plain_terms("65 per cent") == plain_terms("65%")


def test_compounds_are_indexed_joined_and_split():
    assert plain_terms("counter-terrorism") == ["counterterrorism", "counter", "terrorism"]
    assert "counterterrorism" in plain_terms("counterterrorism")


@pytest.mark.parametrize("american, british_form", [("radicalization", "radicalisation"), ("organize", "organise"),
                                                     ("analyzed", "analysed"), ("organizations", "organisations")])
def test_american_spellings_become_british_before_stemming(american, british_form):
    assert british(american) == british_form
    assert stemmed_terms(american) == stemmed_terms(british_form)


@pytest.mark.parametrize("american, british_form", [("center", "centre"), ("defense", "defence"), ("program", "programme"),
                                                     ("behavior", "behaviour"), ("offenses", "offences")])
def test_american_spellings_of_a_word_list_become_british(american, british_form):
    assert british(american) == british_form
    assert stem_word(american) == stem_word(british_form)


def test_an_american_spelling_that_is_a_british_word_of_another_sense_is_kept():
    assert british("draft") == "draft" and british("tire") == "tire"


def test_short_words_ending_in_ize_are_left_alone():
    assert british("size") == "size" and british("prize") == "prize"


def test_agents_meet_isms():
    assert stemmed_terms("terrorist") == stemmed_terms("terrorism")
    assert stemmed_terms("extremist") == stemmed_terms("extremism")


def test_stop_words_have_no_stem():
    assert is_stop_word("the") and stem_word("the") is None
    assert stem_word("referrals") == stemmed_terms("referrals")[0]


def test_spans_locate_words_in_the_original_text():
    text = "Counter-terrorism: 7,000 people"
    found = spans(text)
    assert [(text[a:b], term) for a, b, term, _ in found] == [("Counter-terrorism", "counterterrorism"), ("7,000", "7000"), ("people", "people")]


def test_a_passages_terms_are_the_analyzers_terms(corpus):
    """The fast path that matches answers against passages gives exactly what
    the index's analyzers give: its unstemmed terms, and which stems it holds."""
    from contest_kb.analysis import PassageTerms, plain_terms, stemmed_terms

    texts = [p.text for s in corpus.sections for p in s.paragraphs]
    texts += ["65 per cent of 7,000", "per capita per", "counter‑terrorism – Da’esh’s people’s", "per", "per per cent",
              "radicalization organizations 65%", "the and of", "Per Cent PER", "", "Café’s naïve ＣＯＮＴＥＳＴ Ｐｒｅｖｅｎｔ"]
    every_stem = {stem for text in texts for stem in stemmed_terms(text)}
    for text in texts:
        terms = PassageTerms(text)
        assert terms.plain == frozenset(plain_terms(text)), text
        held = set(stemmed_terms(text))
        assert {stem for stem in every_stem if terms.has_stem(stem)} == held, text


def test_a_words_stem_is_the_stemmed_analyzers_term(corpus):
    """stem_word's direct path for plain words gives what the index's analyzer
    gives, for every word of the corpus and of the thesaurus."""
    from contest_kb.analysis import normalise_word, stemmed_terms
    from contest_kb.thesaurus import PATH

    with open(PATH, encoding="utf-8") as table:
        words = {line.split("\t", 1)[0] for line in table}
    words |= {w for s in corpus.sections for p in s.paragraphs for w in p.text.split()}
    words |= {"terrorist", "extremists", "organize", "radicalization", "the", "per", "cent", "analyze", "specialist"}
    forms = {f for w in words for f in normalise_word(w) if f} if words else set()
    assert len(forms) > 10000
    for form in forms:
        stem = stem_word(form)
        assert stem == next(iter(stemmed_terms(form)), None), form
        # PassageTerms looks a stem up among a passage's words of its first letter.
        assert stem is None or not re.fullmatch(TOKEN_PATTERN, form) or stem[:1] == form[:1], form


def test_how_often_is_a_frame_like_how_many():
    from contest_kb.analysis import is_searched

    assert not is_searched("often") and not is_searched("many") and is_searched("hotline")


def test_become_links_like_be_and_is_not_searched():
    """"will watching videos online become illegal": "become" in the heading
    "Prevent: to stop people becoming terrorists" decided the answer."""
    from contest_kb.analysis import is_searched

    assert not any(is_searched(w) for w in ("become", "becomes", "became", "becoming"))
    assert is_searched("illegal")


def test_happen_frames_a_question_and_is_not_searched():
    """"where did the 2017 attacks happen": "happen" names no subject, and
    the one paragraph saying "when they happen" outranked the attacks."""
    from contest_kb.analysis import is_searched

    assert not any(is_searched(w) for w in ("happen", "happens", "happened", "happening"))
    assert is_searched("attacks")


def test_words_that_only_colour_a_question_are_not_searched(searcher):
    """"what is CONTEST actually made up of": "actually" is no word an
    answer holds, so it is not a key term reported unmatched."""
    from contest_kb.analysis import is_searched

    assert not any(is_searched(w) for w in ("actually", "really", "honestly", "basically", "roughly"))
    assert is_searched("consist")
    assert searcher.search("what is CONTEST actually made up of").key_terms == ["contest", "made"]
    # Apologies and asides are no words an answer holds either.
    asked = searcher.search("sorry if this is a silly question, but what is Prevent")
    assert asked.key_terms == ["prevent"] and asked.answered
    # "Ways the public can help" asks how; the page need not say "ways".
    assert not is_searched("ways")
    # Modal verbs frame a question as "can" and "should" do.
    assert not any(is_searched(w) for w in ("could", "would", "might", "shall"))
    assert searcher.search("if an attack could not be stopped, what would the aim be").key_terms == ["stopped", "aim"]


def test_indefinite_pronouns_and_things_are_not_searched(searcher):
    """"Can someone explain what happens to stuff reported online": a rambling
    question's "someone" and "stuff" name nothing an answer holds."""
    from contest_kb.analysis import is_searched

    assert not any(is_searched(w) for w in ("someone", "something", "anyone", "anything", "stuff", "thing", "things"))
    assert is_searched("everyone")  # "everyone has a part to play" says who
    # Nor are the words of a conversation around a question.
    assert not any(is_searched(w) for w in ("wondering", "curious", "heard", "hearing", "thanks", "hi", "pls"))
    # Nor the imperatives that ask for a list, a name or an example.
    assert not any(is_searched(w) for w in ("name", "list", "summarise", "example", "examples", "give"))
    key_terms = searcher.search("can someone explain what happens to stuff reported online").key_terms
    assert "someone" not in key_terms and "stuff" not in key_terms


def test_ones_standing_for_a_noun_said_before_is_not_searched(searcher):
    """"Closed cases or current ones": "ones" stands for a noun the question
    has said; searched, it stemmed as "on" and found WordNet's "single"."""
    from contest_kb.analysis import is_searched

    assert not is_searched("ones") and is_searched("one")
    plan = searcher.planner.plan("MAC: investigations being wound up vs long-closed ones")
    assert not {"ones", "on", "singl"} & {leaf.word for leaf in plan.leaves}


def test_every_british_spelling_keeps_the_words_first_letter():
    # PassageTerms finds a passage's stems among its words of the same first letter.
    from contest_kb.analysis import _spellings

    assert all(uk[:1] == us[:1] for us, uk in _spellings().items())


@pytest.mark.parametrize("forms", [("operate", "operates", "operating", "operated", "operation"),
                                   ("stop", "stops", "stopped", "stopping"), ("hope", "hoping", "hoped"),
                                   ("refer", "referred", "referral"), ("investigate", "investigated", "investigating", "investigation")])
def test_the_forms_of_a_word_share_its_stem(forms):
    """Whoosh's Porter stemmer left "operating" as "operat" beside "operates"
    as "oper", and "stopped" as "stopp": a question's form of a word missed
    the page's."""
    from contest_kb.analysis import stem_word, stemmed_terms

    assert len({stem_word(w) for w in forms}) == 1
    assert len({stemmed_terms(w)[0] for w in forms}) == 1


def test_a_question_meets_the_page_in_another_form_of_its_word(searcher):
    top = searcher.search("how is the MAC operating today").hits[0].passages[0].paragraph.text
    assert top.startswith("MAC now operates centrally")


def test_a_long_run_of_one_letter_stems_without_recursion():
    """Porter's consonant test looks back along a run of y's: counted, so a
    hostile word of thousands of y's stems like any other."""
    from contest_kb.analysis import stem_word, stemmed_terms

    assert stem_word("b" + "y" * 5000 + "ing")
    assert stemmed_terms("x" + "y" * 5000 + "ed")
