"""Run a query against the index and shape the answer: cited sections, their
best paragraphs, duplicates folded, spelling suggestions and explanations."""

from __future__ import annotations

import fnmatch
import heapq
import math
import re
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

from whoosh import query as Q
from whoosh.matching import WrappingMatcher

from . import store
from .analysis import NARRATIVE_WORDS, NEGATIONS, QUALIFYING_WORDS, TOKEN, PassageTerms, is_searched, spans, stem_word, stemmed_terms
from .citations import Place, cite, passage_dict
from .corpus import Source
from .errors import InvalidInput
from .index import IndexedCorpus
from .intent import Intent, compared_terms, comparison, features, named_only_in_a_list
from .query import PAGE_KINDS, RANKING_AIDS, Glossary, Near, Planner, QueryPlan, key_form, phrase_words
from .sections import Paragraph, Section
from .thesaurus import english
from .weighting import BM25F, block_scorer

if TYPE_CHECKING:
    from .spelling import Speller

MAX_PASSAGES = 3
SECTION_HITS = 3  # of a section's matched paragraphs, how many lead a hit of their own
SHORT_SECTION = 2
STRAND_PREFERENCE = 1.25
PUBLISHER_PREFERENCE = 1.5  # for the pages of a publisher the question names
OFFICIAL_PREFERENCE = 3.0  # for official pages over others (official.py)
_PUBLISHER_PARTS = re.compile(r"\s+and\s+|[,;()]")
OTHER_PASSAGES_WEIGHT = 0.1
INTRODUCTION_WEIGHT = 0.5  # for a paragraph that only introduces the items after it
# In coverage, an item of a list matches a word this much when the paragraph
# that leads into its list does: it goes on from what that paragraph says.
ITEM_CONTEXT = 0.5
LEAD_WITHIN = 30  # paragraphs looked back for an item's lead (a longer list's later items have none)
BLOCK_READS = True  # score a term's postings from its blocks' arrays (weighting.block_scorer)
FIELD_TIE = 0.7  # share of a word form's score in its other fields added to its best field's (_candidates)
NEAR_CANDIDATES = 50  # best candidates by their words' scores checked for words together
NEAR_WEIGHT = 0.5  # of a phrase of two words side by side in the question (QueryPlan.near)
COVERAGE_POWER = 2.0
BM25_B = 0.75
BM25_K1 = 1.2
IDF_POWER = 0.5  # 0 counts every word alike; 1 weights words by idf
ANSWER_WITHIN = 3  # a question counts as answered when one of this many hits covers its key terms
RARE_SHARE = 0.03  # a word in at most this share of paragraphs is a key term of the question
NAMED_WEIGHT = 2.0  # in coverage, for a word typed as an acronym or a figure
SYNONYM_COVERAGE = 0.5  # a word matched only by a synonym counts this much of a match
QUALIFIER_WEIGHT = 0.25  # in coverage, for a word that only qualifies what is asked (analysis.QUALIFYING_WORDS)
# Words searched but never key terms: they qualify what is asked or tell how the asker came to ask.
_NEVER_KEY = QUALIFYING_WORDS | NARRATIVE_WORDS
COMPARED = 2  # passages that describe each side of a comparison, shown in turn
READ_FOR = 10  # best candidates whose text is read for a definition or a counted figure
CANDIDATES = 300  # paragraphs retrieved from Whoosh, re-ranked and grouped into hits
REMEMBERED_PARAGRAPHS = 256  # stored fields a searcher keeps (then it starts again)
REMEMBERED_TERMS = 65536  # term counts a searcher keeps (then it starts again)
POSTINGS_READ = 4  # coverage reads a word's postings whole when they are at most this many times the candidates
RESULT_SCHEMA_VERSION = 2  # 2: `source` is an object in sections and show too


class Passage:
    """A cited paragraph of a hit, with its score for the query; MATCHED is
    false for the rest of a short section, cited whole."""

    __slots__ = ("dupkey", "matched", "paragraph", "score")

    def __init__(self, paragraph: Paragraph, score: float, matched: bool = True, dupkey: str | None = None) -> None:
        self.paragraph = paragraph
        self.score = score
        self.matched = matched
        # The index's duplicate key of the paragraph, when read with it.
        self.dupkey = dupkey

    def to_dict(self, source) -> dict:
        return passage_dict(source, self.paragraph)


class Hit:
    """One answer: a section, its cited passages (best first) and where else
    the same passages appear."""

    __slots__ = ("also_in", "explanation", "passages", "rank", "score", "section", "source", "unmatched")

    def __init__(self, rank: int, score: float, section: Section, source: Source, passages: list[Passage]) -> None:
        self.rank = rank
        self.score = score
        self.section = section
        self.source = source
        self.passages = passages
        self.also_in: list[Place] = []
        self.explanation: list[dict] | None = None
        # The question's key terms (names, numbers, acronyms, rare words)
        # that the cited passages leave unmatched.
        self.unmatched: list[str] = []

    @property
    def citation(self) -> str:
        return cite(self.source, self.section, [p.paragraph for p in self.passages])

    def to_dict(self) -> dict:
        data = {
            "rank": self.rank,
            "score": round(self.score, 4),
            "id": self.section.id,
            "citation": self.citation,
            "source": self.source.to_dict(),
            "heading_path": list(self.section.heading_path),
            "strands": list(self.section.strands),
            "overview": self.section.overview,
            "passages": [p.to_dict(self.source) for p in self.passages],
            "also_in": [p.to_dict(text=False) for p in self.also_in],
            "unmatched": list(self.unmatched),
        }
        if self.explanation is not None:
            data["explain"] = self.explanation
        return data


class _Group:
    """A hit before it is shown: its score and its matched paragraphs (score,
    document number, place), best first."""

    __slots__ = ("passages", "score")

    def __init__(self, score: float, passages: list[tuple[float, int, store.Place]]) -> None:
        self.score = score
        self.passages = passages

    @property
    def place(self) -> store.Place:
        return self.passages[0][2]


class SearchResult:
    """The answer to one query: TOTAL hits in all, the first of them in HITS.

    SUGGESTION is the query with unknown words respelled (or None); CORRECTED
    says the suggestion was run in place of the query.
    """

    def __init__(
        self,
        query: str,
        total: int,
        hits: list[Hit],
        plan: QueryPlan,
        suggestion: str | None = None,
        corrected: bool = False,
        complete: bool = True,
        key_terms: Sequence[str] = (),
        hard_terms: Sequence[str] = (),
        specific_terms: Sequence[str] = (),
    ) -> None:
        self.complete = complete
        self.key_terms = list(key_terms)
        self.hard_terms = list(hard_terms)
        self.specific_terms = list(specific_terms)
        self.query = query
        self.total = total
        self.hits = hits
        self.plan = plan
        self.suggestion = suggestion
        self.corrected = corrected

    def covers(self, hit: Hit) -> bool:
        """Whether HIT's passages cover the question: every number, acronym
        and name it asks about, and, unless one of those is rare in the
        corpus, most of its other key terms."""
        soft = [t for t in self.key_terms if t not in self.hard_terms]
        missed = [t for t in hit.unmatched if t not in self.hard_terms]
        if set(hit.unmatched) & set(self.hard_terms):
            return False
        # Once the rare names and figures it asks about are found, a passage
        # may say the rest in other words.
        return bool(self.specific_terms) or len(missed) * 2 <= len(soft)

    @property
    def answered(self) -> bool:
        """Whether one of the first hits covers the question (False when
        nothing matched, or no passage holds what it asks about: the answer
        is probably not on these pages)."""
        return any(self.covers(hit) for hit in self.hits[:ANSWER_WITHIN])

    @property
    def missing(self) -> list[str]:
        """The key terms that no passage of the first hits matches."""
        first = self.hits[:ANSWER_WITHIN]
        if not first:
            return list(self.key_terms)
        return [t for t in self.key_terms if all(t in hit.unmatched for hit in first)]

    def to_dict(self) -> dict:
        return {
            "version": RESULT_SCHEMA_VERSION,
            "query": self.query,
            "total": self.total,
            "total_exact": self.complete,
            "answered": self.answered,
            "key_terms": list(self.key_terms),
            "missing": self.missing,
            "suggestion": self.suggestion,
            "corrected": self.corrected,
            "results": [h.to_dict() for h in self.hits],
        }


class Searcher:
    """Searches one opened index; keeps what can be reused between queries."""

    def __init__(self, kb: IndexedCorpus):
        self.kb = kb
        self._searcher = kb.index.searcher(weighting=BM25F(B=BM25_B, K1=BM25_K1))
        self._frequencies: _Remembered[tuple[str, str], int] = _Remembered(
            REMEMBERED_TERMS, lambda term: self._searcher.reader().doc_frequency(*term))
        self._phrases: _Remembered[tuple[str, ...], bool] = _Remembered(REMEMBERED_TERMS, self._phrase_found)
        self.planner = Planner(kb.glossary, Vocabulary(self._frequency), english(), self._frequency, self._holds_phrase)
        self._source_order = {sid: k for k, sid in enumerate(kb.source_ids)}
        self._context: dict[str, set[tuple[str, str]]] = {}
        self._place_column: Any = None
        self._source_keys: dict[int, str] | None = None
        self._speller: Speller | None = None
        self._stored: _Remembered[int, dict] = _Remembered(REMEMBERED_PARAGRAPHS, lambda docnum: self._searcher.stored_fields(docnum))
        self.planner.publishers = self._publisher_names()
        self.planner.respellings = self._respellings

    def close(self) -> None:
        self._searcher.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- checks ---------------------------------------------------------------
    def check_filters(self, strands: Iterable[str], sources: Iterable[str]) -> tuple[list[str], list[str]]:
        """Validated, lowercased strand names and known source ids."""
        return self.kb.check_strands(strands), self.kb.check_sources(sources)

    def check_plan(self, plan: QueryPlan) -> None:
        """Raise InvalidInput when PLAN names a strand, source or site
        (strand:, source:, site:) that the corpus does not hold, so a batch can
        check every query before it runs any."""
        self.check_filters(plan.filters.get("strand", []), plan.filters.get("source", []))
        for site in plan.filters.get("site", []):
            self.kb.sources_on_site(site)

    def suggest(self, plan: QueryPlan) -> str | None:
        """The query with words unknown to the corpus and to English respelled
        from the corpus vocabulary, or None (see contest_kb.spelling)."""
        return self._spelling().suggest(plan.cleaned, plan.parsed)

    def _spelling(self) -> Speller:
        if self._speller is None:
            from .spelling import Speller

            self._speller = Speller(self._searcher.reader(), self.planner.glossary, self._frequency)
        return self._speller

    def _respellings(self, cleaned: str, parsed: Q.Query | None) -> dict[str, str]:
        return self._spelling().respellings(cleaned, parsed)

    # -- search ---------------------------------------------------------------
    def search(
        self,
        text: str,
        strands: Sequence[str] = (),
        sources: Sequence[str] = (),
        limit: int | None = 10,
        correct: bool = True,
        explain: bool = False,
    ) -> SearchResult:
        """Search for TEXT; see the README for the query language.

        STRANDS and SOURCES filter (any of the given values); LIMIT caps the
        hits returned (``total`` counts them all). With CORRECT, a word
        unknown to the corpus and to English is also looked for as respelled
        (a ranking aid: it stays unmatched), and a query that finds nothing
        is run with the suggested spelling.
        Raises InvalidInput for an unknown strand or source or an empty query.
        """
        return self.search_plan(self.planner.plan(text, respell=correct), strands, sources, limit, correct, explain)

    def search_plan(
        self,
        plan: QueryPlan,
        strands: Sequence[str] = (),
        sources: Sequence[str] = (),
        limit: int | None = 10,
        correct: bool = True,
        explain: bool = False,
    ) -> SearchResult:
        """Search with a plan made by ``self.planner.plan`` (as search does),
        for callers that check every query before running any."""
        strands, sources = self.check_filters(strands, sources)
        self.check_plan(plan)
        text = plan.text
        suggestion = self.suggest(plan)
        corrected = False
        filter_q = self._filter(plan, strands, sources)
        groups, complete = self._run(plan, filter_q)
        if suggestion and correct and not (groups and self._found_as_typed(plan, filter_q)):
            # Only a query that finds nothing by the words typed is run
            # respelled; otherwise the suggestion is offered, and ranks.
            plan = self.planner.plan(suggestion)
            corrected = True
            groups, complete = self._run(plan, self._filter(plan, strands, sources))
        sides = comparison(plan.cleaned) if not plan.filters and groups else None
        if sides:
            groups = self._compared(plan, groups, sides, strands, sources, correct)
        total = len(groups)
        hits = [self._hit(group, rank) for rank, group in enumerate(groups if limit is None else groups[:limit], 1)]
        self._complete(hits, plan, explain)
        keys, hard, specific = self.key_terms(plan)
        asked = plan.intent.slot if keys else None
        slot = key_form(asked) if asked else ""
        for hit in hits if keys else ():
            # A lead-in ("This legislation will:") is context, as a heading is.
            context = [*hit.section.heading_path, *(p.paragraph.lead_in for p in hit.passages if p.paragraph.lead_in)]
            if hit.source.id in plan.publishers:
                # "According to the Home Office blog": the publisher named is
                # in the citation of its own pages, though not in their text.
                context.append(hit.source.publisher)
            cited = " ".join(p.paragraph.text for p in hit.passages)
            unmatched = set(unmatched_words(plan, cited, context))
            if slot and "figure" in features(cited):
                # "The number of referrals": the figure is the number asked for.
                unmatched.discard(slot)
            hit.unmatched = [k for k in keys if k in unmatched]
        return SearchResult(text, total, hits, plan, suggestion, corrected, complete, keys, hard, specific)

    def _found_as_typed(self, plan: QueryPlan, filter_q: Q.Query | None) -> bool:
        """Whether PLAN finds a paragraph within FILTER_Q by the words typed,
        not only by a misspelt word's respelling."""
        aids = {id(leaf.query) for leaf in plan.leaves if leaf.kind == "respelled"}
        if not aids:
            return True
        typed = _without(plan.query, aids)
        if typed is None:
            return False
        # Unscored: Whoosh 2.7.4's quality skipping can loop on these queries.
        within = typed if filter_q is None else Q.And([typed, filter_q])
        return any(True for _ in self._searcher.docs_for_query(within))

    def _compared(self, plan: QueryPlan, groups: list[_Group], sides: tuple[str, str], strands: list[str], sources: list[str],
                  correct: bool = True) -> list[_Group]:
        """The hits of a comparison: a passage that speaks of both sides first,
        then the passages that best describe each side in turn, then the rest."""
        found: list[list[_Group]] = []
        plans: list[tuple[QueryPlan, QueryPlan]] = []
        *terms, context = compared_terms(*sides)
        for term in terms:
            try:
                term_plan = self.planner.plan(term, respell=correct)
                side_plan = self.planner.plan(f"{term} {context}", respell=correct) if context else term_plan
            except InvalidInput:
                return groups
            # "Prepare vs Protect according to London Councils": each side is
            # described by the pages of the publisher the question names.
            side_plan.publishers = side_plan.publishers | plan.publishers
            plans.append((term_plan, side_plan))
            found.append(self._run(side_plan, self._filter(side_plan, strands, sources))[0][:COMPARED])
        order: list[_Group] = []
        first = self._hit(groups[0], 1)
        text = " ".join(p.paragraph.text for p in first.passages)
        # Two bare terms ask what each is: a passage that names both rarely says.
        bare = all(len(side_plan.units) <= 1 for _, side_plan in plans)
        # A passage that speaks of both terms needs no word of what they are compared on.
        if (not bare and all(_speaks_of(term_plan, text, first.section.heading_path) for term_plan, _ in plans)
                and not named_only_in_a_list(terms, text)):
            order.append(groups[0])
        for pair in zip(*found):
            order.extend(pair)
        order.extend(groups)
        out: list[_Group] = []
        seen: set[tuple[int, int]] = set()
        for group in order:
            key = (group.place.section, group.place.n)
            if key not in seen:
                seen.add(key)
                out.append(group)
        return out

    def key_terms(self, plan: QueryPlan) -> tuple[list[str], list[str], list[str]]:
        """The words of the question an answer should hold; of those, the ones
        it must hold (numbers, acronyms, names capitalised after the first
        word); and of those, the specific ones (rare in the corpus). Should:
        the must words and words rare in the corpus (in at most RARE_SHARE
        of its paragraphs, or in none), but for words that only qualify what
        is asked (QUALIFYING_WORDS) or tell how the asker came to ask
        (NARRATIVE_WORDS)."""
        reader = self._searcher.reader()
        rare = max(2, int(RARE_SHARE * reader.doc_count()))
        keys: list[str] = []
        hard: list[str] = []
        specific: list[str] = []
        for word, key, kind in plan.typed_words:
            must = bool(kind)
            # "Not" names nothing an answer holds, however few pages say it;
            # nor does "still" or "after" (an answer to "is the MAC still a
            # pilot" need not say "still"), nor "mentioned" or "think".
            scarce = self._frequency("plain", key) <= rare and key not in NEGATIONS and word.lower() not in _NEVER_KEY
            if must or scarce:
                keys.append(word)
                if must:
                    hard.append(word)
                if must and scarce:
                    specific.append(word)
        return keys, hard, specific

    def _filter(self, plan: QueryPlan, strands: list[str], sources: list[str]) -> Q.Query | None:
        clauses = []
        wanted = {"strand": strands + [s.lower() for s in plan.filters.get("strand", [])],
                  "source": sources + plan.filters.get("source", [])}
        for fieldname, values in wanted.items():
            if values:
                clauses.append(Q.Or([Q.Term(fieldname, v) for v in values]))
        # Pages on any of the sites named, as search engines take several
        # (a site no page is on is an error, raised here).
        on_sites = [v for site in plan.filters.get("site", []) for v in self.kb.sources_on_site(site)]
        if on_sites:
            clauses.append(Q.Or([Q.Term("source", v) for v in dict.fromkeys(on_sites)]))
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else Q.And(clauses)

    def _publisher_names(self) -> dict[tuple[str, ...], set[str]]:
        """Each name in the sources' publisher fields (split at "and", commas
        and brackets; "GOV.UK press release" also as "GOV.UK"), its glossary equivalents and the other names the
        glossary gives it ("the police"), as words (a hyphen also as a
        space: "counter terrorism police"): the ids of the sources it
        names; and each name of the official pages together ("the
        government"): theirs."""
        by_publisher: dict[str, list[str]] = {}
        for sid, publisher in self.kb.publishers().items():
            by_publisher.setdefault(publisher, []).append(sid)
        names: dict[tuple[str, ...], set[str]] = {}

        def add(key: tuple[str, ...], sids: Iterable[str]) -> None:
            words = tuple(w for w in key if is_searched(w))
            if words:
                names.setdefault(words, set()).update(sids)

        glossary = self.planner.glossary
        for publisher, sids in by_publisher.items():
            for name in _PUBLISHER_PARTS.split(publisher):
                key = Glossary.key(name)
                for term in [name, *glossary.equivalents(key), *glossary.names_of(key)]:
                    add(Glossary.key(term), sids)
                    # "counter terrorism police" for "counter-terrorism police": a hyphen stands for a space too.
                    add(tuple(phrase_words(term)), sids)
                # "GOV.UK press release" names GOV.UK's page: the kind of page names no other publisher.
                kindless = key
                while len(kindless) > 1 and kindless[-1] in PAGE_KINDS:
                    kindless = kindless[:-1]
                if kindless != key:
                    add(kindless, sids)
        official = self.kb.preferred_sources
        for name in self.kb.official_names if official else ():
            add(Glossary.key(name), official)
        return names

    def _context_terms(self, source_id: str) -> set[tuple[str, str]]:
        """The stemmed words of a page's title and publisher, as matched terms."""
        terms = self._context.get(source_id)
        if terms is None:
            terms = self._context[source_id] = {("body", stem) for stem in self.kb.context(source_id)}
        return terms

    def _source(self, source_id: str) -> Source:
        """The source SOURCE_ID, or a stand-in naming it if it is gone."""
        return self.kb.source(source_id) or Source(id=source_id, file="", title=source_id, publisher="")

    def _run(self, plan: QueryPlan, filter_q: Q.Query | None) -> tuple[list[_Group], bool]:
        """The hits of PLAN within FILTER_Q, best first, as groups of matched
        paragraphs (see _hit), and whether they are all of them (False when
        the candidate paragraphs were cut at CANDIDATES). Ranking reads the
        ``place`` column and the index's terms; stored fields are read for a
        passage's text only when the question asks what a term is."""
        query, deferred = _deferred(_merged(plan.query))
        form_of: dict[tuple[str, str], tuple[str, str]] = {}
        for leaf in plan.leaves:
            form_of.setdefault((leaf.field, leaf.text), (leaf.word, leaf.kind))
        found, count, held = self._candidates(query, filter_q, form_of)
        complete = count <= CANDIDATES
        near = plan.near
        if deferred or near:
            found = self._rescored(found, deferred, held, near)
        places = self._places(docnum for docnum, _ in found)
        source_of = self._source_ids()
        sources = {docnum: source_of.get(place.source, "") for docnum, place in places.items()}
        candidates = sorted(places)
        intent = plan.intent
        wanted = intent.wanted
        holding = self._matching(Q.Term("holds", wanted), candidates) if wanted else set()
        leads = self._leads(candidates) if len(plan.units) > 1 else {}
        coverage = self._coverage(plan, found, sources, held, (key_form(intent.slot), holding) if intent.slot else None, leads)
        preferred = {key_form(w) for w in plan.words} & set(self.kb.strands)
        in_preferred = self._matching(Q.Or([Q.Term("strand", s) for s in sorted(preferred)]), candidates) if preferred else set()
        official = self.kb.preferred_sources
        introductions = self._matching(Q.Term("holds", store.INTRODUCTION), candidates)
        scored: list[tuple[float, int, int, int, int]] = []
        named: set[int] = set()  # the paragraphs of the publishers the question names
        for docnum, score in found:
            place = places[docnum]
            score *= coverage.get(docnum, 1.0)
            if intent.prefers:
                score *= intent.held_factor([wanted] if wanted and docnum in holding else [])
            if docnum in in_preferred:
                score *= STRAND_PREFERENCE
            if sources[docnum] in plan.publishers:
                score *= PUBLISHER_PREFERENCE
                named.add(docnum)
            if sources[docnum] in official:
                score *= OFFICIAL_PREFERENCE
            if docnum in introductions:
                # Its items carry its words and say what it only announces.
                score *= INTRODUCTION_WEIGHT
            scored.append((-score, self._source_order.get(sources[docnum], 0), place.first_line, place.n, docnum))
        opening: set[int] = set()
        if intent.prefers:
            scored, opening = self._read_for(intent, scored, holding, places, named)
        scored.sort(key=lambda row: row[:4])

        shown: set[int] = set()
        matched: dict[int, list[tuple[float, int, store.Place]]] = {}
        for neg, _, _, _, docnum in scored:
            place = places[docnum]
            if place.dupkey:
                if place.dupkey in shown:
                    continue
                shown.add(place.dupkey)
            matched.setdefault(place.section, []).append((-neg, docnum, place))

        groups = [group for paras in matched.values() for group in self._led(paras)]
        groups.sort(key=lambda g: (-g.score, self._source_order.get(sources[g.passages[0][1]], 0), g.place.first_line, g.place.n))
        if opening and groups and groups[0].passages[0][1] not in opening:
            # "What is CONTEST": a paragraph that opens by saying what it is
            # comes before any that only mention it, but not a third-party
            # page's before an official one: that preference still holds.
            led_by_official = sources[groups[0].passages[0][1]] in official
            first = next((k for k, g in enumerate(groups) if g.passages[0][1] in opening
                          and (not led_by_official or sources[g.passages[0][1]] in official)), None)
            if first is not None:
                lifted = groups.pop(first)
                lifted.score = groups[0].score
                groups.insert(0, lifted)
        return groups, complete

    def _read_for(
        self, intent: Intent, scored: list[tuple[float, int, int, int, int]], holding: set[int], places: dict[int, store.Place],
        named: Collection[int] = frozenset(),
    ) -> tuple[list[tuple[float, int, int, int, int]], set[int]]:
        """SCORED with the preference of INTENT for what the best READ_FOR of
        them (of NAMED, the paragraphs of the publishers the question names,
        if any) say (a definition, a figure next to what is counted), and, for a
        question asking plainly what a term is, those that open by saying it:
        only their stored text is read."""
        terms = [Q.Term("plain", w) for w in (key_form(t) for t in TOKEN.findall(intent.defines or "")) if w and is_searched(w)]
        # A question naming a publisher asks what its pages say: only theirs
        # (NAMED) are read, when it names one.
        read = [row for row in scored if row[4] in named] if named else scored
        if terms:
            # Only a paragraph whose text holds the term can say what it is,
            # and a paragraph repeated on another page is read once.
            holders = self._matching(_union(terms) if len(terms) > 1 else terms[0], sorted(row[4] for row in read))
            seen: set[int] = set()
            best = []
            for row in sorted(read, key=lambda row: row[:4]):
                key = places[row[4]].dupkey
                if row[4] in holders and not (key and key in seen):
                    seen.add(key)
                    best.append(row)
                    if len(best) == READ_FOR:
                        break
        else:
            best = heapq.nsmallest(READ_FOR, read, key=lambda row: row[:4])
        wanted = intent.wanted
        changed = {}
        opening = set()
        for row in best:
            docnum = row[4]
            holds = [wanted] if wanted and docnum in holding else []
            if intent.reads(holds):
                text = store.data_of(self._stored_fields(docnum)).text
                changed[docnum] = row[0] * intent.text_factor(text, holds)
                if intent.plainly and intent.opens_with_definition(text):
                    opening.add(docnum)
        if not changed:
            return scored, opening
        return [(changed.get(row[4], row[0]), *row[1:]) for row in scored], opening

    def _candidates(
        self, query: Q.Query, filter_q: Q.Query | None, form_of: dict[tuple[str, str], tuple[str, str]] | None = None
    ) -> tuple[list[tuple[int, float]], int, _Held]:
        """The CANDIDATES paragraphs within FILTER_Q that QUERY scores best, as
        (docnum, score), best first (of equal scores the first paragraph),
        how many paragraphs QUERY matches, and which of them hold each of
        QUERY's terms.

        Each part of QUERY's OR tree is read through once, and its scores,
        times the boosts of the ORs above it, are summed per paragraph: what
        Whoosh's tree of union matchers computes, at a fraction of its cost
        for a question of many parts, where the tree is walked again at every
        paragraph a part matches. Parts that FORM_OF (field and text to a
        key) gives one key, one form of a question's word in several
        fields, add their best score and FIELD_TIE of the others'."""
        forms: dict[object, list[tuple[Q.Query, float]]] = {}
        for part, boost in _union_parts(query):
            forms.setdefault(_form_key(part, form_of), []).append((part, boost))
        context = self._searcher.context()
        scores: dict[int, float] = {}
        get = scores.get
        held = _Held()
        for subsearcher, offset in self._searcher.leaf_searchers():
            for group in forms.values():
                if len(group) == 1:
                    _score_part(subsearcher, context, offset, *group[0], scores, held)
                    continue
                # best + FIELD_TIE * (sum - best), as FIELD_TIE * sum + (1 - FIELD_TIE) * best
                greatest: dict[int, float] = {}
                for part, boost in group:
                    _score_part(subsearcher, context, offset, part, boost, scores, held, FIELD_TIE, greatest)
                for docnum, score in greatest.items():
                    scores[docnum] = get(docnum, 0.0) + (1.0 - FIELD_TIE) * score
        if filter_q is not None:
            allowed = set(self._searcher.docs_for_query(filter_q))
            scores = {docnum: score for docnum, score in scores.items() if docnum in allowed}
        best = heapq.nlargest(CANDIDATES, scores.items(), key=lambda item: (item[1], -item[0]))
        return best, len(scores), held

    def _leads(self, docnums: list[int]) -> dict[int, int]:
        """For each of DOCNUMS (sorted) that is an item of a list, the paragraph
        that leads into its list: the first before it in its section that is
        no item, within LEAD_WITHIN paragraphs."""
        items = self._matching(Q.Term("holds", store.ITEM), docnums)
        if not items:
            return {}
        places = self._places(items)
        before = sorted({docnum - k for docnum in items for k in range(1, min(places[docnum].n, LEAD_WITHIN + 1))})
        places.update(self._places(before))
        items |= self._matching(Q.Term("holds", store.ITEM), before)
        leads = {}
        for docnum in docnums:
            if docnum in items:
                lead, n = docnum - 1, min(places[docnum].n - 1, LEAD_WITHIN)
                while n and lead in items:
                    lead, n = lead - 1, n - 1
                if n and places[lead].section == places[docnum].section:
                    leads[docnum] = lead
        return leads

    def _rescored(
        self, found: list[tuple[int, float]], deferred: list[tuple[Q.Phrase, float]], held: _Held, near: list[Near]
    ) -> list[tuple[int, float]]:
        """FOUND (docnum, score) with the score of each DEFERRED phrase (see
        _deferred), times the boost of the ORs above it, and on the best
        NEAR_CANDIDATES of each NEAR sequence, times NEAR_WEIGHT, added where
        the paragraph holds it: the score Whoosh gives a phrase (the sum of
        its words' scores, times its boost).

        Only positions at these paragraphs are read, only where HELD does not
        already say a word is missing, and each word's postings are opened
        once for all the phrases: Whoosh's own phrase matcher, moved from
        one candidate to the next, checks positions at every paragraph
        between them that holds all the words, which for two common words is
        most of the corpus."""
        added = dict.fromkeys((docnum for docnum, _ in found), 0.0)
        jobs: list[tuple[str, tuple[tuple[str, ...], ...], int, float]] = [
            (phrase.fieldname, tuple((w,) for w in phrase.words), phrase.slop, boost * phrase.boost) for phrase, boost in deferred]
        jobs += [("plain", n.slots, n.slop, NEAR_WEIGHT) for n in near]
        best = {docnum for docnum, _ in found[:NEAR_CANDIDATES]}
        # Each word with the bit of a term a paragraph holds whenever it
        # holds the word (the word itself, or its stem), or -1.
        wanted: dict[int, list[tuple[str, list[list[tuple[str, int]]], int, float]]] = {}
        get = held.terms.get
        for k, (fieldname, slots, slop, weight) in enumerate(jobs):
            bits = [[(w, held.bit_of(fieldname, w)) for w in slot] for slot in slots]
            # A paragraph must hold some word of each slot whose words are all
            # known (the bits are distinct powers of two: their sum is their OR).
            masks = [sum({bit for _, bit in slot}) for slot in bits if all(bit != -1 for _, bit in slot)]
            for docnum in added if k < len(deferred) else best:
                terms = get(docnum, 0)
                if all(terms & mask for mask in masks):
                    wanted.setdefault(docnum, []).append((fieldname, bits, slop, weight))
        context = self._searcher.context()
        for subsearcher, offset in self._searcher.leaf_searchers():
            end = offset + subsearcher.doc_count_all()
            matchers: dict[tuple[str, str], Any] = {}
            for docnum in sorted(d for d in wanted if offset <= d < end):
                terms = get(docnum, 0)
                for fieldname, bits, slop, weight in wanted[docnum]:
                    opened: list[list[Any]] = []
                    for slot in bits:
                        opened.append([])
                        for word, bit in slot:
                            if bit == -1 or terms & bit:
                                if (fieldname, word) not in matchers:
                                    matchers[fieldname, word] = _postings(subsearcher, context, fieldname, word)
                                opened[-1].append(matchers[fieldname, word])
                    score = _sequence_score(opened, docnum - offset, slop)
                    if score:
                        added[docnum] += weight * score
        return [(docnum, score + added[docnum]) for docnum, score in found]

    def _frequency(self, fieldname: str, text: str) -> int:
        """How many paragraphs hold TEXT in FIELDNAME, remembered: an opened
        index does not change, and questions and their hits look up the same
        terms again and again."""
        return self._frequencies[fieldname, text]

    def _holds_phrase(self, words: tuple[str, ...]) -> bool:
        """Whether some paragraph holds the phrase WORDS, remembered (as term
        counts are): a related everyday phrase of common words ("set up")
        would otherwise cost a check of positions at every question."""
        return self._phrases[words]

    def _phrase_found(self, words: tuple[str, ...]) -> bool:
        if not all(self._frequency("plain", w) for w in words):
            return False
        return Q.Phrase("plain", list(words)).matcher(self._searcher, self._searcher.boolean_context()).is_active()

    def _source_ids(self) -> dict[int, str]:
        """Source ids by their key in the ``place`` column."""
        if self._source_keys is None:
            self._source_keys = {store.id_key(sid): sid for sid in self.kb.source_ids}
        return self._source_keys

    def _places(self, docnums: Iterable[int]) -> dict[int, store.Place]:
        """The Place of each of DOCNUMS, from the index's ``place`` column."""
        if self._place_column is None:
            self._place_column = self._searcher.reader().column_reader("place", translate=False)
        column = self._place_column
        return {docnum: store.place_from(column[docnum]) for docnum in docnums}

    def _stored_fields(self, docnum: int) -> dict:
        """A paragraph's stored fields, remembered (at most REMEMBERED_PARAGRAPHS):
        the best candidates of one question are often those of the next."""
        return self._stored[docnum]

    def _hit(self, group: _Group, rank: int) -> Hit:
        """The Hit a group of matched paragraphs makes: their stored fields read."""
        fields = [self._stored_fields(docnum) for _, docnum, _ in group.passages]
        cited = [Passage(store.paragraph_from(f), score, dupkey=place.dupkey_text)
                 for f, (score, _, place) in zip(fields, group.passages)]
        section = store.section_from(fields[0], [p.paragraph for p in cited])
        return Hit(rank, group.score, section, self._source(section.source), cited)

    def _complete(self, hits: list[Hit], plan: QueryPlan, explain: bool) -> None:
        """Finish the hits that are shown: a short section cited whole, where
        else each passage was published, and with EXPLAIN the scores."""
        for hit in hits:
            section = hit.section
            if section.size <= SHORT_SECTION and len(hit.passages) < section.size:
                whole = self.kb.section(section.id)
                if whole is not None:
                    cited = {p.paragraph.n for p in hit.passages}
                    hit.passages += [Passage(p, 0.0, matched=False) for p in whole.paragraphs if p.n not in cited]
                    section.paragraphs = [p.paragraph for p in hit.passages]
            hit.also_in = self._also_in(hit)
            if explain:
                hit.explanation = self._explain(plan, hit)

    @staticmethod
    def _led(paras: list[tuple[float, int, store.Place]]) -> list[_Group]:
        """The hits of one section, from its matched PARAS (best first).

        Each of its best SECTION_HITS paragraphs leads a hit of its own, so
        the paragraph that answers is never hidden behind a better-scoring
        one of the same section; a hit's score is its lead's and a little
        of the section's other best ones'. The first hit also shows the
        matched paragraphs that lead none. A short section is one hit.
        """
        leads = 1 if paras[0][2].size <= SHORT_SECTION else SECTION_HITS
        groups = []
        for i, lead in enumerate(paras[:leads]):
            others = (paras[:i] + paras[i + 1:])[:MAX_PASSAGES - 1]
            shown = [lead] + (paras[leads:] if i == 0 else [])
            groups.append(_Group(lead[0] + OTHER_PASSAGES_WEIGHT * sum(s for s, _, _ in others), shown[:MAX_PASSAGES]))
        return groups

    def _matching(self, query: Q.Query, docnums: list[int], held: _Held | None = None) -> set[int]:
        """Which of DOCNUMS (sorted) QUERY matches. The words of an OR are
        answered from what HELD (the candidates' terms) knows of them, from
        their postings when those are short, otherwise by skipping their
        matcher to each of DOCNUMS rather than running it over the whole
        index; its phrases and other parts are then tried on the paragraphs
        the words left, a phrase only where its rarest word is."""
        parts = [part for part, _ in _union_parts(query)]
        reader = self._searcher.reader()
        terms = [q for q in parts if isinstance(q, Q.Term)]
        found: set[int] = set()
        if held is not None:
            found, terms = held.holding(terms, docnums)
        if terms and sum(self._frequency(q.fieldname, q.text) for q in terms) <= POSTINGS_READ * len(docnums):
            read: set[int] = set()
            for q in terms:
                if self._frequency(q.fieldname, q.text):
                    read.update(reader.postings(q.fieldname, q.text).all_ids())
            found |= read & set(docnums)
        elif terms:
            found |= self._skipping(terms[0] if len(terms) == 1 else _union(terms), docnums)
        for part in (q for q in parts if not isinstance(q, Q.Term)):
            others = [d for d in docnums if d not in found]
            every = held.holding_all(part, others) if held is not None else None
            if every is not None:
                found |= every
                continue
            if isinstance(part, Q.Phrase) and others:
                # Only a paragraph holding its rarest word can hold the phrase.
                rarest = min(part.words, key=lambda w: self._frequency(part.fieldname, w))
                if self._frequency(part.fieldname, rarest) <= POSTINGS_READ * len(docnums):
                    rare = set(reader.postings(part.fieldname, rarest).all_ids()) if self._frequency(part.fieldname, rarest) else set()
                    others = [d for d in others if d in rare]
            if isinstance(part, Q.Phrase) and self._searcher.schema[part.fieldname].format.supports("positions"):
                found |= self._holding_phrase(part, others)
            else:
                found |= self._skipping(part, others) if others else set()
        return found

    def _holding_phrase(self, phrase: Q.Phrase, docnums: list[int]) -> set[int]:
        """Which of DOCNUMS (sorted) hold PHRASE, from its words' positions at
        them only (see _rescored)."""
        out: set[int] = set()
        context = self._searcher.context()
        for subsearcher, offset in self._searcher.leaf_searchers():
            end = offset + subsearcher.doc_count_all()
            inside = [d - offset for d in docnums if offset <= d < end]
            if not inside:
                continue
            slots = [[_postings(subsearcher, context, phrase.fieldname, word)] for word in phrase.words]
            out.update(offset + d for d in inside if _sequence_at(slots, d, phrase.slop) is not None)
        return out

    def _leaf_frequency(self, leaf: Q.Query) -> int:
        """How many paragraphs hold LEAF, at most: a phrase is no commoner than
        its rarest word."""
        if isinstance(leaf, Q.Phrase):
            return min((self._frequency(leaf.fieldname, w) for w in leaf.words), default=0)
        if isinstance(leaf, Q.Term):
            return self._frequency(leaf.fieldname, leaf.text)
        reader = self._searcher.reader()
        return max((self._frequency(*_as_text(t)) for t in leaf.expanded_terms(reader)), default=0)

    def _skipping(self, query: Q.Query, docnums: list[int]) -> set[int]:
        """Which of DOCNUMS (sorted) QUERY matches, by skipping its matcher to each."""
        out: set[int] = set()
        try:
            matcher = query.matcher(self._searcher, self._searcher.boolean_context())
        except AttributeError:  # pragma: no cover - Whoosh without boolean_context
            matcher = query.matcher(self._searcher)
        for docnum in docnums:
            if not matcher.is_active():
                break
            if _advance(matcher, docnum):
                out.add(docnum)
        return out

    def _coverage(self, plan: QueryPlan, found: list[tuple[int, float]], sources: dict[int, str], held: _Held | None = None,
                  slot: tuple[str, set[int]] | None = None, leads: dict[int, int] | None = None) -> dict[int, float]:
        """For a question of several words, the (idf-weighted) share of its
        words each candidate paragraph matches, in its text, headings or the
        title and publisher of its page: more matched words rank higher.
        SLOT is the word naming the kind of answer ("year" in "which year")
        and the paragraphs that hold that kind (a date, a figure): they match it.
        LEADS maps an item of a list to the paragraph that leads into its
        list: the item matches a word that paragraph matches, at ITEM_CONTEXT."""
        if len(plan.units) < 2 or not found:
            return {}
        reader = self._searcher.reader()
        total_docs = max(reader.doc_count(), 1)
        docnums = sorted(docnum for docnum, _ in found)
        weights = []
        matches = []
        synonyms = {id(leaf.query) for leaf in plan.leaves if leaf.kind == "synonym"}
        # A word is as rare as the question's own words say, not its glossary's other terms.
        expanded = {id(leaf.query) for leaf in plan.leaves if leaf.kind in ("expansion", "related")}
        typed = {word: kind for word, _, kind in plan.typed_words}
        named = {id(leaf.query) for leaf in plan.leaves if typed.get(leaf.word) in ("figure", "acronym")}
        names = {id(leaf.query) for leaf in plan.leaves if typed.get(leaf.word) == "name"}
        word_of = {id(leaf.query): leaf.word.lower() for leaf in plan.leaves}
        of_slot = {id(leaf.query) for leaf in plan.leaves if slot and key_form(leaf.word) == slot[0]}
        for unit in plan.units:
            own = _without(unit.query, synonyms)
            members, term = unit.parts()
            # A term of several words is as rare as the term, not as its commonest word.
            of_term = {id(leaf) for leaf in term}
            leaves = list(own.leaves()) if own is not None else []
            naming = _naming_terms(leaves, reader)
            # A rare word says more about what is asked than a common one.
            counted = [leaf for leaf in leaves if leaf.field() in ("plain", "body")]
            asked = [leaf for leaf in counted if id(leaf) not in expanded] or counted
            asked = [leaf for leaf in asked if id(leaf) in of_term] or asked
            df = max((self._leaf_frequency(leaf) for leaf in asked), default=0)
            weight = math.log(1 + total_docs / (1 + df)) ** IDF_POWER
            rare = df <= RARE_SHARE * total_docs
            if any(id(q) in named or (rare and id(q) in names) for q in unit.leaves()):
                # An acronym, a figure or a rare name ("Syria", not "Protect")
                # names exactly what is asked about.
                weight *= NAMED_WEIGHT
            words = {word_of[id(q)] for q in unit.leaves() if id(q) in word_of}
            if words and words <= QUALIFYING_WORDS:
                weight *= QUALIFIER_WEIGHT
            weights.append(weight)
            hit = dict.fromkeys(self._matching(own, docnums, held) if own is not None else (), 1.0)
            for d, share in self._member_shares(members, term, synonyms, docnums, held).items():
                if d in hit:
                    hit[d] = min(hit[d], share)
            for heading in _phrases_in_headings(leaves, self._frequency):
                rest = [d for d in docnums if d not in hit]
                hit.update(dict.fromkeys(self._matching(heading, rest, held) if rest else (), 1.0))
            if own is not unit.query:
                rest = [d for d in docnums if d not in hit]
                others = _union([q for q in unit.leaves() if id(q) in synonyms])
                for d in self._matching(others, rest, held) if rest else ():
                    hit[d] = SYNONYM_COVERAGE
            named_by = {sid for sid in set(sources.values()) if any(terms <= self._context_terms(sid) for terms in naming)}
            if named_by:
                hit.update(dict.fromkeys((d for d in docnums if sources[d] in named_by), 1.0))
            if slot and any(id(q) in of_slot for q in unit.leaves()):
                hit.update(dict.fromkeys(slot[1], 1.0))
            for item, lead in (leads or {}).items():
                if lead in hit and hit.get(item, 0.0) < ITEM_CONTEXT * hit[lead]:
                    hit[item] = ITEM_CONTEXT * hit[lead]
            matches.append(hit)
        whole = sum(weights) or 1.0
        shares = dict.fromkeys(docnums, 0.0)
        for hit, weight in zip(matches, weights):
            for d, share in hit.items():
                shares[d] += weight * share
        return {d: (share / whole) ** COVERAGE_POWER for d, share in shares.items()}

    def _member_shares(
        self, members: list[list[Q.Query]], term: list[Q.Query], synonyms: set[int], docnums: list[int], held: _Held | None
    ) -> dict[int, float]:
        """For a unit joining several words of the question (a glossary term,
        a compound), the share of its MEMBERS (each word's leaves) each
        paragraph holds where it does not hold the TERM itself: one word of
        "Operational Improvement Review" (or a word related to it) is not
        the review. Leaves in SYNONYMS are not counted."""
        held_words = [qs for qs in ([q for q in member if id(q) not in synonyms] for member in members) if qs]
        if len(held_words) < 2:
            return {}
        wholes = [q for q in term if id(q) not in synonyms]
        whole = self._matching(_union(wholes), docnums, held) if wholes else set()
        held_by = [self._matching(_union(qs), docnums, held) for qs in held_words]
        return {d: sum(d in h for h in held_by) / len(held_by) for d in docnums if d not in whole}

    def _also_in(self, hit: Hit) -> list[Place]:
        """Other places where the hit's passages were published word for word."""
        places: dict[str, tuple[dict, list[Paragraph]]] = {}
        reader = self._searcher.reader()
        for passage in hit.passages:
            key = passage.dupkey if passage.dupkey is not None else store.duplicate_key(passage.paragraph.text)
            if not key or self._frequency("dupkey", key) < 2:
                continue
            for docnum in reader.postings("dupkey", key).all_ids():
                fields = self._stored_fields(docnum)
                if fields["section"] != hit.section.id:
                    places.setdefault(fields["section"], (fields, []))[1].append(store.paragraph_from(fields))
        out = []
        for fields, paras in places.values():
            paras.sort(key=lambda p: p.n)
            section = store.section_from(fields, paras)
            out.append(Place(section, self._source(section.source), paras))
        out.sort(key=lambda p: (self._source_order.get(p.section.source, 0), p.section.lines[0]))
        return out

    def _explain(self, plan: QueryPlan, hit: Hit) -> list[dict]:
        """Which terms of the plan matched the hit's best passage, with their scores."""
        pid = f"{hit.section.id}#{hit.passages[0].paragraph.n}"
        docnum = self._searcher.document_number(id=pid)
        out: list[dict] = []
        if docnum is None:
            return out
        context = self._searcher.context()
        for leaf in plan.leaves:
            matcher = leaf.query.matcher(self._searcher, context)
            if _advance(matcher, docnum):
                score = matcher.score()
                if score > 0:
                    out.append({"word": leaf.word, "field": leaf.field, "term": leaf.text, "kind": leaf.kind, "score": round(score, 4)})
        for near in plan.near:
            slots = [[_postings(self._searcher, context, "plain", w) for w in slot] for slot in near.slots]
            score = _sequence_score(slots, docnum, near.slop)
            if score > 0:
                term = " ".join("|".join(slot) for slot in near.slots)
                out.append({"word": near.words, "field": "plain", "term": term, "kind": "near", "score": round(NEAR_WEIGHT * score, 4)})
        return out


K = TypeVar("K")
V = TypeVar("V")


class _Remembered(dict[K, V]):
    """Values worked out by COMPUTE from their key when first asked for, at
    most LIMIT of them kept (then it starts again): a searcher's look-ups of
    an index that does not change while it is open."""

    def __init__(self, limit: int, compute: Callable[[K], V]) -> None:
        super().__init__()
        self.limit = limit
        self.compute = compute

    def __missing__(self, key: K) -> V:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.compute(key)
        return value


class _Held:
    """Which paragraphs hold which terms, as the candidates' scoring read them
    (each term a bit, each paragraph the bits of the terms it holds): coverage
    then asks no postings of its own for those terms."""

    def __init__(self) -> None:
        self.bits: dict[tuple[str, str], int] = {}
        self.terms: dict[int, int] = {}

    def bit(self, part: Q.Query) -> int:
        """The bit of PART if it is a term (0 otherwise), given once."""
        if not isinstance(part, Q.Term):
            return 0
        key = _as_text((part.fieldname, part.text))
        found = self.bits.get(key)
        if found is None:
            found = self.bits[key] = 1 << len(self.bits)
        return found

    def bit_of(self, fieldname: str, word: str) -> int:
        """The bit of a term every paragraph holding WORD in FIELDNAME holds:
        the word's own, or for an unstemmed word its stem's in the stemmed
        text; -1 when neither is known here."""
        bit = self.bits.get((fieldname, word), 0)
        if not bit and fieldname == "plain":
            bit = self.bits.get(("body", stem_word(word) or word), 0)
        return bit or -1

    def holding_all(self, query: Q.Query, docnums: list[int]) -> set[int] | None:
        """Which of DOCNUMS hold every term of QUERY, when it is an AND of terms
        all known here; otherwise None."""
        if not isinstance(query, Q.And):
            return None
        terms = [q for q in query.subqueries if isinstance(q, Q.Term)]
        if not terms or len(terms) < len(query.subqueries):
            return None
        bits = [self.bits.get(_as_text((q.fieldname, q.text)), 0) for q in terms]
        if not all(bits):
            return None
        mask = sum(set(bits))
        return {d for d in docnums if self.terms.get(d, 0) & mask == mask}

    def holding(self, terms: list[Q.Term], docnums: list[int]) -> tuple[set[int], list[Q.Term]]:
        """Which of DOCNUMS hold one of TERMS known here, and the TERMS not known."""
        mask = 0
        unknown = []
        for term in terms:
            bit = self.bits.get(_as_text((term.fieldname, term.text)), 0)
            mask |= bit
            if not bit:
                unknown.append(term)
        return ({d for d in docnums if self.terms.get(d, 0) & mask} if mask else set()), unknown


def _without(query: Q.Query, leaves: set[int]) -> Q.Query | None:
    """QUERY without the leaf queries whose ids are in LEAVES (QUERY itself
    when it holds none of them; None when nothing is left)."""
    return _rewritten(query, lambda part, _: None if id(part) in leaves else part)


def _rewritten(query: Q.Query, change: Callable[[Q.Query, float], Q.Query | None], boost: float = 1.0) -> Q.Query | None:
    """QUERY with each part of its OR tree (each query that is not an OR)
    replaced by CHANGE(part, product of the boosts of the ORs above it), in
    order, and left out where that is None: QUERY itself when nothing
    changes, None when nothing is left."""
    if not isinstance(query, Q.Or):
        return change(query, boost)
    parts = [_rewritten(child, change, boost * query.boost) for child in query.subqueries]
    if all(p is c for p, c in zip(parts, query.subqueries)):
        return query
    kept = [p for p in parts if p is not None]
    return _union(kept, query.boost) if kept else None


def _deferred(query: Q.Query) -> tuple[Q.Query, list[tuple[Q.Phrase, float]]]:
    """QUERY without the phrases that only add to the score of paragraphs it
    finds anyway (a phrase an OR holds whose words the query also searches
    as words of the same field), and those phrases, each with the boost of
    the ORs above it. Read through on its own, a phrase costs a check of
    positions at every paragraph that holds its words; scored on the
    candidates alone (Searcher._rescored), it costs a skip to each."""
    if not isinstance(query, Q.Or):
        return query, []
    words = {(q.fieldname, q.text) for q in query.leaves() if isinstance(q, Q.Term)}
    # The same phrase met again (another boost) is scored once: a phrase's
    # score grows linearly with its boost.
    deferred: dict[tuple[str, tuple[str, ...]], tuple[Q.Phrase, float]] = {}

    def defer(part: Q.Query, boost: float) -> Q.Query | None:
        if isinstance(part, Q.Phrase) and all((part.fieldname, w) in words for w in part.words):
            key = (part.fieldname, tuple(part.words))
            first, factor = deferred.get(key, (part, 0.0))
            deferred[key] = (first, factor + boost * part.boost / first.boost)
            return None
        return part

    main = _rewritten(query, defer)
    return (main, list(deferred.values())) if main is not None else (query, [])


def _merged(query: Q.Query) -> Q.Query:
    """QUERY with each term of its OR tree searched once: a term met again
    with another boost (a glossary expansion and a compound often give the
    same word) adds its boost to the first. BM25F's score grows linearly
    with a term's boost, so every paragraph scores as before, for one
    matcher less."""
    if not isinstance(query, Q.Or):
        return query
    total: dict[tuple[str, str], float] = {}
    above: dict[tuple[str, str], float] = {}  # the boost of the ORs above a term's first place
    count: dict[tuple[str, str], int] = {}
    for part, boost in _union_parts(query):
        if isinstance(part, Q.Term):
            key = (part.fieldname, part.text)
            total[key] = total.get(key, 0.0) + part.boost * boost
            above.setdefault(key, boost)
            count[key] = count.get(key, 0) + 1
    repeated = {key for key, n in count.items() if n > 1 and above[key]}
    if not repeated:
        return query
    placed: set[tuple[str, str]] = set()

    def merge(part: Q.Query, boost: float) -> Q.Query | None:
        key = (part.fieldname, part.text) if isinstance(part, Q.Term) else None
        if key not in repeated:
            return part
        if key in placed:
            return None
        placed.add(key)
        return Q.Term(key[0], key[1], boost=total[key] / above[key])

    return _rewritten(query, merge) or query


def _form_key(part: Q.Query, form_of: dict[tuple[str, str], tuple[str, str]] | None) -> object:
    """The key of the question's word and kind of form PART searches (see
    _candidates), or PART itself when FORM_OF does not know it."""
    if isinstance(part, Q.Term):
        found = form_of.get(_as_text((part.fieldname, part.text))) if form_of else None
    elif isinstance(part, Q.Phrase):
        found = form_of.get((part.fieldname, " ".join(part.words))) if form_of else None
    else:
        found = None
    return found if found is not None else id(part)


def _union(queries: Sequence[Q.Query], boost: float = 1.0) -> Q.Or:
    """An OR of QUERIES matched by Whoosh's tree of union matchers (see
    query._union_trees)."""
    out = Q.Or(queries, boost=boost)
    out.matcher_type = Q.Or.DEFAULT_MATCHER
    return out


def _union_parts(query: Q.Query, boost: float = 1.0) -> list[tuple[Q.Query, float]]:
    """The queries an OR tree joins (QUERY itself when it is no OR), in
    order, each with the product of the boosts of the ORs above it."""
    if not isinstance(query, Q.Or):
        return [(query, boost)]
    return [part for q in query.subqueries for part in _union_parts(q, boost * query.boost)]


def _advance(matcher, docnum: int) -> bool:
    """Move MATCHER on to DOCNUM (or past it); whether it is on DOCNUM."""
    if matcher.is_active() and matcher.id() < docnum:
        matcher.skip_to(docnum)
    return matcher.is_active() and matcher.id() == docnum


def _score_part(
    subsearcher, context, offset: int, part: Q.Query, boost: float, scores: dict[int, float], held: _Held,
    share: float = 1.0, best: dict[int, float] | None = None,
) -> None:
    """Add SHARE of BOOST times PART's score at each paragraph of
    SUBSEARCHER (from OFFSET) that it matches to SCORES, keep in BEST the
    greatest such whole score at each, and note in HELD which hold it."""
    bit = held.bit(part)
    get = scores.get
    if isinstance(part, Q.Term) and part.fieldname in subsearcher.schema:
        matcher = _postings(subsearcher, context, part.fieldname, part.text)
        scorer = block_scorer(matcher) if BLOCK_READS else None
        if scorer is not None:
            scored = scorer.add_all(matcher, offset, boost, part.boost, scores, share, best)
            if bit:
                for docnum in scored:
                    held.terms[offset + docnum] = held.terms.get(offset + docnum, 0) | bit
            return
        if part.boost != 1.0:
            matcher = WrappingMatcher(matcher, boost=part.boost)
    else:
        matcher = part.matcher(subsearcher, context)
    while matcher.is_active():
        docnum = offset + matcher.id()
        value = boost * matcher.score()
        scores[docnum] = get(docnum, 0.0) + (value if share == 1.0 else share * value)
        if best is not None and value > best.get(docnum, 0.0):
            best[docnum] = value
        if bit:
            held.terms[docnum] = held.terms.get(docnum, 0) | bit
        matcher.next()


def _postings(searcher, context, fieldname: str, word: str) -> Any:
    """The scored postings of WORD in FIELDNAME, as Q.Term's matcher gives
    them, without its check that the term exists first (a second look-up of
    the term): the words asked for here are nearly always in the index."""
    from whoosh.reading import TermNotFound

    try:
        return searcher.postings(fieldname, word, weighting=context.weighting)
    except (TermNotFound, ValueError):  # ValueError: a word UTF-8 cannot encode (a lone surrogate)
        from whoosh.matching import NullMatcher

        return NullMatcher()


def _sequence_at(slots: list[list[Any]], docnum: int, slop: int) -> list[list[Any]] | None:
    """Whether a sequence stands at DOCNUM, each of SLOTS the matchers of the
    words that may stand there (moved on to DOCNUM): when one word of each
    slot the paragraph holds follows the one before by 1 to SLOP places, the
    matchers of each slot that hold a word there; otherwise None."""
    holding = []
    for slot in slots:
        held = [m for m in slot if _advance(m, docnum)]
        if not held:
            return None
        holding.append(held)
    positions = [held[0].value_as("positions") if len(held) == 1 else sorted(p for m in held for p in m.value_as("positions"))
                 for held in holding]
    return holding if _in_order(positions, slop) else None


def _sequence_score(slots: list[list[Any]], docnum: int, slop: int) -> float:
    """The score of a sequence at DOCNUM (see _sequence_at): the sum, over
    the slots, of the best score of a word the paragraph holds there; 0 when
    the sequence is not there."""
    holding = _sequence_at(slots, docnum, slop)
    return sum(max(m.score() for m in held) for held in holding) if holding else 0.0


def _in_order(positions: Sequence[Sequence[int]], slop: int) -> bool:
    """Whether one position from each of POSITIONS (each ascending) follows
    the one before it by 1 to SLOP places: a phrase found, as Whoosh's
    ordered span match finds it."""
    reached = list(positions[0])
    for following in positions[1:]:
        reached = [p for p in following if (k := bisect_left(reached, p - slop)) < len(reached) and reached[k] < p]
        if not reached:
            return False
    return True


class Vocabulary:
    """The unstemmed words of an index, as FREQUENCY (how many paragraphs
    hold a term; a searcher's remembered count) finds them."""

    def __init__(self, frequency: Callable[[str, str], int]) -> None:
        self.frequency = frequency

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and bool(word) and self.frequency("plain", word) > 0


def _as_text(term: tuple[str, str | bytes]) -> tuple[str, str]:
    """A (field, text) term with text as str (Whoosh gives bytes in places)."""
    field, text = term
    return field, text if isinstance(text, str) else text.decode("utf-8")


def _naming_terms(leaves: Iterable[Q.Query], reader) -> list[frozenset[tuple[str, str]]]:
    """The stemmed words a page's title and publisher must hold to name one
    of LEAVES: a word's stem, or every word of a phrase ("counter terrorism
    policing", the long form of "CTP", is named by a page that Counter
    Terrorism Policing publishes)."""
    naming = []
    for leaf in leaves:
        if isinstance(leaf, Q.Phrase):
            naming.append(frozenset(("body", stem) for stem in stemmed_terms(" ".join(leaf.words))))
        else:
            naming += [frozenset([term]) for term in map(_as_text, leaf.expanded_terms(reader)) if term[0] == "body"]
    return [terms for terms in naming if terms]


def _phrases_in_headings(leaves: Iterable[Q.Query], frequency: Callable[[str, str], int]) -> list[Q.Query]:
    """For each phrase of LEAVES whose words some heading holds (FREQUENCY
    counts the paragraphs holding a term), a query for a heading holding all
    of them (headings keep no positions): a paragraph under a heading that
    names a term ("Desistance and Disengagement Programme") is about it."""
    out: list[Q.Query] = []
    for leaf in leaves:
        if isinstance(leaf, Q.Phrase):
            stems = [stem for stem in (stem_word(w) for w in leaf.words) if stem]
            if len(stems) > 1 and all(frequency("heading", stem) for stem in stems):
                out.append(Q.And([Q.Term("heading", stem) for stem in stems]))
    return out


def _speaks_of(plan: QueryPlan, text: str, heading_path: Sequence[str]) -> bool:
    """Whether a passage matches most of the words of PLAN."""
    words = {leaf.word for leaf in plan.leaves if leaf.kind not in RANKING_AIDS and leaf.kind != "wildcard"}
    return len(unmatched_words(plan, text, heading_path)) * 2 < len(words)


@lru_cache(maxsize=1024)
def _passage_terms(text: str) -> PassageTerms:
    """A passage's terms, remembered: the same passages and headings answer many questions."""
    return PassageTerms(text)


def unmatched_words(plan: QueryPlan, text: str, heading_path: Sequence[str] = ()) -> list[str]:
    """The words of the query (as typed) that a passage does not match, in
    its TEXT or its section's HEADING_PATH, by any of their forms or glossary
    equivalents. Wildcards and stop words are not counted, and a general
    English synonym or a related everyday word is a ranking aid, not a match."""
    passage = _passage_terms(text)
    heading = _passage_terms(" ".join(heading_path))

    def holds(field: str, term: str) -> bool:
        if field == "plain":
            return term in passage.plain or term in heading.plain
        return passage.has_stem(term) or heading.has_stem(term)

    by_word: dict[str, bool] = {}
    for leaf in plan.leaves:
        if leaf.kind == "wildcard" or by_word.get(leaf.word):
            continue
        hit = leaf.kind not in RANKING_AIDS and all(holds(leaf.field, t) for t in leaf.text.split())
        by_word[leaf.word] = hit
    return [word for word, hit in by_word.items() if not hit]


def highlight_spans(text: str, plan: QueryPlan) -> list[tuple[int, int]]:
    """Character ranges of TEXT holding words the query matched: its words,
    stems and wildcards, and its phrases and multi-word glossary expansions
    where their words stand together."""
    wanted_plain = {t for t in plan.plain_terms if " " not in t}
    phrases = {tuple(t.split()) for t in plan.plain_terms if " " in t}
    wanted_stem = plan.stemmed_terms
    patterns = plan.patterns
    found = spans(text)
    marked = [
        term in wanted_plain or (stem is not None and stem in wanted_stem) or any(fnmatch.fnmatchcase(term, p) for p in patterns)
        for _, _, term, stem in found
    ]
    terms = [term for _, _, term, _ in found]
    for phrase in phrases:
        n = len(phrase)
        for k in range(len(terms) - n + 1):
            if tuple(terms[k : k + n]) == phrase:
                marked[k : k + n] = [True] * n
    return [(start, end) for (start, end, _, _), hit in zip(found, marked) if hit]


def search(
    kb: IndexedCorpus,
    text: str,
    strands: Sequence[str] = (),
    sources: Sequence[str] = (),
    limit: int | None = 10,
    correct: bool = True,
    explain: bool = False,
) -> SearchResult:
    """Search the opened index KB for TEXT (see Searcher.search)."""
    with Searcher(kb) as searcher:
        return searcher.search(text, strands, sources, limit, correct, explain)
