"""Lookup suites: expectations about the corpus, run in one process, for CI.

A suite is a TOML file of ``[[lookup]]`` and ``[[quote]]`` tables (see the
README, "Lookup suites"). A quote passes when its text is found in the corpus.
A lookup runs exactly the query written (a spelling suggestion is reported,
never run) and passes when a cited passage of the top ``within`` results

* contains ``expect`` (typography forgiven, on word boundaries), and
* answers the query: the passage, with its section's headings, matches every
  number and acronym of the query and more than half of its other words
  (stop words aside), leaving out the words that ``expect`` itself holds.

So "Prevent referrals in 2022" with expect = "2022" fails on a paragraph
about something else that happens to say "since February 2022".
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from .analysis import normalise_word, plain_terms, stemmed_terms
from .errors import InvalidInput
from .quote import QuoteFinder, QuoteResult, contains

LOOKUP_KEYS = {"name", "query", "expect", "within", "strand", "source", "ignore_case"}
QUOTE_KEYS = {"name", "text", "ignore_case"}


class Case:
    """One expectation of a suite, with the line of its table in the file."""

    __slots__ = ("expect", "file", "ignore_case", "kind", "line", "name", "query", "sources", "strands", "within")

    def __init__(self, kind: str, name: str, line: int, query: str, expect: str, within: int = 3,
                 strands: Sequence[str] = (), sources: Sequence[str] = (), ignore_case: bool = False,
                 file: str = "") -> None:
        self.file = file
        self.kind = kind
        self.name = name
        self.line = line
        self.query = query
        self.expect = expect
        self.within = within
        self.strands = list(strands)
        self.sources = list(sources)
        self.ignore_case = ignore_case


class Outcome:
    """The result of one case: passed or not, where the expectation was met,
    and what was found instead when it was not."""

    __slots__ = ("case", "citation", "found", "message", "passed", "quote", "rank", "suggestion")

    def __init__(self, case: Case, passed: bool, rank: int | None = None, citation: str | None = None,
                 found: Sequence[str] = (), message: str = "", suggestion: str | None = None,
                 quote: QuoteResult | None = None) -> None:
        self.case = case
        self.passed = passed
        self.rank = rank
        self.citation = citation
        self.found = list(found)
        self.message = message
        self.suggestion = suggestion
        self.quote = quote

    def to_dict(self) -> dict:
        return {
            "kind": self.case.kind,
            "name": self.case.name,
            "line": self.case.line,
            "passed": self.passed,
            "rank": self.rank,
            "citation": self.citation,
            "message": self.message,
            "suggestion": self.suggestion,
            "found_instead": self.found,
        }


def _table_lines(text: str) -> dict[str, list[int]]:
    lines: dict[str, list[int]] = {"lookup": [], "quote": []}
    for lineno, line in enumerate(text.splitlines(), 1):
        m = re.match(r"\s*\[\[\s*(lookup|quote)\s*\]\]", line)
        if m:
            lines[m.group(1)].append(lineno)
    return lines


def load_suite(path: str | os.PathLike[str]) -> list[Case]:
    """Read and check a suite file. Raises InvalidInput naming the file, the
    line of the table at fault and what is wrong."""
    from .corpus import _read_text, read_toml

    path = os.fspath(path)
    if not os.path.isfile(path):
        raise InvalidInput(f"{path}: no such suite file")
    data = read_toml(path)
    lines = _table_lines(_read_text(path))
    unknown = sorted(set(data) - {"lookup", "quote"})
    if unknown:
        raise InvalidInput(f"{path}: unknown table or key {unknown[0]!r}; a suite holds [[lookup]] and [[quote]] tables")
    cases: list[Case] = []
    for kind, keys in (("lookup", LOOKUP_KEYS), ("quote", QUOTE_KEYS)):
        entries = data.get(kind, [])
        if not isinstance(entries, list):
            raise InvalidInput(f"{path}: '{kind}' must be an array of tables, written [[{kind}]]")
        for k, entry in enumerate(entries):
            line = lines[kind][k] if k < len(lines[kind]) else 0
            where = f"{path}:{line}" if line else path
            extra = sorted(set(entry) - keys)
            if extra:
                raise InvalidInput(f"{where}: [[{kind}]] has unknown key {extra[0]!r}; allowed: {', '.join(sorted(keys))}")
            field = "query" if kind == "lookup" else "text"
            value = entry.get(field)
            if not isinstance(value, str) or not value.strip():
                raise InvalidInput(f'{where}: [[{kind}]] needs {field} = "..."')
            expect = entry.get("expect", "") if kind == "lookup" else value
            if kind == "lookup" and (not isinstance(expect, str) or not expect.strip()):
                raise InvalidInput(f'{where}: [[lookup]] needs expect = "..." (text a cited passage must contain)')
            within = entry.get("within", 3)
            if not isinstance(within, int) or isinstance(within, bool) or within < 1:
                raise InvalidInput(f"{where}: within must be a whole number of at least 1, not {within!r}")
            strands = entry.get("strand", [])
            strands = [strands] if isinstance(strands, str) else strands
            sources = entry.get("source", [])
            sources = [sources] if isinstance(sources, str) else sources
            ignore_case = entry.get("ignore_case", False)
            if not isinstance(ignore_case, bool):
                raise InvalidInput(f"{where}: ignore_case must be true or false")
            name = entry.get("name") or f"{kind} at line {line}: {value[:60]}"
            cases.append(Case(kind, str(name), line, value, expect, within, strands, sources, ignore_case, path))
    if not cases:
        raise InvalidInput(f"{path}: no [[lookup]] or [[quote]] tables; see the README, 'Lookup suites'")
    cases.sort(key=lambda c: c.line)
    return cases


def quote_outcome(case: Case, result: QuoteResult) -> Outcome:
    """The outcome of a quotation case from where it was found."""
    if result.found:
        return Outcome(case, True, citation=result.matches[0].citation, quote=result)
    closest = result.closest
    found = [f"{closest.match.citation}: {closest.diff}"] if closest else []
    return Outcome(case, False, found=found, message="quotation not found in the corpus", quote=result)


def _must_match(word: str) -> bool:
    """Whether a query word must be matched by the passage: a number or an acronym."""
    forms = normalise_word(word)
    return bool(forms) and (forms[0][:1].isdigit() or (len(word) > 1 and word.isupper()))


def answers(plan, text: str, heading_path: Sequence[str], expect: str) -> bool:
    """Whether a passage answers a lookup's query (see the module doc): every
    number and acronym, and most other words, outside EXPECT's own words."""
    from .search import unmatched_words

    in_expect = set(plain_terms(expect)) | set(stemmed_terms(expect))
    asked = {leaf.word: leaf for leaf in plan.leaves if leaf.kind != "wildcard"}
    asked = {w: leaf for w, leaf in asked.items()
             if stemmed_terms(w) and not set(plain_terms(w)) | set(stemmed_terms(w)) <= in_expect}
    if not asked:
        return True
    missing = set(unmatched_words(plan, text, heading_path)) & set(asked)
    if any(_must_match(w) for w in missing):
        return False
    others = [w for w in asked if not _must_match(w)]
    return len([w for w in others if w in missing]) * 2 < len(others)


def lookup_outcome(searcher, case: Case) -> Outcome:
    """Run one lookup case: exactly its query, never a spelling correction."""
    try:
        result = searcher.search(case.query, case.strands, case.sources, limit=case.within, correct=False)
    except InvalidInput as exc:
        raise InvalidInput(f"{case.file or 'suite'}:{case.line}: {exc.message}") from None
    contained = False
    for hit in result.hits:
        for passage in hit.passages:
            if contains(passage.paragraph.text, case.expect, case.ignore_case):
                contained = True
                if answers(result.plan, passage.paragraph.text, hit.section.heading_path, case.expect):
                    return Outcome(case, True, rank=hit.rank, citation=hit.citation, suggestion=result.suggestion)
    found = [f"{h.rank}. {h.citation}: {h.passages[0].paragraph.text[:160]}" for h in result.hits]
    if contained:
        message = (f"the expected text is in the top {case.within} results only in passages that do not answer the query "
                   "(they miss its numbers, acronyms or most of its words)")
    else:
        message = f"no cited passage in the top {case.within} results contains the expected text"
    if result.suggestion:
        message += f"; the query was run as written (did you mean {result.suggestion!r}?)"
    return Outcome(case, False, found=found, message=message, suggestion=result.suggestion)


def run_suite(searcher, cases: Sequence[Case]) -> list[Outcome]:
    """Run every case against SEARCHER (an open contest_kb.search.Searcher)."""
    finder = QuoteFinder(searcher.kb)
    return [quote_outcome(c, finder.find(c.query, c.ignore_case)) if c.kind == "quote" else lookup_outcome(searcher, c)
            for c in cases]


def check_briefing(finder: QuoteFinder, path: str, markdown: str, ignore_case: bool = False):
    """Check every quotation of a Markdown briefing: (outcomes in line order,
    number of short quotes not checked). An unreadable quotation is a
    failed outcome of its own."""
    from .briefing import extract_quotations

    extracted = extract_quotations(markdown)
    outcomes = []
    for line, text in extracted.quotations:
        case = Case("quote", f"{os.path.basename(path)}:{line}: {text[:60]}", line, text, text, ignore_case=ignore_case)
        outcomes.append(quote_outcome(case, finder.find(text, ignore_case)))
    for line, reason in extracted.unreadable:
        case = Case("quote", f"{os.path.basename(path)}:{line}: unreadable", line, "", "", ignore_case=ignore_case)
        outcomes.append(Outcome(case, False, message=f"{reason}; close it, or write the quotation as a blockquote"))
    outcomes.sort(key=lambda o: o.case.line)
    return outcomes, extracted.short


_XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """TEXT with the characters XML 1.0 forbids replaced by U+FFFD, so the
    report always parses (ElementTree escapes markup but not these)."""
    return _XML_FORBIDDEN.sub("\ufffd", text)


def junit_xml(outcomes: Sequence[Outcome], suite_name: str, seconds: float = 0.0) -> str:
    """JUnit XML (one testcase per case) that CI systems display."""
    from xml.etree import ElementTree as ET

    failures = sum(1 for o in outcomes if not o.passed)
    root = ET.Element("testsuites", name="contest-kb", tests=str(len(outcomes)), failures=str(failures))
    suite = ET.SubElement(root, "testsuite", name=xml_text(suite_name), tests=str(len(outcomes)), failures=str(failures),
                          errors="0", skipped="0", time=f"{seconds:.3f}")
    for o in outcomes:
        case = ET.SubElement(suite, "testcase", classname=xml_text(f"{suite_name}.{o.case.kind}"), name=xml_text(o.case.name), time="0")
        if o.passed:
            ET.SubElement(case, "system-out").text = xml_text(f"found: {o.citation}")
        else:
            failure = ET.SubElement(case, "failure", message=xml_text(o.message), type=o.case.kind)
            expected = f"expected: {o.case.expect}" if o.case.kind == "lookup" else f"quotation: {o.case.query}"
            failure.text = xml_text("\n".join([f"line {o.case.line}", expected, "found instead:"] + [f"  {f}" for f in o.found]))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
