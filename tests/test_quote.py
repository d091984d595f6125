"""Quotation checks that never pass a misquote: word boundaries, ellipses,
insertions, the aligned diff, and quotations read from a Markdown briefing."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from contest_kb.briefing import extract_quotations
from contest_kb.errors import InvalidInput
from contest_kb.quote import QuoteFinder, contains


@pytest.fixture(scope="module")
def finder(kb):
    return QuoteFinder(kb)


@pytest.mark.parametrize(
    "misquote",
    [
        "54 people in prison for terrorism and terrorism-connected offences",  # the page says 254
        "3 late-stage plots",  # the page says 43
        "eat to the UK",  # inside "threat"
        "000 people are referred",  # inside "7,000"
        "Every year, around 7,00",  # a figure cut short
        "around 7,000 people are refer",  # a word cut short
    ],
)
def test_a_fragment_of_a_word_or_number_is_not_found(run, misquote):
    result = run("quote", misquote)
    assert result.exit_code == 1, result.stdout
    assert result.stdout.startswith("NOT FOUND")


def test_numbers_match_on_their_boundaries():
    assert contains("Of the 254 people in prison", "254 people")
    assert not contains("Of the 254 people in prison", "54 people")
    assert not contains("some 5,400 cases", "400 cases")
    assert not contains("some 5,400 cases", "some 5,4")
    assert contains("some 5,400 cases.", "some 5,400 cases")


@pytest.mark.parametrize(
    "quotation, paragraphs",
    [
        ("Every year, around 7,000 people … for initial assessment", [3]),
        ("Every year, around 7,000 people ... for initial assessment", [3]),
        ("Every year […] 7,000 people are referred", [3]),
        ("Every year [...] 7,000 people are referred", [3]),
        ("around 7,000 people are referred … In around 65% of those 7000 cases", [3, 4]),  # adjacent paragraphs
        ("[CTP] decide whether a vulnerability to radicalisation exists", [3]),
        ("[T]hose 7000 cases", [4]),
    ],
)
def test_ellipses_and_insertions(finder, quotation, paragraphs):
    result = finder.find(quotation)
    assert result.found, quotation
    place = next(p for p in result.matches if p.section.id == "ctp-prevent/prevent-scale-and-outcomes")
    assert [p.n for p in place.paragraphs] == paragraphs


def test_an_insertion_stands_for_a_few_words_only(finder):
    assert finder.find("[the MAC] works in partnership").found
    assert finder.find("Every year, [about 7,000] people are referred").found
    # Not a licence to skip a clause: more than four words are not bridged.
    assert not finder.find("Every year, [x] for initial assessment").found


def test_an_ellipsis_keeps_order_and_stays_within_adjacent_paragraphs(finder):
    assert not finder.find("for initial assessment … Every year, around 7,000 people").found
    assert not finder.find("Every year, around 7,000 people … offered bespoke support through the").found  # 3 paragraphs apart


def test_only_editorial_marks_is_an_error(finder):
    with pytest.raises(InvalidInput):
        finder.find("[…]")


def test_quotation_spanning_two_paragraphs_is_found(finder):
    result = finder.find("the thousands referred each year are getting any support they need. In around 65% of those 7000 cases")
    assert result.found and [p.n for p in result.matches[0].paragraphs] == [3, 4]


@pytest.mark.parametrize(
    "misquote, diff",
    [
        ("the DDP is mandatory in all cases", "the DDP is mandatory in [-all-] {+certain+} cases"),
        ("54 people in prison for terrorism and terrorism-connected offences",
         "[-54-] {+254+} people in prison for terrorism and terrorism-connected offences"),
        ("around 9,000 people are referred", "around [-9,000-] {+7,000+} people are referred"),
    ],
)
def test_diff_is_aligned_on_the_closest_span(run, misquote, diff):
    data = run.json("quote", misquote, "--format", "json")
    assert data["found"] is False
    assert data["closest"]["diff"] == diff
    assert {"op", "quoted", "published"} <= set(data["closest"]["changes"][0])


def test_diff_is_coloured_on_a_terminal(run):
    result = run("quote", "the DDP is mandatory in all cases", "--color", "always")
    assert "\x1b[" in result.stdout and "certain" in result.stdout
    plain = run("quote", "the DDP is mandatory in all cases")
    assert "\x1b[" not in plain.stdout


BRIEFING = """# Briefing

The police say that ‘Every year, around 7,000 people are
referred for initial assessment’, and the Government’s figures agree.

Officers said “Of the 54 people in prison for terrorism and
terrorism-connected offences” in a statement.

A "scare quote" is not checked.

The Home Office wrote «Channel has supported 5,000 people to move away from terrorism» last year.
"""


def test_briefing_extraction_joins_lines_and_reads_single_curly_quotes():
    extracted = extract_quotations(BRIEFING)
    assert extracted.quotations == [
        (3, "Every year, around 7,000 people are referred for initial assessment"),
        (6, "Of the 54 people in prison for terrorism and terrorism-connected offences"),
        (11, "Channel has supported 5,000 people to move away from terrorism"),
    ]
    assert extracted.short == 1 and extracted.unreadable == []


def test_briefing_with_an_unclosed_quotation_reports_it():
    extracted = extract_quotations("He said “the public has a critical role to play\n\nand more.\n")
    assert extracted.quotations == [] and extracted.unreadable[0][0] == 1


def test_quote_from_a_briefing_checks_wrapped_and_single_quoted_quotations(run, tmp_path):
    doc = tmp_path / "briefing.md"
    doc.write_text(BRIEFING + "\nAn ‘unclosed quotation here.\n", encoding="utf-8")
    report = tmp_path / "reports" / "quotes.xml"
    result = run("quote", "--from", str(doc), "--junit", str(report))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{doc}:3: found: Every year, around 7,000 people are referred for initial assessment"
    assert any(line.startswith(f"{doc}:6: NOT FOUND: Of the 54 people") for line in lines)
    assert any(line.startswith(f"{doc}:11: found: Channel has supported") for line in lines)
    assert any(line.startswith(f"{doc}:13: UNREADABLE:") for line in lines)
    assert "3 quotations checked, 2 found, 1 not found, 1 unreadable; 1 shorter than six words not checked" in result.stderr
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite.get("tests") == "4" and suite.get("failures") == "2"


def test_quote_junit_for_one_quotation(run, tmp_path):
    report = tmp_path / "q.xml"
    assert run("quote", "Channel has supported 5,000 people", "--junit", str(report)).exit_code == 0
    assert ET.parse(report).getroot().find("testsuite").get("failures") == "0"
