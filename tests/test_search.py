"""Search: ranking, citations, numbers, compounds, query syntax, errors."""

from __future__ import annotations

import pytest
from whoosh import query as Q

from contest_kb import search as search_module
from contest_kb.errors import ContestKBError, InvalidInput


def top_passage(searcher, query, **kw):
    result = searcher.search(query, **kw)
    assert result.hits, f"no hits for {query!r}"
    return result.hits[0].passages[0].paragraph.text


def test_question_finds_the_answering_paragraph(searcher):
    assert "around 7,000 people are referred" in top_passage(searcher, "how many people are referred to Prevent each year")


@pytest.mark.parametrize("query", ["7000", "7,000", "7000 referrals", "7,000 referred"])
def test_numbers_with_and_without_separators_meet(searcher, query):
    texts = [p.paragraph.text for h in searcher.search(query).hits[:2] for p in h.passages]
    assert any("7,000 people are referred" in t or "65% of those 7000" in t for t in texts)


def test_percent_and_per_cent_meet(searcher):
    assert "65% of those 7000 cases" in top_passage(searcher, "65 per cent")
    assert "65% of those 7000 cases" in top_passage(searcher, "65%")


@pytest.mark.parametrize("query", ["counter-terrorism", "counter terrorism", "counterterrorism"])
def test_compound_forms_meet(searcher, query):
    result = searcher.search(query, limit=None)
    ids = {h.section.id for h in result.hits}
    assert "ctp-what-we-do/public-contact" in ids  # "Counter Terrorism Internet Referral Unit"
    assert "london-councils-counter-terrorism-and-extremism/counter-terrorism-and-extremism" in ids  # "counter-terrorism"


def test_more_matched_words_rank_higher(searcher):
    assert "Counter Terrorism Internet Referral Unit" in top_passage(searcher, "counterterrorism internet referral unit")


def test_an_acronym_asked_about_outweighs_a_rare_everyday_word(searcher):
    # "runs" is on one paragraph only ("The programme runs alongside ..."), MI5 on many.
    hit = searcher.search("who runs MI5").hits[0]
    assert "Ken McCallum" in hit.passages[0].paragraph.text


@pytest.mark.parametrize("question, kinds", [("how many of the 254 in prison are ERWT", {"254": "figure", "prison": "", "erwt": "acronym"}),
                                            ("Prevent duty in London", {"prevent": "", "duty": "", "london": "name"})])
def test_what_the_typed_words_name(searcher, question, kinds):
    plan = searcher.planner.plan(question)
    assert {word: kind for word, _, kind in plan.typed_words} == kinds


def test_wildcards_use_the_unstemmed_field(searcher):
    result = searcher.search("radicali*")
    texts = " ".join(p.paragraph.text for h in result.hits for p in h.passages)
    assert "radicalisation" in texts and "radicalised" in texts


def test_phrase_matches_exact_words(searcher):
    result = searcher.search('"initial assessment"', limit=None)
    assert result.total == 1
    assert "referred for initial assessment" in result.hits[0].passages[0].paragraph.text
    assert result.hits[0].also_in  # published on both CTP pages


def test_boolean_operators(searcher):
    with_mi5 = searcher.search("police AND MI5", limit=None)
    without = searcher.search("police NOT MI5", limit=None)
    assert with_mi5.total and without.total
    for hit in without.hits:
        assert all("MI5" not in p.paragraph.text for p in hit.passages if p.matched)
    for hit in with_mi5.hits:
        assert any("MI5" in p.paragraph.text for p in hit.passages)


def test_strand_filter(searcher):
    result = searcher.search("terrorist attack", strands=["protect"], limit=None)
    assert result.total >= 1
    assert all("protect" in h.section.strands for h in result.hits)
    assert searcher.search("terrorist attack", limit=None).total > result.total


def test_source_filter(searcher):
    result = searcher.search("terrorism", sources=["ctp-prevent"], limit=None)
    assert result.total and all(h.source.id == "ctp-prevent" for h in result.hits)


def test_duplicate_passages_are_shown_once(searcher):
    result = searcher.search("Channel has supported 5,000 people", limit=None)
    ids = [h.section.id for h in result.hits]
    assert not ({"ctp-prevent/prevent-scale-and-outcomes", "ctp-what-we-do/prevent-scale-and-outcomes"} <= set(ids))
    first = result.hits[0]
    assert "5,000 people" in first.passages[0].paragraph.text
    assert [p.section.id for p in first.also_in] == ["ctp-what-we-do/prevent-scale-and-outcomes"]
    assert "line 67" in first.also_in[0].citation


def test_citation_names_publisher_title_section_paragraph_lines_url(searcher):
    hit = searcher.search("Anti-Terrorist Hotline").hits[0]
    c = hit.citation
    assert c.startswith("Counter Terrorism Policing, “What We Do | Counter Terrorism Policing”, § Public contact, ¶1 (line 71)")
    assert c.endswith("https://counterterrorism.police.uk/what-we-do")


def test_short_section_cites_all_of_itself(searcher):
    hit = next(h for h in searcher.search("Training testing", limit=None).hits if h.section.heading == "Prepare")
    assert len(hit.passages) == len(hit.section.paragraphs) == 2
    assert hit.passages[0].matched and not hit.passages[1].matched


def test_strand_named_in_question_is_preferred(searcher, monkeypatch):
    plain = searcher.search("statutory partners", limit=None)
    pref = searcher.search("statutory partners prevent", limit=None)
    assert "prevent" in pref.hits[0].section.strands
    assert plain.total <= pref.total

    def protect_hits() -> int:
        return sum("protect" in hit.section.strands for hit in searcher.search("online protect", limit=3).hits)

    # Without the preference pages of other strands that say "online" take the places.
    assert protect_hits() == 2
    monkeypatch.setattr(search_module, "STRAND_PREFERENCE", 1.0)
    assert protect_hits() == 1


def _group(*paras: tuple[float, int]):
    """A section's matched paragraphs as ranking gives them: (score, paragraph number)."""
    from contest_kb.store import Place

    size = max(n for _, n in paras)
    return [(score, n, Place(1, 1, 0, n, size, 1)) for score, n in paras]


def test_a_sections_best_paragraphs_each_lead_a_hit():
    groups = search_module.Searcher._led(_group((5.0, 1), (3.0, 4), (2.0, 2), (1.0, 3)))
    assert [[n for _, n, _ in g.passages] for g in groups] == [[1, 3], [4], [2]]
    assert groups[0].score == pytest.approx(5.0 + search_module.OTHER_PASSAGES_WEIGHT * (3.0 + 2.0))
    assert groups[1].score == pytest.approx(3.0 + search_module.OTHER_PASSAGES_WEIGHT * (5.0 + 2.0))
    # A short section is cited whole in one hit.
    short = search_module.Searcher._led(_group((5.0, 1), (3.0, 2)))
    assert [[n for _, n, _ in g.passages] for g in short] == [[1, 2]]


def test_the_paragraph_that_answers_leads_a_hit_though_its_section_has_a_better_one(searcher):
    # The press release's paragraph on technology scores below its others
    # for "government" and "terrorism"; it still leads a hit of the first three.
    hits = searcher.search("what tech will the government use against terrorism", limit=3).hits
    assert any("quantum computing" in hit.passages[0].paragraph.text for hit in hits)


@pytest.mark.parametrize("query", ["", "   ", '""', "?!", "()", "*"])
def test_query_with_nothing_to_search_is_an_error(searcher, query):
    with pytest.raises(ContestKBError):
        searcher.search(query)


@pytest.mark.parametrize("query", ["what is the", "the of and", "What We Do", "how many are there"])
def test_a_query_of_common_words_only_is_an_error(searcher, query):
    with pytest.raises(InvalidInput, match="only common words"):
        searcher.search(query)


def test_a_quoted_phrase_of_common_words_searches_exactly(searcher):
    hits = searcher.search('"what we do"').hits
    assert hits and all("what we do" in p.paragraph.text.lower() for h in hits for p in h.passages if p.matched)


@pytest.mark.parametrize("query", ["police strand:nope", "police source:nowhere"])
def test_unknown_filter_inside_a_query_is_an_error(searcher, query):
    with pytest.raises(InvalidInput, match="unknown"):
        searcher.search(query)


def test_unknown_strand_or_source_is_an_error(searcher):
    with pytest.raises(ContestKBError, match="unknown strand"):
        searcher.search("police", strands=["prevention"])
    with pytest.raises(ContestKBError, match="unknown source"):
        searcher.search("police", sources=["nowhere"])


def test_misspelt_word_is_corrected_from_the_corpus_vocabulary(searcher):
    result = searcher.search("refferals")
    assert result.suggestion == "referrals" and result.corrected and result.total
    raw = searcher.search("refferals", correct=False)
    assert raw.suggestion == "referrals" and not raw.corrected and raw.total == 0


def test_explain_lists_matched_terms(searcher):
    hit = searcher.search("Channel mentor", explain=True).hits[0]
    fields = {(e["word"], e["field"]) for e in hit.explanation}
    assert ("channel", "plain") in fields and ("channel", "body") in fields
    assert all(e["score"] > 0 for e in hit.explanation)


def test_a_question_the_pages_cannot_answer_is_not_answered(searcher):
    result = searcher.search("how many Prevent referrals were there in 2012")
    assert result.hits and not result.answered
    assert "2012" in result.missing and all("2012" in hit.unmatched for hit in result.hits[:3])
    assert result.to_dict()["answered"] is False


def test_a_question_the_pages_answer_is_answered(searcher):
    result = searcher.search("how many people are referred to Prevent each year")
    assert result.answered and result.hits[0].unmatched == []
    assert result.to_dict()["results"][0]["unmatched"] == []


def test_a_figure_matches_the_noun_that_asks_for_it(searcher):
    """"The number of referrals": a passage giving the figure leaves no
    "number" unmatched."""
    result = searcher.search("the number of referrals to the CTIRU in 2024")
    assert "11,000" in result.hits[0].passages[0].paragraph.text and result.hits[0].unmatched == []


def test_require_answer_exits_one_when_not_answered(run):
    result = run("search", "how many Prevent referrals were there in 2012", "--require-answer")
    assert result.exit_code == 1 and "may not be on these pages" in result.stderr and "'2012'" in result.stderr
    assert "unmatched: 2012" in result.stdout
    assert run("search", "how many people are referred to Prevent each year", "--require-answer").exit_code == 0


@pytest.mark.parametrize("postings_read", [search_module.POSTINGS_READ, 0])
@pytest.mark.parametrize("question", ["how many people are referred to Prevent each year", "counter terrorism internet referral unit",
                                      "DDP mandatory cases", "is the deradicalisation programme compulsory"])
def test_coverage_read_from_postings_equals_skipping_the_matcher(searcher, question, postings_read, monkeypatch):
    """Coverage answers a unit from its words' postings when they are short,
    else by skipping its words' matcher and then its phrases' through the
    candidates; either must find exactly what skipping the unit's own
    matcher through them finds."""
    monkeypatch.setattr(search_module, "POSTINGS_READ", postings_read)
    plan = searcher.planner.plan(question)
    docnums = list(range(searcher._searcher.doc_count_all()))
    for unit in plan.units:
        assert searcher._matching(unit.query, docnums) == searcher._skipping(unit.query, docnums)
        assert searcher._matching(unit.query, docnums[::3]) == searcher._skipping(unit.query, docnums[::3])


@pytest.mark.parametrize("question", ["how many people are referred to Prevent each year", "counter terrorism internet referral unit",
                                      "DDP mandatory cases", "is the deradicalisation programme compulsory", "Channel",
                                      "what help does the desistance and disengagement programme give"])
def test_coverage_from_the_terms_candidates_hold_equals_skipping_the_matcher(searcher, question):
    """Coverage asks the candidates' scoring which of them hold a term, and
    their words' positions which hold a phrase; it must find exactly what
    skipping each unit's own matcher finds, for its synonyms and for a
    heading that holds a phrase's words too."""
    plan = searcher.planner.plan(question)
    query, _ = search_module._deferred(search_module._merged(plan.query))
    found, _, held = searcher._candidates(query, None)
    docnums = sorted(d for d, _ in found)
    assert held.bits and len(docnums) > 1
    headings = [h for unit in plan.units for h in search_module._phrases_in_headings(unit.leaves(), searcher._frequency)]
    if "desistance" in question:
        assert headings
    for unit in [u.query for u in plan.units] + [leaf.query for leaf in plan.leaves] + headings:
        assert searcher._matching(unit, docnums, held) == searcher._skipping(unit, docnums)
        assert searcher._matching(unit, docnums[1::2], held) == searcher._skipping(unit, docnums[1::2])


@pytest.mark.parametrize("question", ["how many people are referred to Prevent each year", "DDP mandatory cases", "Channel",
                                      "what help does the desistance and disengagement programme give", "who pays for counter terrorism policing"])
def test_scores_read_from_postings_blocks_equal_scoring_each_posting(searcher, question, monkeypatch):
    """The candidates' scores, read from each term's postings blocks, must be
    exactly those of scoring one posting at a time through Whoosh's matcher,
    and the terms each candidate holds the same."""
    plan = searcher.planner.plan(question)
    query, _ = search_module._deferred(search_module._merged(plan.query))
    found, count, held = searcher._candidates(query, None)
    monkeypatch.setattr(search_module, "BLOCK_READS", False)
    slow, slow_count, slow_held = searcher._candidates(query, None)
    assert found == slow and count == slow_count and held.terms == slow_held.terms


def test_a_term_utf8_cannot_encode_finds_nothing(searcher):
    assert searcher._candidates(Q.Term("plain", "\ud800x"), None)[1] == 0


@pytest.mark.parametrize("question", ["disengagement", "Channel panel", "how many people are referred to Prevent each year"])
def test_a_word_form_found_in_several_fields_adds_its_best_and_a_share_of_the_rest(searcher, question):
    """A word found in a paragraph's text and its heading (one form, several
    fields) is not counted in full in each: its best field's score, and
    FIELD_TIE of the others'."""
    plan = searcher.planner.plan(question)
    query, _ = search_module._deferred(search_module._merged(plan.query))
    form_of = {(leaf.field, leaf.text): (leaf.word, leaf.kind) for leaf in plan.leaves}
    grouped = dict(searcher._candidates(query, None, form_of)[0])
    summed = dict(searcher._candidates(query, None)[0])
    shared = [d for d in grouped if d in summed and grouped[d] < summed[d] - 1e-9]
    assert shared
    assert all(search_module.FIELD_TIE * summed[d] - 1e-9 <= grouped[d] <= summed[d] + 1e-9 for d in grouped if d in summed)


def test_a_topic_word_repeated_in_every_field_does_not_outweigh_the_asked_part(searcher):
    """The heading and the text both name the DDP; the paragraph that answers
    "forced into" (mandatory) comes first."""
    hit = searcher.search("can a terrorist be forced into the disengagement scheme").hits[0]
    assert "the DDP is mandatory in certain cases" in hit.passages[0].paragraph.text


@pytest.mark.parametrize("words", [("counter", "terrorism"), ("counter", "policing"), ("terrorism", "policing"), ("prevent", "duty"),
                                   ("channel", "panel"), ("referred", "to", "prevent")])
@pytest.mark.parametrize("slop", [1, 2])
def test_a_phrase_found_from_its_words_positions_is_where_whoosh_finds_it(searcher, words, slop):
    """Coverage finds a phrase from its words' positions at the candidates;
    it must find it exactly where Whoosh's phrase matcher does, no nearer
    and no farther apart."""
    docnums = list(range(searcher._searcher.doc_count_all()))
    phrase = Q.Phrase("plain", list(words), slop=slop)
    whoosh = searcher._skipping(phrase, docnums)
    assert searcher._holding_phrase(phrase, docnums) == whoosh
    assert searcher._holding_phrase(phrase, docnums[::2]) == {d for d in whoosh if d % 2 == 0}


@pytest.mark.parametrize("question", ["who pays for counter terrorism policing", "counterterrorism internet referral unit",
                                      "what does counter terrorism policing do"])
def test_a_deferred_phrase_scores_every_paragraph_as_the_whole_query_does(searcher, question):
    """A phrase whose words the query also searches is left out of Whoosh's
    union and scored on the candidates alone: the query without it finds the
    same paragraphs and, once rescored, gives each the same score. A phrase
    of words the query does not search (a compound split in two) stays."""
    plan = searcher.planner.plan(question)
    main, deferred = search_module._deferred(plan.query)
    phrases = {(q.fieldname, tuple(q.words)) for q in plan.query.leaves() if isinstance(q, Q.Phrase)}
    kept = [q for q in main.leaves() if isinstance(q, Q.Phrase)]
    assert phrases and len(deferred) + len({(q.fieldname, tuple(q.words)) for q in kept}) == len(phrases)
    words = {(q.fieldname, q.text) for q in plan.query.leaves() if isinstance(q, Q.Term)}
    assert all(not all((q.fieldname, w) in words for w in q.words) for q in kept)
    whoosh_searcher = searcher._searcher
    whole = {r.docnum: r.score for r in whoosh_searcher.search(plan.query, limit=None)}
    found = [(r.docnum, r.score) for r in whoosh_searcher.search(main, limit=None)]
    rescored = dict(searcher._rescored(found, deferred, search_module._Held(), []))
    assert rescored.keys() == whole.keys()
    assert all(rescored[d] == pytest.approx(whole[d]) for d in whole)
    # What the candidates' scoring knows of which paragraphs hold which words
    # only spares reading positions; the scores stay the same.
    candidates, _, held = searcher._candidates(main, None)
    assert held.bits and dict(searcher._rescored(candidates, deferred, held, [])) == pytest.approx(whole)
    if "policing" in question:
        assert deferred and any(rescored[d] != score for d, score in found)


@pytest.mark.parametrize("question", ["counter terrorism strategy review after 2017 attacks", "who pays for counter terrorism policing"])
def test_a_term_met_again_is_searched_once_and_scores_the_same(searcher, question):
    """A term an OR tree holds twice with different boosts is searched once
    with their sum, and so is a deferred phrase: every paragraph scores as
    it did with both."""
    plan = searcher.planner.plan(question)
    merged = search_module._merged(plan.query)
    terms = [(q.fieldname, q.text) for q in plan.query.leaves() if isinstance(q, Q.Term)]
    once = [(q.fieldname, q.text) for q in merged.leaves() if isinstance(q, Q.Term)]
    assert len(set(terms)) == len(once) < len(terms)
    whoosh_searcher = searcher._searcher
    whole = {r.docnum: r.score for r in whoosh_searcher.search(plan.query, limit=None)}
    assert {r.docnum: r.score for r in whoosh_searcher.search(merged, limit=None)} == pytest.approx(whole)
    main, deferred = search_module._deferred(merged)
    phrases = [(p.fieldname, tuple(p.words)) for p, _ in deferred]
    assert deferred and len(phrases) == len(set(phrases))
    found = [(r.docnum, r.score) for r in whoosh_searcher.search(main, limit=None)]
    assert dict(searcher._rescored(found, deferred, search_module._Held(), [])) == pytest.approx(whole)


def test_term_statistics_are_looked_up_once_per_searcher(kb, monkeypatch):
    """An opened index does not change: how many paragraphs hold a term is
    read from it once, however often questions and their hits ask."""
    import sys

    from contest_kb.search import Searcher

    searcher = Searcher(kb)
    reader = searcher._searcher.reader()
    real = reader.doc_frequency
    ours: list[tuple[str, str]] = []

    def counted(fieldname, text):
        if "contest_kb" in sys._getframe(1).f_code.co_filename:
            ours.append((fieldname, text))
        return real(fieldname, text)

    monkeypatch.setattr(reader, "doc_frequency", counted)
    question = "how many Prevent referrals did counter terrorism policing make"
    first = searcher.search(question).to_dict()
    assert ours
    ours.clear()
    again = searcher.search(question).to_dict()
    searcher.close()
    assert again == first and ours == []


def test_ranking_reads_stored_fields_of_the_shown_hits_only(searcher, monkeypatch):
    """Candidates are ranked and grouped from the index's place column; the
    stored fields (a paragraph's text and citation) are read for what is shown."""
    reads: list[int] = []
    whoosh_searcher = searcher._searcher
    read = whoosh_searcher.stored_fields
    monkeypatch.setattr(whoosh_searcher, "stored_fields", lambda docnum: reads.append(docnum) or read(docnum))
    question = "prevent referrals police counter terrorism"
    searcher._stored.clear()  # what earlier questions read is remembered
    everything = searcher.search(question, limit=None)
    assert len(reads) >= len(everything.hits) > 5
    reads.clear()
    searcher._stored.clear()
    first = searcher.search(question, limit=1)
    assert [h.section.id for h in first.hits] == [everything.hits[0].section.id] and first.total == everything.total
    assert len(reads) <= len(first.hits[0].passages)


_CANDIDATE_QUESTIONS = ["how many people are referred to Prevent each year", "who pays for counter terrorism policing",
                        "Channel", '"multi-agency" AND Channel', "radicali* NOT Channel", "heading:prepare training",
                        "is the deradicalisation programme compulsory", "terrorism", "(Channel OR mentor)^3 Prevent"]


def _whoosh_top(searcher, query, filter_q, limit):
    results = searcher._searcher.search(query, limit=limit, filter=filter_q)
    return [(r.docnum, r.score) for r in results]


def _assert_candidates_are_whooshs(searcher, monkeypatch, filter_q=None):
    # The planner puts boosts on terms; an OR of its own boost is scored too.
    boosted = Q.Or([Q.Or([Q.Term("plain", "channel"), Q.Term("body", "mentor")], boost=3.0), Q.Term("plain", "prevent")])
    for question in [*_CANDIDATE_QUESTIONS, boosted]:
        query = question if isinstance(question, Q.Query) else searcher.planner.plan(question).query
        for limit in (search_module.CANDIDATES, 7):
            monkeypatch.setattr(search_module, "CANDIDATES", limit)
            found, matched, _ = searcher._candidates(query, filter_q)
            expected = _whoosh_top(searcher, query, filter_q, limit)
            assert [d for d, _ in found] == [d for d, _ in expected], question
            assert [s for _, s in found] == pytest.approx([s for _, s in expected], rel=1e-9), question
            assert matched == len(searcher._searcher.search(query, limit=None, filter=filter_q)), question


@pytest.mark.parametrize("strand", [None, "prevent"])
def test_candidates_are_the_paragraphs_whoosh_itself_ranks_first(searcher, strand, monkeypatch):
    """Scoring each part of a question's OR tree in turn gives the paragraphs,
    order and scores of Whoosh's own search, within a filter too, at the
    full depth and cut short."""
    _assert_candidates_are_whooshs(searcher, monkeypatch, Q.Term("strand", strand) if strand else None)


def test_candidates_across_segments_with_deleted_paragraphs(tmp_corpus, tmp_path, monkeypatch):
    """In an index of several segments, some of whose paragraphs are deleted,
    candidates are still exactly Whoosh's own."""
    from contest_kb.index import open_index
    from contest_kb.search import Searcher

    kb = open_index(tmp_corpus, tmp_path / "idx")
    writer = kb.index.writer()
    for docnum in (0, 3, 40):
        writer.delete_document(docnum)
    writer.add_document(id="extra", section="extra", source="extra", strand="prevent", heading="Channel referrals",
                        body="Channel mentors and Prevent referrals each year", plain="Channel mentors and Prevent referrals each year")
    writer.commit(merge=False)
    with Searcher(kb) as searcher:
        assert len(searcher._searcher.leaf_searchers()) == 2 and searcher._searcher.reader().has_deletions()
        _assert_candidates_are_whooshs(searcher, monkeypatch)
        _assert_candidates_are_whooshs(searcher, monkeypatch, Q.Term("strand", "prevent"))
    kb.close()


def test_a_searcher_remembers_stored_paragraphs_within_a_bound(searcher, monkeypatch):
    monkeypatch.setattr(searcher._stored, "limit", 2)
    searcher._stored.clear()
    first = searcher._stored_fields(0)
    assert searcher._stored_fields(0) is first and first == searcher._searcher.stored_fields(0)
    searcher._stored_fields(1)
    searcher._stored_fields(2)
    assert len(searcher._stored) <= 2


def test_an_everyday_word_finds_the_pages_word_but_is_not_a_match(searcher):
    """The glossary's related words rank "nick" as "arrest", but a passage
    that says "arrests" does not hold "nick": it stays unmatched."""
    result = searcher.search("how many people do the police nick each year")
    assert "arrests, on average, around 250" in result.hits[0].passages[0].paragraph.text
    assert result.hits[0].unmatched == ["nick"]
    assert result.answered is False


def test_working_alongside_finds_in_conjunction_with(searcher):
    """Words for working together are related: "alongside" ranks a page's
    "in conjunction with" and "in partnership with" (corpus/glossary.toml)."""
    leaves = searcher.search("who works alongside the police").plan.leaves
    assert {leaf.text for leaf in leaves if leaf.kind == "related" and leaf.word == "alongside"} >= {
        "in conjunction with", "in partnership with"}


@pytest.mark.parametrize("question, answer", [
    ("are the police on it 24/7", "operating around the clock"),
    ("which strand has the most impact on the boroughs", "Prevent has the widest implications"),
    ("stop terrorist material being uploaded", "stop harmful material being posted"),
    ("a more rounded view of the risk someone poses", "a more holistic understanding"),
    ("does the MAC overlap with MI5 investigations", "nor duplicate"),
    ("what new international alliance against Daesh", "the Global Coalition"),
    ("which services intervene after a Prevent referral", "step in to provide support"),
    ("which body bankrolls CTP's work", "is funded by HM Government"),
    ("number of blokes doing time for terror crimes", "Of the 254 people in prison"),
    ("name the three regions where the MAC was first trialled", "pilots in London, the West Midlands and the North West"),
    ("the publics part in counter terrorism", "The public has a critical role to play"),
    ("tougher prison sentences for terrorism", "increasing the maximum penalty"),
    ("helping ex-offenders get back to a normal life", "reintegrate safely back into society"),
    ("when did the desistance programme begin", "The DDP launched in October 2016"),
    ("the government teaming up with businesses", "The government will work more closely with the private sector"),
    ("who is in charge of the police side of an attack", "CTP leads the law-enforcement response"),
    ("what happens when the MAC finds an urgent risk", "where an immediate risk is identified"),
    ("are Prevent referrals dealt with discreetly", "handled with sensitivity and in confidence"),
    ("name of the person in charge of the Operational Improvement Review", "overseen by David Anderson"),
    ("what triggered the rethink of CONTEST", "It prompted a fundamental review"),
    ("haven't the police always done prevention work", "Police have a long history of working to prevent"),
    ("is what I report to the police kept private", "handled with sensitivity and in confidence"),
    ("what are the chances of an attack", "meaning an attack is likely"),
    ("atrocities in foreign conflicts", "investigating war crimes internationally"),
    ("sabotage by foreign governments", "protecting the UK against state threat activity"),
    ("livestreams of extremist content", "repeatedly view streamed video content online"),
    ("professions represented at Channel meetings", "a multi-agency panel of specialists"),
    ("counter terror policing depends on communities", "relies on the trust, confidence and support"),
    ("do agencies keep terrorism cases under review", "Terrorism cases are reviewed regularly"),
    ("does a referral usually lead to police involvement", "do not result in any further police action"),
    ("number of CTIRU referrals this year", "Since the start of 2025"),
    ("Protect: why it matters to London", "This is particularly important in London"),
    ("why Protect matters in the capital city", "This is particularly important in London"),
    ("what is the DDP supposed to achieve", "The programme aims to address the root causes"),
    ("what does the disengagement programme hope to achieve", "The programme aims to address the root causes"),
    ("main type of terror threat police investigate", "The largest single focus of our investigations"),
    ("name of the person in charge of MI5", "DG MI5, Ken McCallum"),
    ("will terror offenders spend longer in prison", "increasing the maximum penalty"),
    ("terrorists to get more time in jail", "increasing the maximum penalty"),
    ("politician launching the new strategy", "Home Secretary"),
    ("longer prison time for terrorists", "increasing the maximum penalty"),
    ("is the UK at high risk of a terrorist attack", "meaning an attack is likely"),
    ("how many police forces work together", "a collaboration of the 43 police forces"),
    ("can a referral stay private", "handled with sensitivity and in confidence"),
    ("people forced onto a scheme who break the rules", "non-compliance could lead to"),
    ("should terrorists be jailed for longer", "increasing the maximum penalty"),
    ("do risky individuals get a helper", "given help from a mentor"),
])
def test_everyday_and_shorthand_words_find_the_pages_words(searcher, question, answer):
    """The glossary's related words (corpus/glossary.toml) and the framing
    words rank the page's own wording first."""
    assert answer in searcher.search(question).hits[0].passages[0].paragraph.text


@pytest.mark.parametrize("question, pairs", [
    ("watching videos, combating terrorism and catching terrorists",
     {("watching", "view"), ("combating", "tackl"), ("catching", "detect")}),
    ("people coming home after fighting abroad",
     {("coming home", "returned from conflict zones"), ("fighting abroad", "returned from conflict zones")}),
    ("far left terrorists, accommodation and manpower",
     {("far left", "left wing"), ("accommodation", "hous"), ("manpower", "resourc")}),
    ("a handful of people, information passed around, the upshot",
     {("handful", "small number"), ("passed around", "share"), ("upshot", "result")}),
    ("letting former terrorists return to the community", {("return to the community", "back into society")}),
    ("the programme's goals", {("goals", "aim")}),
    ("what is at the core of the strategy", {("at the core of", "central to")}),
    ("do officers work nights and weekends", {("nights and weekends", "around the clock")}),
    ("an urgent case, yearly figures, the biggest focus, handled discreetly",
     {("urgent", "immedi"), ("yearly", "every year"), ("biggest", "largest single"), ("discreetly", "in confidence")}),
    ("which politician set out the new counter-terrorism plan", {("politician", "home secretary")}),
    ("do many people ring in about suspicious activity", {("ring in", "contact")}),
    ("will convicted terrorists face more prison time", {("prison time", "sentenc"), ("prison time", "penalti")}),
    ("how many have got out of extremism", {("got out of extremism", "move away from terrorism")}),
    ("where can someone get help", {("get help", "support")}),
])
def test_everyday_words_reach_the_pages_words(searcher, question, pairs):
    """Each (question word, page term) pair is a related-word leaf of the plan."""
    leaves = searcher.search(question).plan.leaves
    assert pairs <= {(leaf.word, leaf.text) for leaf in leaves if leaf.kind == "related"}


def test_govt_is_government_and_everybody_everyone(searcher):
    leaves = searcher.search("does the govt think everybody has a part").plan.leaves
    assert ("everybody", "everyone") in {(leaf.word, leaf.text) for leaf in leaves if leaf.kind == "expansion"}
    # "govt" is spelt out before the question is searched (data/shorthand.tsv).
    assert ("government", "government") in {(leaf.word, leaf.text) for leaf in leaves if leaf.kind == "exact"}


def test_private_is_not_privately(searcher):
    """Related words are looked up by stem: "privately" (in confidence) would
    bring "private" (the private sector) the confidentiality group."""
    leaves = searcher.search("private sector").plan.leaves
    assert not [leaf for leaf in leaves if "confiden" in leaf.text]


def test_a_phrase_named_in_a_heading_covers_the_paragraphs_under_it(searcher):
    """The DDP's fact sheet is headed with its full name: its paragraphs hold
    "DDP" for coverage, so the one about breaches comes first."""
    result = searcher.search("what happens if someone breaches their DDP conditions")
    assert "non-compliance could lead to" in result.hits[0].passages[0].paragraph.text


def test_a_related_phrase_the_pages_never_hold_is_not_searched(searcher):
    """"set up" (related to "launch") is two common words, but no paragraph
    holds the phrase: it is left out of the plan, the answer is remembered."""
    plan = searcher.planner.plan("when did the programme launch")
    related = {leaf.text for leaf in plan.leaves if leaf.kind == "related"}
    assert "publish" in related and "set up" not in related
    assert searcher._holds_phrase(("set", "out")) and not searcher._holds_phrase(("set", "up"))


def test_how_often_is_a_frame_and_an_acronym_that_is_a_word_stays_apart(searcher):
    """"how often" asks for a figure (a paragraph saying "often" does not
    answer it), and "anti-terror hotline" must not bring "ACT", which would
    find "the Security Act"."""
    result = searcher.search("how often do people ring the anti-terror hotline")
    assert "contacted the Anti-Terrorist Hotline" in result.hits[0].passages[0].paragraph.text


def test_a_words_rarity_comes_from_the_question_not_its_everyday_words(searcher):
    """"teacher" and "students" bring "education", "schools" ...: the
    question's words are rare, but those related words must not make them
    count as common in coverage."""
    result = searcher.search("I'm a teacher and I'm worried about one of my students, if I refer them to Prevent "
                             "will the police automatically get involved or does it go somewhere else")
    assert "do not result in any further police action" in result.hits[0].passages[0].paragraph.text


def test_a_rare_name_in_the_question_weighs_as_an_acronym_does(searcher):
    """"Manchester" is in few paragraphs: the one that names it with the
    review comes first, not one that matches more of the common words."""
    hit = searcher.search("who reviewed the intelligence failures before the Manchester bombing").hits[0]
    assert "overseen by David Anderson" in hit.passages[0].paragraph.text
    # A capitalised word that many paragraphs hold is no such name.
    plan = searcher.planner.plan("what does policing do for Protect")
    assert searcher.search_plan(plan).hits[0].section.heading_path[-1] == "Protect"


def test_a_paragraph_holding_two_question_words_together_comes_first(searcher):
    """"Islamist terrorism" together on the page outweighs a paragraph under
    a "terrorist threat" heading that holds "MI5" and "work" apart; explain
    shows what the pair added."""
    result = searcher.search("how much of the work with MI5 is about Islamist terrorism", explain=True)
    hit = result.hits[0]
    assert "roughly 75% Islamist terrorism" in hit.passages[0].paragraph.text
    assert {"word": "islamist terrorism", "kind": "near"}.items() <= next(e for e in hit.explanation if e["kind"] == "near").items()


def test_words_together_are_found_in_the_forms_the_page_uses(searcher):
    """"live investigation" meets "800 live investigations": the pair's
    second word takes the plural the page uses."""
    hit = searcher.search("live investigation", explain=True).hits[0]
    assert "more than 800 live investigations" in hit.passages[0].paragraph.text
    near = [e for e in hit.explanation if e["kind"] == "near"]
    assert near and "investigations" in near[0]["term"]


def _leading_texts(searcher, question: str, k: int) -> list[str]:
    """The text of the passage leading each of the first K hits for QUESTION."""
    return [h.passages[0].paragraph.text for h in searcher.search(question).hits[:k]]


def test_one_word_of_a_term_does_not_cover_the_term(searcher):
    # "review" is related to "assess": a paragraph that "carries out ...
    # assessment" holds one word of the term at most, not the review itself.
    texts = _leading_texts(searcher, "By whom was the Operational Improvement Review carried out?", 2)
    assert all("Operational Improvement Review" in t for t in texts), texts


def test_a_term_of_several_words_weighs_as_the_term_not_its_commonest_word(searcher):
    # "Channel panel" is rarer than "Channel": the paragraph holding it
    # outweighs the one holding "sits" ("sits alongside") and nothing else.
    texts = _leading_texts(searcher, "who sits on a Channel panel", 2)
    assert any("multi-agency panel of specialists" in t for t in texts), texts


def test_a_term_is_covered_by_the_share_of_its_words_a_paragraph_holds(searcher):
    # "religious guidance" is a glossary term ("theological" is related to
    # it); "faith", related to "religious" alone, covers half of it, so the
    # sectors list ("criminal justice, faith") no longer matches the term
    # as fully as the DDP's "theological and ideological advice" does.
    texts = _leading_texts(searcher, "religious guidance for convicted terrorists", 3)
    assert any("theological and ideological advice" in t for t in texts), texts


def test_a_page_names_the_publisher_the_question_names_by_its_acronym(searcher):
    # "CTP" is named by every page Counter Terrorism Policing publishes (its
    # long form is the publisher), so the CTP paragraph on prioritising
    # investigations, which says "our" and not "CTP", covers the question
    # as well as the paragraphs that name CTP but not prioritising.
    texts = _leading_texts(searcher, "why does CTP prioritise cases", 3)
    assert any("Choices have to constantly be made" in t for t in texts), texts


def test_a_share_in_words_finds_the_percentage_that_gives_it(searcher):
    # The pages say "roughly 75% Islamist terrorism"; the question says
    # "three quarters" (and the arrests paragraph names Islamist and
    # investigations too).
    first = searcher.search("are three quarters of CTP investigations Islamist").hits[0]
    assert "roughly 75% Islamist terrorism" in first.passages[0].paragraph.text, first.passages[0].paragraph.text


def test_a_word_that_only_qualifies_the_question_weighs_less_in_coverage(searcher):
    """"After" in "reviewed after release" says when, not what: the paragraph
    holding "terrorism cases are reviewed" comes before one holding "cases"
    and "after" (analysis.QUALIFYING_WORDS)."""
    assert "Terrorism cases are reviewed regularly" in top_passage(searcher, "how are terrorism cases reviewed after release")


@pytest.mark.parametrize("query, answer", [("who gets looked after once an attack is over", "supporting victims, survivors"),
                                           ("of everyone behind bars for terrorism, how many is that in total", "254 people in prison")])
def test_a_qualifying_word_in_a_phrase_weighs_as_the_phrase(searcher, query, answer):
    """"Looked after" and "behind bars" are a phrase the glossary knows: their
    "after" and "behind" weigh in full."""
    firsts = [h.passages[0].paragraph.text for h in searcher.search(query, limit=2).hits]
    assert any(answer in text for text in firsts)


def test_an_acronym_finds_the_paragraphs_under_its_name_spelled_out(searcher):
    """"DDP goals": the paragraph saying "The programme aims to ...", under
    the heading "Desistance and Disengagement Programme", answers; it does
    not say "DDP"."""
    first = searcher.search("DDP goals").hits[0].passages[0].paragraph.text
    assert first.startswith("The programme aims to address the root causes of terrorism")
