"""How paragraphs are scored: Whoosh's BM25F, with each paragraph's field
lengths remembered.

BM25F weighs a term in a paragraph by the length of the field that holds it.
Whoosh looks that length up through its reader, codec and column at every
posting it scores; a question of many terms scores the same paragraph in
the same field again and again, and a searcher answers many questions. The
scorers here ask Whoosh once per paragraph and field, and keep the answer
for as long as the searcher is open; a term's scorer (its idf and the
field's average length) is made once and serves every question after.
"""

from __future__ import annotations

from array import array
from typing import Any

from whoosh import scoring

_UNKNOWN = 0xFFFFFFFF  # a length not looked up yet (no paragraph is that long)
REMEMBERED_SCORERS = 4096  # term scorers a searcher keeps (then it starts again)
_TYPECODE = "I" if array("I").itemsize >= 4 else "L"  # 4 bytes a length where the platform allows


class BM25F(scoring.BM25F):
    """Whoosh's BM25F (same parameters, same scores) whose scorers remember
    field lengths. One instance serves one searcher."""

    def __init__(self, B: float = 0.75, K1: float = 1.2) -> None:
        super().__init__(B=B, K1=K1)
        self._lengths: dict[tuple[int, str], array] = {}
        self._scorers: dict[tuple[int, str, str, int], _Scorer] = {}

    def scorer(self, searcher: Any, fieldname: str, text: str, qf: int = 1) -> scoring.BaseScorer:
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf)
        # A scorer holds only the term's statistics, so one serves every
        # question that searches the term.
        key = (id(searcher.reader()), fieldname, text, qf)
        found = self._scorers.get(key)
        if found is None:
            if len(self._scorers) >= REMEMBERED_SCORERS:
                self._scorers.clear()
            found = self._scorers[key] = _Scorer(searcher, fieldname, text, self.B, self.K1, qf, self._lengths_of(searcher, fieldname))
        return found

    def _lengths_of(self, searcher: Any, fieldname: str) -> array:
        # A searcher's reader lives as long as the searcher, so its id is a key.
        key = (id(searcher.reader()), fieldname)
        lengths = self._lengths.get(key)
        if lengths is None:
            lengths = self._lengths[key] = array(_TYPECODE, [_UNKNOWN]) * searcher.doc_count_all()
        return lengths


class _Scorer(scoring.BM25FScorer):
    """BM25FScorer, reading a paragraph's field length from LENGTHS once known."""

    def __init__(self, searcher: Any, fieldname: str, text: str, B: float, K1: float, qf: int, lengths: array) -> None:
        super().__init__(searcher, fieldname, text, B, K1, qf=qf)
        self._searcher = searcher
        self._fieldname = fieldname
        self._known = lengths

    def score(self, matcher: Any) -> float:
        docnum = matcher.id()
        length = self._known[docnum]
        if length == _UNKNOWN:
            length = self._searcher.doc_field_length(docnum, self._fieldname, 1)
            if length < _UNKNOWN:
                self._known[docnum] = length
        return self._score(matcher.weight(), length)

    def add_all(
        self, matcher: Any, offset: int, factor: float, boost: float, scores: dict[int, float], share: float = 1.0, best: dict[int, float] | None = None
    ) -> list[int]:
        """Add SHARE of FACTOR times BOOST times the score of each posting of
        MATCHER (whose scorer this is) to SCORES, by OFFSET plus its docnum,
        and keep in BEST the greatest such (whole) score met there, reading
        the blocks' arrays directly: the same sums as scoring it one posting
        at a time through the matcher, at a third of the calls. The docnums
        scored, in the segment."""
        known = self._known
        searcher = self._searcher
        fieldname = self._fieldname
        idf, avgfl, B, K1 = self.idf, self.avgfl, self.B, self.K1
        get = scores.get
        scored: list[int] = []
        while matcher.is_active():
            matcher.id()  # loads the block's docnums
            matcher.weight()  # and their weights
            ids, weights, start, end = matcher._ids, matcher._weights, matcher._i, matcher._blocklength
            for k in range(start, end):
                docnum = ids[k]
                length = known[docnum]
                if length == _UNKNOWN:
                    length = searcher.doc_field_length(docnum, fieldname, 1)
                    if length < _UNKNOWN:
                        known[docnum] = length
                tf = weights[k]
                # bm25() written out, in its order of operations.
                score = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * length / avgfl)))
                key = offset + docnum
                value = factor * (score * boost if boost != 1.0 else score)
                scores[key] = get(key, 0.0) + (value if share == 1.0 else share * value)
                if best is not None and value > best.get(key, 0.0):
                    best[key] = value
            scored.extend(ids[start:end])
            matcher._i = end - 1
            matcher.next()
        return scored


def block_scorer(matcher: Any) -> _Scorer | None:
    """MATCHER's scorer when it is one of ours on postings whose blocks
    ``_Scorer.add_all`` can read (Whoosh's own on-disk postings), else None."""
    from whoosh.codec.whoosh3 import W3LeafMatcher

    scorer = getattr(matcher, "scorer", None)
    return scorer if isinstance(scorer, _Scorer) and type(matcher) is W3LeafMatcher else None
