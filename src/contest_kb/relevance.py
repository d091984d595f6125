"""Measure search quality: a set of questions with the phrases their answering
paragraphs contain, scored for contest-kb and for an SQLite FTS5 baseline.

A question succeeds at rank k when the best cited passage of the k-th hit
contains one of its expected phrases (compared case-insensitively, with
typography folded). Reported: success@1, success@3 and MRR@5.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence

from .errors import InvalidInput
from .text import plain

DEPTH = 5
# The repository's sets beyond the first, in the order they were written
# (which are held out and which tuned on: see the README).
RELEVANCE_SETS = ("relevance-styles.toml", "relevance-fresh.toml", "relevance-unseen.toml", "relevance-everyday.toml",
                  "relevance-blind.toml", "relevance-seventh.toml", "relevance-eighth.toml",
                  "relevance-ninth.toml", "relevance-tenth.toml", "relevance-eleventh.toml",
                  "relevance-twelfth.toml", "relevance-thirteenth.toml", "relevance-fourteenth.toml",
                  "relevance-fifteenth.toml", "relevance-sixteenth.toml", "relevance-seventeenth.toml",
                  "relevance-eighteenth.toml", "relevance-nineteenth.toml", "relevance-twentieth.toml",
                  "relevance-twenty-first.toml", "relevance-twenty-second.toml", "relevance-twenty-third.toml",
                  "relevance-twenty-fourth.toml", "relevance-twenty-fifth.toml", "relevance-twenty-sixth.toml",
                  "relevance-twenty-seventh.toml", "relevance-twenty-eighth.toml",
                  "relevance-twenty-ninth.toml", "relevance-thirtieth.toml",
                  "relevance-thirty-first.toml", "relevance-thirty-second.toml",
                  "relevance-thirty-third.toml", "relevance-thirty-fourth.toml",
                  "relevance-thirty-fifth.toml", "relevance-thirty-sixth.toml",
                  "relevance-thirty-seventh.toml", "relevance-thirty-eighth.toml",
                  "relevance-thirty-ninth.toml", "relevance-fortieth.toml",
                  "relevance-forty-first.toml")
# Questions the pages cannot answer: the first set, and one in the held-out
# sets' styles (everyday words, keyword soup, rambling, comparisons).
UNANSWERABLE_SETS = ("unanswerable.toml", "unanswerable-styles.toml")


class Question:
    """One relevance question: what a user types and what answers it."""

    __slots__ = ("expect", "kind", "query", "strands")

    def __init__(self, query: str, expect: Sequence[str], kind: str = "", strands: Sequence[str] = ()) -> None:
        self.query = query
        self.expect = list(expect)
        self.kind = kind
        self.strands = list(strands)


class Scores:
    """Per-question ranks (None when not in the top DEPTH) and the metrics."""

    def __init__(self, name: str, questions: Sequence[Question], ranks: Sequence[int | None]) -> None:
        self.name = name
        self.questions = list(questions)
        self.ranks = list(ranks)

    def success_at(self, k: int) -> float:
        return sum(1 for r in self.ranks if r is not None and r <= k) / len(self.ranks)

    @property
    def mrr(self) -> float:
        return sum(1 / r for r in self.ranks if r is not None and r <= DEPTH) / len(self.ranks)

    def by_kind(self) -> dict[str, Scores]:
        """The scores of each kind of question (its ``kind``; "" for none), by kind."""
        kinds: dict[str, tuple[list[Question], list[int | None]]] = {}
        for question, rank in zip(self.questions, self.ranks):
            asked, ranks = kinds.setdefault(question.kind, ([], []))
            asked.append(question)
            ranks.append(rank)
        return {kind: Scores(self.name, asked, ranks) for kind, (asked, ranks) in sorted(kinds.items())}

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "questions": len(self.ranks),
            "success_at_1": round(self.success_at(1), 4),
            "success_at_3": round(self.success_at(3), 4),
            "mrr_at_5": round(self.mrr, 4),
            "misses_at_1": [q.query for q, r in zip(self.questions, self.ranks) if r != 1],
            "by_kind": {kind: {"questions": len(k.ranks), "success_at_1": round(k.success_at(1), 4), "success_at_3": round(k.success_at(3), 4)}
                        for kind, k in self.by_kind().items()},
        }


def _fold(text: str) -> str:
    return plain(text).lower()


def answers(passage: str, question: Question) -> bool:
    """Whether PASSAGE contains one of QUESTION's expected phrases."""
    folded = _fold(passage)
    return any(_fold(p) in folded for p in question.expect)


def load_questions(path: str | os.PathLike[str]) -> list[Question]:
    """Read a relevance set: TOML with [[question]] tables of query and expect."""
    from .corpus import read_toml

    path = os.fspath(path)
    if not os.path.isfile(path):
        raise InvalidInput(f"relevance set {path} not found; pass the path of a questions file")
    questions = []
    for k, entry in enumerate(read_toml(path).get("question", []), 1):
        query = entry.get("query") if isinstance(entry, dict) else None
        expect = entry.get("expect") if isinstance(entry, dict) else None
        if isinstance(expect, str):
            expect = [expect]
        if not isinstance(query, str) or not query.strip() or not isinstance(expect, list) or not expect:
            raise InvalidInput(f'{path}: [[question]] #{k} needs query = "..." and expect = "..." or ["...", ...]')
        questions.append(Question(query, expect, entry.get("kind", ""), entry.get("strands", [])))
    if not questions:
        raise InvalidInput(f"{path}: no [[question]] tables found")
    return questions


def rank_of(passages: Iterable[str], question: Question) -> int | None:
    """1-based rank of the first passage answering QUESTION, within DEPTH."""
    for rank, passage in enumerate(passages, 1):
        if rank > DEPTH:
            break
        if answers(passage, question):
            return rank
    return None


def score(name: str, questions: Sequence[Question], ranked: Callable[[Question], list[str]]) -> Scores:
    """Score a system given as RANKED: question -> best passage of each hit, best first."""
    return Scores(name, questions, [rank_of(ranked(q), q) for q in questions])


def contest_kb_ranking(searcher) -> Callable[[Question], list[str]]:
    """contest-kb's ranking: the best cited passage of each hit."""

    def ranked(question: Question) -> list[str]:
        result = searcher.search(question.query, strands=question.strands, limit=DEPTH)
        return [hit.passages[0].paragraph.text for hit in result.hits]

    return ranked


class FTS5Baseline:
    """SQLite FTS5 (BM25, Porter stemming) over the same paragraphs, with the
    question's words ORed: the baseline contest-kb must beat."""

    def __init__(self, sections) -> None:
        import sqlite3

        self.db = sqlite3.connect(":memory:")
        try:
            self.db.execute("CREATE VIRTUAL TABLE passage USING fts5(text, tokenize='porter unicode61')")
        except sqlite3.OperationalError as exc:
            raise InvalidInput(f"this Python's SQLite has no FTS5 ({exc}); the baseline cannot run") from None
        rows = [(p.text,) for s in sections for p in s.paragraphs]
        self.db.executemany("INSERT INTO passage(text) VALUES (?)", rows)

    def __call__(self, question: Question) -> list[str]:
        words = re.findall(r"\w+", question.query)
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in words)
        cur = self.db.execute(
            "SELECT text FROM passage WHERE passage MATCH ? ORDER BY bm25(passage) LIMIT ?", (match, DEPTH)
        )
        return [row[0] for row in cur]


def compare(searcher, questions: Sequence[Question], baseline: bool = True) -> list[Scores]:
    """Score contest-kb and, if BASELINE, the FTS5 baseline on QUESTIONS."""
    out = [score("contest-kb", questions, contest_kb_ranking(searcher))]
    if baseline:
        fts = FTS5Baseline(searcher.kb.sections.values())
        out.append(score("FTS5 baseline", questions, fts))
    return out


class Answerability:
    """How well `answered` tells questions the pages answer from questions
    they cannot: the share of each kind flagged correctly, and the AUC of the
    covered share of key terms (1.0 separates them perfectly, 0.5 is chance)."""

    def __init__(self, answerable: Sequence[tuple[str, bool, float]], unanswerable: Sequence[tuple[str, bool, float]]) -> None:
        self.answerable = list(answerable)
        self.unanswerable = list(unanswerable)

    @property
    def answered_rate(self) -> float:
        return sum(a for _, a, _ in self.answerable) / max(len(self.answerable), 1)

    @property
    def flagged_rate(self) -> float:
        return sum(not a for _, a, _ in self.unanswerable) / max(len(self.unanswerable), 1)

    @property
    def auc(self) -> float:
        pairs = [(x, y) for _, _, x in self.answerable for _, _, y in self.unanswerable]
        if not pairs:
            return 0.0
        return sum(1.0 if x > y else 0.5 if x == y else 0.0 for x, y in pairs) / len(pairs)

    def to_dict(self) -> dict:
        return {
            "answerable": len(self.answerable),
            "unanswerable": len(self.unanswerable),
            "answered_when_answerable": round(self.answered_rate, 4),
            "flagged_when_unanswerable": round(self.flagged_rate, 4),
            "auc": round(self.auc, 4),
            "wrongly_answered": [q for q, a, _ in self.unanswerable if a],
            "wrongly_flagged": [q for q, a, _ in self.answerable if not a],
        }


def _covered(searcher, query: str) -> tuple[str, bool, float]:
    """(query, answered, share of its key terms covered by the best of the first hits)."""
    from .search import ANSWER_WITHIN

    try:
        result = searcher.search(query, limit=ANSWER_WITHIN)
    except InvalidInput:
        return query, False, 0.0
    if not result.hits:
        return query, False, 0.0
    best = max(_coverage(result, hit) for hit in result.hits)
    return query, result.answered, best


def _coverage(result, hit) -> float:
    """How much of what the question asks about HIT covers: half for its
    numbers, acronyms and names (all or nothing), half for its other key terms."""
    hard = set(result.hard_terms)
    soft = [t for t in result.key_terms if t not in hard]
    hard_part = 0.0 if hard & set(hit.unmatched) else 0.5
    soft_part = 0.5 * (1 - len([t for t in hit.unmatched if t not in hard]) / len(soft)) if soft else 0.5
    return hard_part + soft_part


def answerability(searcher, answerable: Iterable[str], unanswerable: Iterable[str]) -> Answerability:
    """Measure `answered` on questions the pages answer and on ones they cannot."""
    return Answerability([_covered(searcher, q) for q in answerable], [_covered(searcher, q) for q in unanswerable])


def load_unanswerable(path: str | os.PathLike[str]) -> list[str]:
    """Read a list of unanswerable questions: TOML with questions = [...]."""
    from .corpus import read_toml

    path = os.fspath(path)
    if not os.path.isfile(path):
        raise InvalidInput(f"unanswerable set {path} not found; pass the path of a questions file")
    questions = read_toml(path).get("questions")
    if not isinstance(questions, list) or not all(isinstance(q, str) and q.strip() for q in questions):
        raise InvalidInput(f'{path}: expected questions = ["...", ...]')
    return questions


def corpus_with(corpus_dir: str, extra_dir: str, target: str) -> str:
    """Copy the corpus at CORPUS_DIR to TARGET and add the pages of EXTRA_DIR
    (a folder of pages with its own sources.json, whose entries are appended
    to the manifest). Returns TARGET."""
    import json
    import shutil

    from .corpus import MANIFEST, _read_text

    manifest = os.path.join(extra_dir, MANIFEST)
    if not os.path.isfile(manifest):
        raise InvalidInput(f"{extra_dir}: no {MANIFEST}; the extra pages need a manifest of their own")
    try:
        extra = json.loads(_read_text(manifest)).get("sources", [])
    except (ValueError, AttributeError):
        raise InvalidInput(f"{manifest}: expected an object with a \"sources\" list") from None
    for entry in extra:
        name = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(name, str) or os.path.basename(name) != name or not os.path.isfile(os.path.join(extra_dir, name)):
            raise InvalidInput(f"{manifest}: each entry needs a \"file\" naming a page in {extra_dir}")
    shutil.copytree(corpus_dir, target)
    for entry in extra:
        shutil.copy(os.path.join(extra_dir, entry["file"]), target)
    with open(os.path.join(target, MANIFEST), encoding="utf-8") as handle:
        data = json.load(handle)
    data["sources"].extend(extra)
    with open(os.path.join(target, MANIFEST), "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)
    return target


class ScoredSet:
    """One relevance set's questions and the scores of each system on them."""

    __slots__ = ("file", "questions", "scores")

    def __init__(self, file: str, questions: Sequence[Question], scores: Sequence[Scores]) -> None:
        self.file = file
        self.questions = list(questions)
        self.scores = list(scores)

    def to_dict(self) -> dict:
        return {"file": self.file, "questions": len(self.questions), "systems": [s.to_dict() for s in self.scores]}


class Evaluation:
    """What ``evaluate`` measured: each set's scores on the corpus, on the
    corpus with distractor pages added (empty when none were given), and the
    answerability of the sets' questions against unanswerable ones (None
    when none were given)."""

    def __init__(self, sets: Sequence[ScoredSet], with_distractors: Sequence[ScoredSet], distractors: Sequence[str],
                 separation: Answerability | None, unanswerable: Sequence[str]) -> None:
        self.sets = list(sets)
        self.with_distractors = list(with_distractors)
        self.distractors = list(distractors)
        self.answerability = separation
        self.unanswerable = list(unanswerable)

    def below(self, success_at_1: float) -> list[ScoredSet]:
        """The sets on which contest-kb's success@1 is lower than SUCCESS_AT_1."""
        return [s for s in self.sets if s.scores[0].success_at(1) < success_at_1]

    def to_dict(self) -> dict:
        return {"sets": [s.to_dict() for s in self.sets],
                "with_distractors": [s.to_dict() for s in self.with_distractors] or None,
                "answerability": self.answerability.to_dict() if self.answerability else None}


def default_sets() -> tuple[list[str], list[str]]:
    """The repository's relevance sets and unanswerable sets, when running
    from a checkout (both empty otherwise)."""
    found = [default_questions_path(), *map(default_questions_path, RELEVANCE_SETS)]
    return [p for p in found if p], [p for p in map(default_questions_path, UNANSWERABLE_SETS) if p]


def evaluate(kb, questions: Sequence[str], unanswerable: Sequence[str] = (), distractors: Sequence[str] = (),
             baseline: bool = True, corpus_dir: str | None = None) -> Evaluation:
    """Score the relevance sets QUESTIONS (TOML files) on KB, an open index,
    with the FTS5 baseline if BASELINE; measure answerability against the
    UNANSWERABLE files' questions; and, for each folder of DISTRACTORS, score
    the sets again on a temporary copy of the corpus at CORPUS_DIR (default:
    the bundled one) with the folders' pages added."""
    import tempfile

    from .corpus import default_corpus_dir
    from .index import open_index
    from .search import Searcher

    sets = [(path, load_questions(path)) for path in questions]
    unanswered = [q for path in unanswerable for q in load_unanswerable(path)]
    with Searcher(kb) as searcher:
        scored = [ScoredSet(path, items, compare(searcher, items, baseline)) for path, items in sets]
        separation = (answerability(searcher, [q.query for _, items in sets for q in items], unanswered)
                      if unanswered else None)
    distracted: list[ScoredSet] = []
    if distractors:
        with tempfile.TemporaryDirectory(prefix="contest-kb-distractors-") as tmp:
            root = corpus_dir or default_corpus_dir()
            for k, folder in enumerate(distractors):
                root = corpus_with(root, folder, os.path.join(tmp, f"corpus{k}"))
            with open_index(root, os.path.join(tmp, "index")) as other, Searcher(other) as searcher:
                distracted = [ScoredSet(path, items, compare(searcher, items, baseline)) for path, items in sets]
    return Evaluation(scored, distracted, distractors, separation, unanswerable)


def default_questions_path(name: str = "relevance.toml") -> str | None:
    """One of the repository's relevance sets, when running from a checkout."""
    from .corpus import _CHECKOUT

    path = os.path.join(_CHECKOUT, "benchmarks", name)
    return path if os.path.isfile(path) else None
