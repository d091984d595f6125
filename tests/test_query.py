"""Query planning on its own: cleaning, the glossary and the rewritten tree."""

from __future__ import annotations

import pytest
from whoosh import query as Q

from contest_kb.errors import InvalidInput
from contest_kb.query import PHRASE_FORMS, Glossary, Planner, clean_query, key_form, parse, phrase_words
from tests.conftest import REPO

GLOSSARY = [{"terms": ["ISIS", "Daesh", "Islamic State"]}, {"terms": ["MAC", "Multi-Agency Centre"]}]


@pytest.fixture
def planner():
    return Planner(GLOSSARY, {"counter": 3, "terrorism": 5, "counterterrorism": 2})


def test_clean_query_drops_sentence_marks_and_frames():
    assert clean_query("What is the MAC?") == "What is the MAC"
    assert clean_query("What does MAC stand for?") == "What does MAC"
    assert clean_query("what is CTIRU short for") == "what is CTIRU"
    assert clean_query("expand the acronym TPIM").strip() == "TPIM"
    assert clean_query("TPIMs abbreviation") == "TPIMs"
    assert " ".join(clean_query("what do the letters stand for in DDP").split()) == "what do in DDP"
    # Only before an acronym: the full name of a person, or letters sent, are asked about.
    assert clean_query("full name of the minister") == "full name of the minister"
    assert clean_query("letters sent to MI5") == "letters sent to MI5"
    assert clean_query("What does the DDP entail?") == "What does the DDP"
    assert clean_query("what do they look like") == "what do they"
    assert clean_query("what is involved") == "what is involved"
    assert clean_query("65 per cent") == "65 percent"
    assert clean_query("“curly” counter–terrorism") == '"curly" counter-terrorism'
    assert clean_query("Pursue – Prevent") == "Pursue   Prevent"  # a dash standing alone joins nothing


def test_key_form_and_phrase_words():
    assert key_form("Da'esh") == "daesh"
    assert phrase_words("counter-terrorism 65%") == ["counter", "terrorism", "65", "percent"]


def test_glossary_lists_equivalents_both_ways():
    glossary = Glossary(GLOSSARY)
    assert glossary.equivalents(("isis",)) == ["Daesh", "Islamic State"]
    assert glossary.equivalents(("multiagency", "centre")) == ["MAC"]


def test_a_word_finds_the_group_of_a_listed_form_of_it():
    """"arrested" finds the group listing "arrest", without "arrest" itself
    (stemming finds it), and "jail terms" the group listing "jail term"."""
    glossary = Glossary([{"terms": ["arrest", "detain", "nick"], "kind": "related"},
                         {"terms": ["pilot", "pilots", "trial run"]},
                         {"terms": ["penalty", "jail term"], "kind": "related"}])
    # A phrase is searched unstemmed, so "jail term" is searched for "jail terms".
    assert glossary.expansions(("jail", "terms")) == [("penalty", True), ("jail term", True)]
    assert ("jail", "terms") in glossary and ("jail", "time") not in glossary
    assert glossary.expansions(("arrested",)) == [("detain", True), ("nick", True)]
    assert glossary.expansions(("detention",)) == []  # another stem: not a form of "detain"
    assert glossary.equivalents(("pilots",)) == ["trial run"]  # "pilot" is its own form
    assert glossary.equivalents(("arrested",)) == []  # related words are not equivalents


def test_an_abbreviation_is_found_only_as_itself():
    """"use" stems as "US" does and "acts" as "ACT", but neither is the
    abbreviation: no "United States" for "what tech does the Home Office want
    to use". The abbreviation's own forms still find the name."""
    glossary = Glossary([{"terms": ["US", "United States"], "kind": "acronym"},
                         {"terms": ["ACT", "Action Counters Terrorism"], "kind": "acronym"},
                         {"terms": ["TPIM", "TPIMs", "Terrorism Prevention and Investigation Measures"], "kind": "acronym"}])
    assert glossary.expansions(("use",)) == [] and ("use",) not in glossary
    assert glossary.expansions(("acts",)) == [] and ("acts",) not in glossary
    assert glossary.equivalents(("act",)) == ["Action Counters Terrorism"]
    assert glossary.equivalents(("tpims",)) == ["Terrorism Prevention and Investigation Measures"]


def test_use_is_not_searched_as_the_united_states(searcher):
    plan = searcher.planner.plan("what tech does the Home Office want to use against terror")
    assert "united" not in repr(plan.query)


def test_related_words_rank_but_do_not_match_and_need_a_plain_question():
    glossary = [{"terms": ["arrest", "nick"], "kind": "related"}]
    planner = Planner(glossary, {"arrest", "police", "nick"})
    plan = planner.plan("how many people did the police nick")
    related = [leaf for leaf in plan.leaves if leaf.kind == "related"]
    assert related and all(leaf.word == "nick" for leaf in related)
    assert not [leaf for leaf in planner.plan("police AND nick").leaves if leaf.kind == "related"]
    quoted = Planner([{"terms": ["members of the public", "citizens"], "kind": "related"}]).plan('"members of the public"')
    assert [leaf.kind for leaf in quoted.leaves] == ["phrase"]
    # A related word the corpus never uses, in any form, is not searched.
    counts = {("body", "polic"): 3, ("body", "nick"): 1, ("body", "arrest"): 2}
    used = Planner(glossary, {"police", "nick"}, frequency=lambda field, text: counts.get((field, text), 0))
    assert [leaf.text for leaf in used.plan("police nick").leaves if leaf.kind == "related"] == ["arrest"]
    del counts[("body", "arrest")]
    assert not [leaf for leaf in used.plan("police nick").leaves if leaf.kind == "related"]


def test_a_word_becomes_exact_stemmed_heading_and_expansion_terms(planner):
    plan = planner.plan("ISIS")
    kinds = {(leaf.field, leaf.kind) for leaf in plan.leaves}
    assert {("plain", "exact"), ("body", "exact"), ("heading", "exact"), ("plain", "expansion")} <= kinds
    heading = next(leaf.query for leaf in plan.leaves if leaf.field == "heading" and leaf.kind == "exact")
    exact = next(leaf.query for leaf in plan.leaves if leaf.field == "plain" and leaf.kind == "exact")
    expansion = next(leaf.query for leaf in plan.leaves if leaf.kind == "expansion")
    assert heading.boost > exact.boost > expansion.boost


def test_an_acronym_spelled_out_is_also_looked_for_in_headings():
    """"MAC" finds the paragraphs under a heading naming the Multi-Agency
    Centre and not the MAC (its words together, as the heading keeps no
    positions), at an expansion's weight; a word's own parts are no second
    look-up."""
    planner = Planner([{"terms": ["MAC", "Multi-Agency Centre"]}, {"terms": ["multi-agency", "multi agency"]},
                       {"terms": ["DDP", "Desistance and Disengagement Programme", "Desistence and Disengagement Programme"]}])
    heading = [leaf for leaf in planner.plan("MAC").leaves if leaf.field == "heading" and leaf.kind == "expansion"]
    assert [leaf.text for leaf in heading] == ["multi agenc centr"]
    # Not where the heading names it "MAC" too: that heading counts the word typed.
    assert heading[0].query == Q.AndNot(Q.And([Q.Term("heading", s) for s in ("multi", "agenc", "centr")], boost=0.5 * 2.5 / 3),
                                        Q.And([Q.Term("heading", "mac")]))
    assert not [leaf for leaf in planner.plan("multi-agency").leaves if leaf.field == "heading" and leaf.kind == "expansion"]
    ddp = [leaf for leaf in planner.plan("DDP").leaves if leaf.field == "heading" and leaf.kind == "expansion"]
    assert len(ddp) == 1  # two spellings of the name, one look-up


def test_filters_leave_the_tree_and_operators_stay(planner):
    plan = planner.plan("police ANDNOT Channel strand:prevent source:ctp-prevent")
    assert plan.filters == {"strand": ["prevent"], "source": ["ctp-prevent"]}
    assert isinstance(plan.query, Q.AndNot) or any(isinstance(q, Q.AndNot) for q in plan.query.children())


def test_wildcards_and_phrases_go_to_the_unstemmed_field(planner):
    plan = planner.plan('radicali* "far right"')
    assert {(leaf.field, leaf.kind) for leaf in plan.leaves} == {("plain", "wildcard"), ("plain", "phrase")}


@pytest.mark.parametrize("text", ["police *", "who * police", "what do the police do ?"])
def test_a_wildcard_standing_alone_is_dropped(planner, text):
    """Alone, "*" matches every word: "police *" would find every passage."""
    plan = planner.plan(text)
    assert not isinstance(plan.query, Q.Every) and "police" in plan.plain_terms
    assert not [leaf for leaf in plan.leaves if leaf.kind == "wildcard"]


@pytest.mark.parametrize("text", ["*", "? *"])
def test_wildcards_alone_are_still_an_error(planner, text):
    with pytest.raises(InvalidInput, match="no words"):
        planner.plan(text)


def test_a_quoted_phrase_also_finds_the_forms_the_pages_use():
    """Quotes keep words together: "subject of interest" also finds the
    pages' "subjects of interest", below the phrase as typed; with AND or
    NOT the phrase is searched as typed only."""
    planner = Planner(GLOSSARY, {"subject": 1, "subjects": 4, "of": 9, "interest": 3, "mac": 2})
    phrases = {leaf.text: leaf.query.boost for leaf in planner.plan('who counts as a "subject of interest"').leaves if leaf.kind == "phrase"}
    assert phrases["subjects of interest"] < phrases["subject of interest"] == 1.0
    strict = planner.plan('"subject of interest" AND MAC').leaves
    assert [leaf.text for leaf in strict if leaf.kind == "phrase"] == ["subject of interest"]


def test_a_long_quoted_phrase_searches_a_few_of_its_forms():
    words = [f"word{chr(97 + k % 26)}{chr(97 + k // 26)}" for k in range(40)]
    vocabulary = {w: 1 for w in words} | {w + "s": 1 for w in words} | {w + "ed": 1 for w in words}
    plan = Planner(GLOSSARY, vocabulary).plan('"' + " ".join(words) + '"')
    phrases = [leaf for leaf in plan.leaves if leaf.kind == "phrase"]
    assert len(phrases) == 1 + PHRASE_FORMS


US_GLOSSARY = [{"kind": "acronym", "terms": ["US", "United States", "USA"]}]


def test_a_stop_word_typed_as_an_acronym_is_searched_spelled_out():
    """"US" lower-cased is the stop word "us": typed in capitals, it is
    searched as the glossary spells it out, and never as "us"."""
    planner = Planner(US_GLOSSARY, {"united": 2, "states": 2, "usa": 1, "trip": 1})
    plan = planner.plan("where did he go in the US")
    assert "united states" in plan.plain_terms and "us" not in plan.plain_terms
    assert [kind for _, _, kind in plan.typed_words] == ["name", "name"]  # key terms an answer must hold
    assert "us" not in planner.plan("United States trip").plain_terms
    for lower in ("tell us about the trip", "TELL US ABOUT THE TRIP"):
        assert "united states" not in planner.plan(lower).plain_terms


def test_words_written_joined_in_the_corpus_are_joined(planner):
    plan = planner.plan("counter terrorism")
    assert any(leaf.kind == "joined" and leaf.text == "counterterrorism" for leaf in plan.leaves)
    assert len(plan.units) == 1  # the two words count as one for coverage
    members, term = plan.units[0].parts()
    assert [[q.text for q in member if isinstance(q, Q.Term) and q.fieldname == "plain"] for member in members] == [["counter"], ["terrorism"]]
    assert "counterterrorism" in {q.text for q in term if isinstance(q, Q.Term)}


def test_a_hyphened_word_with_a_bound_prefix_also_finds_the_word_it_binds(planner):
    """"Ex-offender" names an offender: "offend" is looked for in the text as a
    related word (found, it does not match the word typed); "anti-terror"
    does not look for "terror", which every page holds."""
    related = {(leaf.word, leaf.text) for leaf in planner.plan("ex-offender support").leaves if leaf.kind == "related"}
    assert ("ex-offender", "offend") in related
    anti = {(leaf.text, leaf.kind) for leaf in planner.plan("anti-terror hotline").leaves}
    assert ("terror", "related") not in anti
    assert not [leaf for leaf in planner.plan("ex-offender AND support").leaves if leaf.kind == "related"]


def test_a_compound_the_pages_do_not_know_is_reached_through_its_last_word(searcher):
    """"Binge-watching" is a kind of watching: the pages hold neither it nor
    "binge", so "watching"'s equivalents ("view") are looked for, as related
    words. "MI5-police" is left alone: the pages know "MI5"."""
    planner = searcher.planner
    related = {(leaf.word, leaf.text) for leaf in planner.plan("binge-watching extremist content").leaves if leaf.kind == "related"}
    assert ("binge-watching", "view") in related
    assert not [leaf for leaf in planner.plan("joint MI5-police working").leaves if leaf.text == "polic" and leaf.kind == "related"]
    assert not [leaf for leaf in planner.plan("binge-watching AND content").leaves if leaf.kind == "related"]


def test_a_compound_the_pages_do_not_know_brings_the_passage_on_its_last_word(searcher):
    text = searcher.search("binge-watching jihadi clips, against the law?").hits[0].passages[0].paragraph.text
    assert "repeatedly view streamed video content online" in text


@pytest.mark.parametrize("question, answer", [("ex-offenders on licence", "offenders on probation licence"),
                                              ("support for ex-prisoners", "Support could include mentoring")])
def test_a_hyphened_word_with_a_bound_prefix_brings_the_passage_on_what_it_binds(searcher, question, answer):
    assert answer in searcher.search(question).hits[0].passages[0].paragraph.text


@pytest.mark.parametrize("text, words", [("", "empty"), ("?!", "no words"), ("what is the", "common words"),
                                         ("bad \udcff byte", "not UTF-8")])
def test_queries_with_nothing_to_search_are_errors(planner, text, words):
    with pytest.raises(InvalidInput, match=words):
        planner.plan(text)


def test_an_error_repeats_a_long_query_clipped(planner):
    """A message is one short line, however long the query it names."""
    for text in ("? " * 5000, "the " * 5000):
        with pytest.raises(InvalidInput) as caught:
            planner.plan(text)
        assert len(str(caught.value)) < 300 and "…" in str(caught.value)


def test_a_long_run_of_letters_is_not_read_as_two_joined_words():
    """"counterterrorism" is looked up as "counter terrorism" at every cut; a
    run of letters longer than any two words is not (a look-up at each of
    its thousands of cuts made a search of one long word take seconds)."""

    class Counted(dict):
        lookups = 0

        def __contains__(self, word):
            Counted.lookups += 1
            return dict.__contains__(self, word)

    vocabulary = Counted(counter=3, terrorism=5)
    Planner(GLOSSARY, vocabulary).plan("x" * 5000)
    assert Counted.lookups < 50
    assert any(leaf.kind == "split" for leaf in Planner(GLOSSARY, vocabulary).plan("counterterrorism").leaves)


def test_control_characters_are_dropped(planner):
    plan = planner.plan("police\x1b[31m\x00")
    assert "\x1b" not in plan.cleaned and "\x00" not in plan.cleaned


def test_a_term_repeated_by_expansions_is_searched_once():
    """"ISIS Daesh" expands each word to the other: each term is matched once."""
    plan = Planner(GLOSSARY, {"isis", "daesh"}).plan("ISIS Daesh Islamic State")
    leaves = [(type(q).__name__, q.fieldname, str(getattr(q, "text", getattr(q, "words", ""))), q.boost) for q in plan.query.leaves()]
    assert len(leaves) == len(set(leaves)) and len(plan.leaves) > len(leaves)



def _tree(query):
    return [(repr(node), getattr(node, "startchar", None), getattr(node, "endchar", None)) for node in [query, *query.children()]]


_ODD_QUESTIONS = ["7,000 referrals 65% Da’esh counter-terrorism", "prevent prevent Channel", "Channel", "NOT Channel", "a AND b",
                  "x TO y", "  spaced \t words  ", "ÉCOLE Straße İstanbul", "don't stop", "x-y-z 1.5 2,5", "'quoted' word",
                  '"a phrase" here', "radicali* Channel", "heading:prepare", "(Channel OR mentor)^3", "strand:prevent referrals"]


def test_a_question_parses_as_whooshs_parser_parses_it():
    """Plain questions skip Whoosh's parser; every question must still give
    exactly the parser's tree, with the same character spans, once the stop
    words met again (kept in place by parse) are left out."""
    from contest_kb.query import _parser
    from contest_kb.relevance import load_questions

    questions = [q.query for name in ("relevance", "relevance-styles", "relevance-fresh", "relevance-unseen")
                 for q in load_questions(REPO / "benchmarks" / f"{name}.toml")]
    for question in questions + _ODD_QUESTIONS:
        cleaned = clean_query(question)
        assert _tree(_first_of_each(parse(cleaned))) == _tree(_parser().parse(cleaned)), question


def _first_of_each(query):
    """QUERY without the stop words met again (the parser keeps the first of
    each word; parse keeps a stop word in each of its places)."""
    if not isinstance(query, Q.Or):
        return query
    seen, kept = set(), []
    for term in query.subqueries:
        if term not in seen:
            seen.add(term)
            kept.append(term)
    return Q.Or(kept) if len(kept) > 1 else kept[0]


def test_a_stop_word_met_again_keeps_its_place_so_terms_holding_it_are_found(searcher):
    """"The role of members of the public": the second "of" and "the" are
    where the glossary term needs them (the parser would keep only the first)."""
    assert [str(t.text) for t in parse("the role of members of the public").subqueries] == [
        "the", "role", "of", "members", "of", "the", "public"]
    assert parse("threat the threat") == Q.Or([Q.Term("q", "threat"), Q.Term("q", "the")])  # a searched word once
    leaves = searcher.search("what is the role of members of the public").plan.leaves
    assert ("members of the public", "members of the public") in {(leaf.word, leaf.text) for leaf in leaves}


def test_a_plain_question_does_not_need_whooshs_parser(monkeypatch):
    from contest_kb import query as query_module

    def refuse():
        raise AssertionError("the parser was asked")

    monkeypatch.setattr(query_module, "_parser", refuse)
    assert _tree(query_module.parse("how many people are referred to Prevent each year"))[1][0] == "Term('q', 'how')"
    with pytest.raises(AssertionError):
        query_module.parse('"a phrase"')


def test_a_glossary_term_holding_stop_words_is_found_in_a_question():
    """"members of the public" and "Desistance and Disengagement Programme"
    hold words that are not searched; the question still names the term."""
    glossary = [{"terms": ["members of the public", "citizens"], "kind": "related"},
                {"terms": ["DDP", "Desistance and Disengagement Programme"]}]
    planner = Planner(glossary)
    plan = planner.plan("how many members of the public called")
    assert [(leaf.field, leaf.text) for leaf in plan.leaves if leaf.kind == "related"] == [("body", "citizen")]
    assert len(plan.units) == 2  # "members of the public" and "called"
    plan = planner.plan("what is the Desistance and Disengagement Programme")
    assert "ddp" in {leaf.text for leaf in plan.leaves if leaf.kind == "expansion"}


def test_a_glossary_term_of_stop_words_alone_is_a_concept_of_its_own():
    """"take down" holds no searched word; it is still looked for, with its
    group's terms, and counts as one of the question's units."""
    planner = Planner([{"terms": ["remove", "take down"], "kind": "related"}])
    plan = planner.plan("should platforms take down terror videos")
    assert ("take down", "remov") in {(leaf.word, leaf.text) for leaf in plan.leaves if leaf.kind == "related"}
    assert len(plan.units) == 4  # "platforms", "terror", "videos" and "take down"
    assert len(planner.plan("should platforms take terror videos").units) == 3


def test_a_glossary_term_of_stop_words_alone_brings_its_passage(searcher):
    text = searcher.search("do they take down extremist stuff on social media").hits[0].passages[0].paragraph.text
    assert "remove it when it appears" in text


def test_a_glossary_prepared_with_the_index_is_the_same_glossary():
    """The index keeps each term's key, stems and words, so that a search
    does not stem the whole glossary at start; the tables are the same."""
    import json

    from contest_kb.corpus import read_glossary

    groups = read_glossary(str(REPO / "corpus"))
    prepared = json.loads(json.dumps(Glossary.prepared(groups)))
    assert all("stems" in g for g in prepared)
    fresh, kept = Glossary(groups), Glossary(prepared)
    assert (kept.words, kept.by_stems, kept.by_abbreviation, kept.related, kept.longest, kept.scope) == (
        fresh.words, fresh.by_stems, fresh.by_abbreviation, fresh.related, fresh.longest, fresh.scope)
    assert kept.names_of(("counter", "terrorism", "policing")) == fresh.names_of(("counter", "terrorism", "policing")) != []
    equivalents = len([g for g in groups if g["kind"] not in ("scope", "publisher")])
    assert [kept.group(k) for k in range(equivalents)] == [fresh.group(k) for k in range(equivalents)]


def test_related_words_of_one_stem_are_searched_once():
    planner = Planner([{"terms": ["penalty", "sentence", "sentencing", "jail term"], "kind": "related"}])
    texts = [leaf.text for leaf in planner.plan("tougher jail terms").leaves if leaf.kind == "related"]
    assert texts.count("sentenc") == 1 and "penalti" in texts


def test_the_words_of_a_term_found_in_a_question_weigh_less_on_their_own():
    """In "ordinary people" the term says what is asked: "people" alone (in a
    heading, say) must not outweigh it, so its own terms weigh half."""
    planner = Planner([{"terms": ["ordinary people", "the public"], "kind": "related"}])

    def boosts(text: str, word: str) -> set[float]:
        return {leaf.query.boost for leaf in planner.plan(text).leaves if leaf.word == word and leaf.kind == "exact"}

    assert boosts("can people help", "people") == {1.0, 2.5}  # text, and heading
    assert boosts("can ordinary people help", "people") == {0.5, 1.25}
    assert boosts("can ordinary people help", "help") == {1.0, 2.5}


def test_words_side_by_side_in_a_question_are_looked_for_together(planner):
    """Each two searched words next to each other, skipping the words not
    searched, give phrases that allow a word between them on the page, in
    each form the question's word stands for (here the spelled-out MAC)."""
    near = set(planner.plan("where were the MAC pilots run").near)
    assert ("mac pilots", (("mac",), ("pilots",)), 2) in near
    assert ("mac pilots", (("multi",), ("agency",), ("centre",), ("pilots",)), 2) in near
    assert all(words in ("mac pilots", "pilots run") for words, _, _ in near)
    assert planner.plan("MI5").near == []


def test_a_word_near_another_may_take_any_of_its_forms_the_pages_use():
    """A slot holds the word's forms that share its stem and that the pages
    use ("attacks", "attacked"), not those they do not ("attacking")."""
    planner = Planner([], {"terrorist", "attack", "attacks", "attacked", "attacker"})
    assert planner.inflections("attack") == ["attacks", "attacked"]
    assert planner.inflections("attacks") == ["attack", "attacked"]
    (near,) = planner.plan("terrorist attack").near
    assert near.slots == (("terrorist",), ("attack", "attacks", "attacked"))


def test_a_number_from_two_to_ninety_is_searched_in_words_and_in_figures(planner):
    def figures(question):
        return {leaf.text for leaf in planner.plan(question).leaves if leaf.kind == "figure" and leaf.field == "plain"}

    assert figures("reviewed after twelve months") == {"12"}
    assert figures("reviewed after 12 months") == {"twelve"}
    assert figures("one in five") == {"5"} and figures("100 officers") == set()
    plan = planner.plan("seven thousand referrals")
    assert ("7000", "7000", "figure") in plan.typed_words


def test_a_question_in_capitals_has_no_acronyms_or_names(planner):
    """Its capitals say nothing of its words: "AIMS" is no acronym to match."""
    assert [kind for _, _, kind in planner.plan("WHAT ARE THE AIMS OF ISIS").typed_words] == ["", ""]
    assert [kind for _, _, kind in planner.plan("what are the aims of ISIS").typed_words] == ["", "acronym"]
    assert [kind for _, _, kind in planner.plan("ISIS").typed_words] == ["acronym"]


def test_a_question_in_title_case_has_acronyms_but_no_names(planner):
    """Every word capitalised says nothing of names: "How Many Terrorism
    Arrests Are Made Every Year" made "Arrests" and "Made" names that an
    answer must hold, so it was reported as not answered."""
    kinds = [kind for _, _, kind in planner.plan("How Many Terrorism Arrests Are Made By CTP").typed_words]
    assert kinds == ["", "", "", "acronym"]
    assert [kind for _, _, kind in planner.plan("Who Runs MI5").typed_words] == ["", "acronym"]
    # A name of several words, or a capital in a question not in title case, is a name.
    assert [kind for _, _, kind in planner.plan("Counter Terrorism Policing").typed_words] == ["", "name", "name"]
    assert [kind for _, _, kind in planner.plan("what did Sajid Javid say").typed_words][:2] == ["name", "name"]


def test_a_share_in_words_is_also_found_as_the_percentages_near_it_on_the_pages():
    """"Two thirds" finds a page's "65%" (as "65 percent", the words its
    analyser gives), as a related word: ranked, but not a match of the
    question's own words; percentages the pages do not hold are not searched."""
    on_pages = {("65", "percent"), ("75", "percent")}
    planner = Planner(holds_phrase=lambda words: words in on_pages)
    related = {(leaf.word, leaf.text) for leaf in planner.plan("do two thirds of referrals go elsewhere").leaves if leaf.kind == "related"}
    assert related == {("two thirds", "65 percent")}
    assert len(planner.plan("two thirds of referrals").units) == 2  # "two thirds" is one thing asked
    assert not [leaf for leaf in planner.plan("a tenth of referrals").leaves if leaf.kind == "related"]
    assert not [leaf for leaf in planner.plan("two thirds OR referrals NOT arrests").leaves if leaf.kind == "related"]


def test_a_question_placed_in_what_every_page_is_about_asks_without_it():
    """The glossary's [[scope]] names what every page is about. "What is the
    role of the police in CONTEST" searched CONTEST, an acronym counting
    twice, and ranked passages naming the strategy above the answer: the
    sets' questions with " in CONTEST" after them fell from 0.870 to 0.687
    at rank 1. Placed in it ("in", "under", "as part of"), its words are
    dropped; as the subject, in quotes or alone they are searched, and a
    scope term is no group of equivalents."""
    scope = [{"terms": ["CONTEST", "CONTEST strategy", "counter-terrorism strategy", "strategy"], "kind": "scope"}]
    planner = Planner(GLOSSARY + scope, {"contest": 3, "police": 5, "role": 2, "prevent": 4})
    assert planner.plan("what is the role of the police in CONTEST?").cleaned == "what is the role of the police"
    for placed in ("Prevent under the UK's counter terrorism strategy", "Prevent as part of our counterterrorism strategy",
                   "Prevent within the CONTEST strategy"):
        assert planner.plan(placed).cleaned == "Prevent", placed
    for kept in ("when was CONTEST published", "what is the CONTEST strategy", 'Prevent "in CONTEST"', "in CONTEST",
                 "the four strands of CONTEST", "Prevent in CONTESTS"):
        assert planner.plan(kept).cleaned == kept, kept
    assert planner.glossary.expansions(("contest",)) == []
    assert Planner(GLOSSARY).plan("police in CONTEST").cleaned == "police in CONTEST"
