"""Scoring: BM25F with remembered field lengths and scorers scores as Whoosh's own."""

from __future__ import annotations

from whoosh import scoring

from contest_kb.search import BM25_B, BM25_K1
from contest_kb.weighting import BM25F

QUESTIONS = ["Prevent", "how many people are referred to Prevent each year", "who pays for counter terrorism policing",
             "Channel mentor", '"multi-agency" AND Channel', "heading:prepare training", "radicali*"]


def _scores(searcher, query):
    return [(hit.docnum, hit.score) for hit in searcher.search(query, limit=None)]


def _assert_same_scores(index, planner):
    ours = BM25F(B=BM25_B, K1=BM25_K1)
    with index.searcher(weighting=scoring.BM25F(B=BM25_B, K1=BM25_K1)) as theirs, index.searcher(weighting=ours) as mine:
        for question in QUESTIONS:
            query = planner.plan(question).query
            expected = _scores(theirs, query)
            assert expected and _scores(mine, query) == expected, question
            assert _scores(mine, query) == expected, question  # the lengths now remembered
        assert ours.scorer(mine, "body", "prevent") is ours.scorer(mine, "body", "prevent")  # made once
    assert ours._lengths


def test_remembered_lengths_score_exactly_as_whoosh_does(kb, searcher):
    _assert_same_scores(kb.index, searcher.planner)


def test_remembered_lengths_across_segments(tmp_corpus, tmp_path):
    from contest_kb.index import open_index
    from contest_kb.search import Searcher

    kb = open_index(tmp_corpus, tmp_path / "idx")
    writer = kb.index.writer()
    writer.delete_document(2)
    # Paragraphs of other lengths than those with the same numbers in the first segment.
    for n in range(1, 12):
        text = " ".join(["Channel mentors and Prevent referrals each year"] * n)
        writer.add_document(id=f"extra{n}", section="extra", source="extra", strand="prevent", heading="Channel referrals " * n,
                            body=text, plain=text)
    writer.commit(merge=False)
    with Searcher(kb) as searcher:
        assert len(searcher._searcher.leaf_searchers()) == 2
        _assert_same_scores(kb.index, searcher.planner)
    kb.close()
