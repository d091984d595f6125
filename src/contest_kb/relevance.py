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

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "questions": len(self.ranks),
            "success_at_1": round(self.success_at(1), 4),
            "success_at_3": round(self.success_at(3), 4),
            "mrr_at_5": round(self.mrr, 4),
            "misses_at_1": [q.query for q, r in zip(self.questions, self.ranks) if r != 1],
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


def default_questions_path() -> str | None:
    """The repository's relevance set, when running from a checkout."""
    from .corpus import _CHECKOUT

    path = os.path.join(_CHECKOUT, "benchmarks", "relevance.toml")
    return path if os.path.isfile(path) else None
