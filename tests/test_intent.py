"""What a question asks for beyond its words: definitions of bare terms, and
dates, names and places for when, who and where."""

from __future__ import annotations

import pytest
from whoosh import query as Q

from contest_kb import store
from contest_kb.intent import DEFINITION_PREFERENCE, Intent, features, intent_of


def test_a_bare_acronym_prefers_the_paragraph_that_spells_it_out():
    intent = intent_of("CTIRU", ["CTIRU"])
    assert intent.defines == "CTIRU"
    assert intent.factor("The UK’s Counter Terrorism Internet Referral Unit (CTIRU) works to identify") > 1
    assert intent.factor("2024 saw over 11,000 referrals to the CTIRU.") == 1


@pytest.mark.parametrize("question, term", [("Multi-Agency Centre", "Multi-Agency Centre"), ("the Channel programme", "Channel programme"),
                                            ("subjects of interest", "subjects of interest"), ("Multi Agency Centre?", "Multi Agency Centre")])
def test_a_bare_name_of_several_words_is_a_term(question, term):
    intent = intent_of(question, [w for w in question.strip("?").split() if w not in ("the", "of")])
    assert intent.defines == term


@pytest.mark.parametrize("question, term", [("what is the MAC?", "MAC"), ("What's DDP", "DDP"), ("tell me about the Channel programme", "Channel programme"),
                                            ("explain Prevent", "Prevent"), ("what does TPIM stand for", "TPIM"), ("define subjects of interest", "subjects of interest"),
                                            ("what are Temporary Exclusion Orders", "Temporary Exclusion Orders"), ("CTIRU meaning", "CTIRU"),
                                            ("explain what the multi agency centre is for", "multi agency centre"), ("what is the MAC for", "MAC"),
                                            ("what is the purpose of the DDP", "DDP"), ("what is the DDP about", "DDP"),
                                            ("CTIRU stands for what?", "CTIRU"), ("the MAC is what", "MAC"),
                                            ("what is the remit of the CTIRU", "CTIRU"), ("what are the responsibilities of the MAC", "MAC"),
                                            ("the role of Channel", "Channel"), ("what is CONTEST really", "CONTEST"),
                                            ("so what exactly is the MAC", "MAC")])
def test_a_frame_asking_what_a_term_is_leaves_the_term(question, term):
    frame = {"what", "is", "the", "what's", "tell", "me", "about", "explain", "does", "stand", "for", "define", "of", "are", "meaning",
             "purpose", "remit", "responsibilities", "role", "really", "exactly", "so"}
    intent = intent_of(question, [w for w in question.strip("?").split() if w.lower() not in frame])
    assert intent.defines == term


@pytest.mark.parametrize("question", ["what is the threat to London", "tell me about Prevent referrals in London last year", "explain how Prepare works"])
def test_a_frame_around_more_than_a_term_asks_no_definition(question):
    frame = {"what", "is", "the", "to", "tell", "me", "about", "in", "explain", "how"}
    assert intent_of(question, [w for w in question.split() if w not in frame]).defines is None


def test_a_term_spelt_the_american_way_or_quoted_is_still_defined():
    assert intent_of("Multi-Agency Center", ["Multi-Agency", "Center"]).factor("The Multi-Agency Centre (MAC) works") == DEFINITION_PREFERENCE
    text = "offered bespoke support through the ‘Channel’ programme. This consists of a multi-agency panel"
    assert intent_of("Channel program", ["Channel", "program"]).factor(text) == DEFINITION_PREFERENCE


def test_a_name_spelled_out_before_its_abbreviation_defines_it():
    text = "The Multi-Agency Centre (MAC) works in partnership to better understand the risk."
    assert intent_of("Multi Agency Centre", ["Multi", "Agency", "Centre"]).factor(text) > 1
    assert intent_of("Multi-Agency Centre", ["Multi-Agency", "Centre"]).factor("pilots of the Multi-Agency Centre in London") == 1


def test_asked_plainly_what_a_term_is_the_paragraph_opening_with_its_definition_comes_first(searcher):
    """"What is CONTEST": London Councils' "CONTEST is a national strategy
    ..." is a long paragraph under a heading without the word, and shorter
    mentions under "Updated CONTEST strategy published" outscore it; a
    paragraph that opens by saying what the term is comes first. Not for
    its aims or role ("the aims of Prevent" asks for the aims)."""
    for question in ("what is CONTEST", "CONTEST"):
        assert searcher.search(question).hits[0].passages[0].paragraph.text.startswith("CONTEST is a national strategy"), question
    assert intent_of("what is CONTEST", ["CONTEST"]).plainly
    assert not intent_of("what are the aims of Prevent", ["aims", "Prevent"]).plainly
    intent = intent_of("what is the MAC", ["MAC"])
    assert intent.opens_with_definition("The Multi-Agency Centre (MAC) works in partnership to better understand the risk.")
    assert not intent.opens_with_definition("As part of our counter-terrorism strategy we tested new approaches with the MAC.")
    assert "The Multi-Agency Centre (MAC) works in partnership" in searcher.search("what is the MAC").hits[0].passages[0].paragraph.text


def test_a_description_set_off_by_a_dash_defines_the_term(searcher):
    """"The Prevent programme – the preventative arm of ... CONTEST": a
    dash and "the" after the term describe it; a dash before other words
    ("Counter Terrorism Policing – just like other areas") does not."""
    intent = intent_of("what is Prevent", ["Prevent"])
    assert intent.factor("CTP delivers policing's contribution to the Prevent programme – the preventative arm of CONTEST.") > 1
    assert intent_of("Counter Terrorism Policing", ["Counter", "Terrorism", "Policing"]).factor(
        "the success of Counter Terrorism Policing – just like other areas of policing – relies on trust") == 1
    assert "the preventative arm" in searcher.search("what is Prevent").hits[0].passages[0].paragraph.text


@pytest.mark.parametrize("question", ["people referred to Prevent", "Prevent referrals in London last year", "of interest"])
def test_a_phrase_that_is_not_a_name_is_no_term(question):
    assert intent_of(question, [w for w in question.split() if w not in ("to", "in", "of")]).defines is None


@pytest.mark.parametrize("term, text, defined", [
    ("CTIRU", "The Counter Terrorism Internet Referral Unit ( CTIRU ) works", True),
    ("CTIRU", "(CTIRU) works", False),  # nothing spelled out before it
    ("CTIRU", "the Counter Terrorism Internet Referral Unit (ctiru) works", False),  # an acronym matches in capitals
    ("MAC", "The MAC is concerned with a small number of individuals.", True),
    ("MAC", "Key information: MAC was set up in 2018.", True),
    ("MAC", "We know the MAC is concerned with risk.", False),  # not where a sentence starts
    ("MAC", "The MACHINE is new.", False),
    ("Multi Agency Centre", "pilots. The Multi-Agency Centre (MAC) works", True),
    ("Multi-Agency Centre", "the Multi-Agency Centres (MACs) work", False),
    ("temporary exclusion orders", "subject to Temporary Exclusion Orders (TEOs).", True),
    ("Channel", "offered bespoke support through the ‘Channel’ programme. This consists of a panel", True),
    ("Channel", "a scheme known as Channel supports them", True),
    ("Channel", "Channel has supported 5,000 people.", False),
    ("Channel", "through the Channel programme. Then it ends.", False),
])
def test_what_defines_a_term(term, text, defined):
    assert intent_of(term, term.split()).factor(text) == (DEFINITION_PREFERENCE if defined else 1)


def test_a_term_defined_by_is():
    assert intent_of("MAC", ["MAC"]).factor("The MAC is concerned with a small number of individuals.") > 1


@pytest.mark.parametrize(
    "question, good, bad",
    [
        ("when did the DDP start", "The DDP launched in October 2016, with an initial pilot", "The DDP is mandatory in certain cases."),
        ("who is the head of MI5", "DG MI5, Ken McCallum, recently revealed that", "MI5 shares intelligence with partners."),
        ("where were the MAC pilots run", "we established pilots in London, the West Midlands", "the pilots tested approaches."),
    ],
)
def test_when_who_where_prefer_dates_names_places(question, good, bad):
    intent = intent_of(question, question.split()[1:])
    assert intent.factor(good) > intent.factor(bad) == 1


@pytest.mark.parametrize("question", ["how many people are referred to Prevent", "How much extremist content is reported",
                                      "what share of cases go to other services", "what percentage are Islamist",
                                      "how busy was the CTIRU in 2024", "the number of Channel cases", "Channel numbers",
                                      "Prevent referral statistics", "ACT hotline #stats", "the volume of CTIRU referrals",
                                      "tally of Prevent cases", "the amount of content reported",
                                      "share of Prevent cases sent to other services", "percentage of prisoners convicted as Islamists",
                                      "proportion of referrals that reach Channel"])
def test_how_many_prefers_a_figure(question):
    intent = intent_of(question, question.split()[2:])
    assert intent.wants == "count"
    assert intent.factor("Every year, around 7,000 people are referred.") > intent.factor("People are referred by partners.") == 1
    assert intent.factor("Nearly a third are ERWT.") > 1


@pytest.mark.parametrize("question, counted", [("how many live investigations are there", {"live", "investig"}),
                                               ("what share of the cases go elsewhere", {"case"}),
                                               ("how many people are in prison", {"peopl", "prison"})])
def test_a_counting_question_knows_what_it_counts(question, counted):
    assert intent_of(question, []).counted == counted


def test_a_number_of_things_is_no_count():
    assert intent_of("who are a number of the partners of the DDP", ["partners", "DDP"]).wants == "who"
    assert intent_of("a number of partners deliver the DDP", ["partners", "deliver", "DDP"]).wants is None


def test_a_figure_next_to_what_is_counted_is_preferred_to_any_figure():
    intent = intent_of("how many investigations are going on", ["investigations"])
    near = "CTP is working on more than 800 live investigations, involving thousands of people."
    far = "Investigations cannot be kept open indefinitely; 43 forces decide every day."
    assert intent.factor(near) > intent.factor(far) > intent.factor("Investigations take time.") == 1
    assert intent.reads(["figure"]) and not intent.reads([])
    assert intent_of("how many lives were lost", ["lives", "lost"]).factor("which cost the lives of 36 innocent people") > 1.2


@pytest.mark.parametrize("question, wants", [("according to London Councils, why does Protect matter", "why"),
                                             ("since when has the threat been substantial", "when"),
                                             ("which page says who runs MI5", None), ("Prevent: who leads it?", "agent"),
                                                 ("where's the MAC based", "where"), ("when’s the next review", "when")])
def test_the_first_question_word_decides_wherever_it_stands(question, wants):
    assert intent_of(question, []).wants == wants


@pytest.mark.parametrize("question, wants", [("which regions got the first MAC pilots", "where"), ("what year did the DDP start", "when"),
                                             ("which minister launched the strategy", "who"), ("which parts of the country had pilots", "where"),
                                             ("what happens to people referred", None), ("what is the threat level", None)])
def test_a_noun_after_what_or_which_names_the_kind_of_answer(question, wants):
    assert intent_of(question, []).wants == wants


@pytest.mark.parametrize("question, slot", [("what year did the DDP start", "year"), ("in which month was the page revised", "month"),
                                            ("which regions got the first MAC pilots", None), ("which minister launched the strategy", None)])
def test_a_date_answers_the_noun_that_asks_for_it(question, slot):
    """Only a date, read exactly, stands in for the noun; names and places are read too loosely."""
    assert intent_of(question, []).slot == slot


@pytest.mark.parametrize("question, slot", [("first year of the disengagement scheme", "year"), ("start date of the DDP", "date"),
                                            ("year councils got a legal Prevent duty", "year"), ("anti-terrorist hotline calls per year", None),
                                            ("five hundred Channel cases a year", None), ("referrals in the current year to date", None),
                                            ("did the hotline get more calls last year", None), ("Terror offences brought up to date", None),
                                            ("explain it like I'm a ten year old", None)])
def test_with_no_question_word_a_date_noun_asks_when(question, slot):
    """Keyword soup names the date it asks for ("start date of the DDP"), but
    "a year", "per year", "last year" and "to date" count or frame."""
    intent = intent_of(question, [])
    assert (intent.wants, intent.slot) == (("when", slot) if slot else (None, None))


@pytest.mark.parametrize("question, wants", [("pilot cities for the multi agency centre", "where"), ("DDP locations", "where"),
                                             ("Prevent priority areas in London", "where"), ("the priority area of Prevent", None),
                                             ("this country's counter-terrorism strategy", None), ("when attacks take place", "when")])
def test_with_no_question_word_a_noun_naming_places_asks_where(question, wants):
    assert intent_of(question, []).wants == wants


@pytest.mark.parametrize("question, wants", [("who assesses Prevent referrals", "agent"), ("by whom was the review carried out", "agent"),
                                             ("who runs Channel", "agent"), ("who is the MAC aimed at", "who"),
                                             ("who does the DDP support", "who"), ("who gets Channel support", "who"),
                                             ("to whom is information passed", None), ("who's in charge of MI5", "who")])
def test_who_asking_who_does_something_asks_for_an_agent(question, wants):
    assert intent_of(question, []).wants == wants


@pytest.mark.parametrize("text, holds", [("Each case is assessed by specialist officers and staff.", True),
                                         ("The programme is run by the Home Office.", True),
                                         ("It is run alongside local authorities.", True),
                                         ("Around 7,000 people are referred every year.", False)])
def test_a_body_in_plain_words_or_the_agent_of_a_passive_is_an_agent(text, holds):
    assert ("agent" in features(text)) is holds
    assert "name" not in features(text) or "agent" in features(text)


def test_who_asking_who_does_something_brings_the_passage_naming_a_body(searcher):
    """"Who makes up a Channel panel": the answer names "a multi-agency panel
    of specialists from policing, health, education", no capitalised name."""
    first = searcher.search("who makes up a Channel panel").hits[0].passages[0].paragraph.text
    assert "panel of specialists" in first


@pytest.mark.parametrize("question, answer", [
    ("first year of the disengagement scheme", "The DDP launched in October 2016"),
    ("trial regions for the MAC", "In response to this recommendation, we established Multi-Agency Centre pilots in London"),
])
def test_with_no_question_word_a_date_or_place_noun_brings_the_passage_holding_one(searcher, question, answer):
    first = searcher.search(question).hits[0].passages[0].paragraph.text
    assert first.startswith(answer)


@pytest.mark.parametrize("question, slot", [("what share of referrals go to other services", "share"), ("Channel success numbers", "numbers"),
                                            ("the number of arrests each year", "number"), ("how many arrests", None),
                                            ("a number of agencies work on Prevent", None), ("volume of referrals in 2024", "volume")])
def test_a_figure_answers_the_noun_that_asks_for_it(question, slot):
    """"What share", "the number of", "stats": the noun names the figure asked for."""
    assert intent_of(question, []).slot == slot


def test_a_passage_holding_a_figure_covers_the_noun_that_asks_for_it(searcher):
    """The answer to "Channel numbers" holds a figure, not the word "numbers"
    (which a passage on the "success" of policing does not hold either)."""
    assert "Channel has supported 5,000 people" in searcher.search("Channel success numbers").hits[0].passages[0].paragraph.text


@pytest.mark.parametrize("question, answer", [("what year did the desistance programme start helping offenders", "The DDP launched in October 2016"),
                                              ("in what year did Channel start supporting people", "Channel has supported 5,000 people")])
def test_a_passage_holding_a_date_covers_what_year(searcher, question, answer):
    """The answer to "what year" holds a year, not the word: the passage with
    the date is not outranked by one that only says "every year"."""
    assert answer in searcher.search(question).hits[0].passages[0].paragraph.text


def test_a_term_in_a_frame_asks_what_it_is_though_it_holds_an_answer_noun():
    # "agency" after "what" would otherwise ask "who".
    intent = intent_of("what is the multi agency centre", ["multi", "agency", "centre"])
    assert (intent.defines, intent.wants) == ("multi agency centre", None)


def test_why_prefers_a_reason():
    intent = intent_of("why is Protect important in London", ["Protect", "important", "London"])
    assert intent.factor("This is particularly important in London because of the region's profile.") > intent.factor(
        "The purpose of Protect is to strengthen our protection.") == 1


@pytest.mark.parametrize("question, purpose", [("what is the MAC for", True), ("what's the MAC for?", True), ("what is the DDP mainly for", True),
                                               ("what are the aims of the DDP", True), ("the purpose of Channel", True),
                                               ("what's the point of the MAC", True), ("what is the MAC", False), ("what is the MAC about", False),
                                               ("the role of Channel", False), ("who is the MAC for", False)])
def test_asking_what_a_term_is_for_asks_for_a_purpose(question, purpose):
    frame = {"what", "is", "the", "what's", "for", "are", "of", "about", "who", "point", "purpose", "aims", "role"}
    intent = intent_of(question, [w for w in question.strip("?").split() if w not in frame])
    assert (intent.wants == "purpose") is purpose
    if purpose:
        # Still about the term: not a plain "what is it".
        assert intent.defines and not intent.plainly


@pytest.mark.parametrize("text, holds", [("The programme aims to address the root causes of terrorism.", True),
                                         ("The MAC is primarily aimed at reducing the national security risk.", True),
                                         ("The objective is to reduce risk.", True), ("These interventions are designed to help.", True),
                                         ("The DDP launched in October 2016.", False)])
def test_a_passage_stating_an_aim_holds_a_purpose(text, holds):
    assert ("purpose" in features(text)) is holds


def test_asking_what_a_term_is_for_brings_the_passage_stating_its_aims(searcher):
    """"The aims of the DDP": the fact sheet's "The programme aims to address
    the root causes" comes before the paragraph that defines the DDP."""
    first = searcher.search("what are the aims of the DDP").hits[0].passages[0].paragraph.text
    assert first.startswith("The programme aims to address the root causes"), first


def test_other_questions_have_no_preference():
    intent = intent_of("people referred to Prevent", ["people", "referred", "Prevent"])
    assert intent.defines is None and intent.wants is None
    assert intent.factor("In 2015, Ken McCallum in London (KM) is") == 1


def test_bare_acronym_puts_the_definition_first(searcher):
    hit = searcher.search("CTIRU").hits[0]
    assert "Counter Terrorism Internet Referral Unit (CTIRU)" in hit.passages[0].paragraph.text


@pytest.mark.parametrize("question, definition", [("CTP", "Counter Terrorism Policing (CTP) is funded"),
                                                  ("Multi-Agency Centre", "The Multi-Agency Centre (MAC) works in partnership")])
def test_a_definition_outranks_a_heading_that_names_the_term(searcher, question, definition):
    assert definition in searcher.search(question).hits[0].passages[0].paragraph.text


@pytest.mark.parametrize("question, definition", [("what is the multi-agency center", "The Multi-Agency Centre (MAC) works in partnership"),
                                                  ("explain what the multi agency centre is for", "The Multi-Agency Centre (MAC) works in partnership"),
                                                  ("tell me about the Channel program", "offered bespoke support through the ‘Channel’ programme"),
                                                  ("CTIRU stands for what", "Counter Terrorism Internet Referral Unit (CTIRU)"),
                                                  ("what does Channel involve", "offered bespoke support through the ‘Channel’ programme")])
def test_what_is_puts_the_definition_first(searcher, question, definition):
    result = searcher.search(question)
    assert definition in result.hits[0].passages[0].paragraph.text and result.answered


@pytest.mark.parametrize("question, spelled_out", [
    ("what is CTIRU short for", "Counter Terrorism Internet Referral Unit (CTIRU)"),
    ("DDP is short for what", "Desistance and Disengagement Programme (DDP)"),
    ("full form of DDP", "Desistance and Disengagement Programme (DDP)"),
    ("what's the full name of the CTIRU", "Counter Terrorism Internet Referral Unit (CTIRU)"),
    ("CTIRU abbreviation", "Counter Terrorism Internet Referral Unit (CTIRU)"),
    ("what are the letters CTP short for", "Counter Terrorism Policing (CTP)"),
])
def test_asking_what_an_acronym_is_short_for_puts_its_spelling_out_first(searcher, question, spelled_out):
    """The frame's words ("short", "full form", "abbreviation") are not
    searched: they are on pages that say nothing of the acronym."""
    assert spelled_out in searcher.search(question).hits[0].passages[0].paragraph.text


def test_how_many_puts_the_figure_of_what_is_counted_first(searcher):
    hit = searcher.search("how many investigations are going on at the moment").hits[0]
    assert "more than 800 live investigations" in hit.passages[0].paragraph.text


def test_preferences_stay_linear_on_a_huge_paragraph():
    """A 1 MB paragraph of one repeated token once took minutes per search."""
    import signal

    def too_slow(*_):
        raise TimeoutError("a preference pattern backtracked")

    old = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(20)
    try:
        for text in ("a" * 300_000, "7,000 " * 200_000, "A" * 300_000 + " (CTIRU)"):
            intent_of("police", ["police"]).factor(text)
            intent_of("CTIRU", ["CTIRU"]).factor(text)
            intent_of("who is the head", ["head"]).factor(text)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_each_paragraph_holds_in_the_index_what_its_text_holds(searcher):
    """Ranking asks the index's ``holds`` terms, not the text: they must say
    for every paragraph what its text holds."""
    reader = searcher._searcher.reader()
    names = ("date", "name", "agent", "place", "figure", "reason", "purpose")
    holding = {name: set(reader.postings("holds", name).all_ids()) for name in names}
    assert all(holding.values())
    for docnum in reader.all_doc_ids():
        data = store.data_of(reader.stored_fields(docnum))
        # An item holds what the line introducing it holds too.
        text = f"{data.text} {data.lead_in}" if data.lead_in else data.text
        assert {name for name, docs in holding.items() if docnum in docs} == set(features(text)), text


def test_an_item_holds_what_the_line_introducing_it_holds(searcher):
    """"The aims of Prevent are to:" states a purpose; each aim below it
    holds one, though its own words do not."""
    reader = searcher._searcher.reader()
    purposes = set(reader.postings("holds", "purpose").all_ids())
    items = [(docnum, store.data_of(fields)) for docnum, fields in reader.iter_docs()
             if store.data_of(fields).lead_in == "The aims of Prevent are to:"]
    assert items
    for docnum, data in items:
        assert docnum in purposes and "purpose" not in features(data.text), data.text


@pytest.mark.parametrize("question", ["when did the DDP launch", "who leads Counter Terrorism Policing", "how many people are referred to Prevent"])
def test_what_the_index_says_a_passage_holds_ranks_as_its_text_would(searcher, question):
    plan = searcher.planner.plan(question)
    # What a passage holds, not which figure counts what (that is read from the text).
    intent = Intent(wants=intent_of(question, question.split()[1:]).wants)
    found, _, _ = searcher._candidates(plan.query, None)
    docnums = sorted(d for d, _ in found)
    holding = searcher._matching(Q.Term("holds", intent.wanted), docnums)
    reader = searcher._searcher.reader()
    factors = [intent.factor("", [intent.wanted] if d in holding else []) for d in docnums]
    # An item holds what the line introducing it holds too.
    texts = [f"{data.text} {data.lead_in}" for data in (store.data_of(reader.stored_fields(d)) for d in docnums)]
    assert factors == [intent.factor(text) for text in texts]
    assert 1.0 in factors and max(factors) > 1.0
