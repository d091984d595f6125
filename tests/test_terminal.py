"""The terminal layouts, rendered through Rich at 80 and 120 columns with
colour on and off: readable, nothing cut, ids and URLs whole."""

from __future__ import annotations

import io
import re

import pytest

from contest_kb.render import Look, print_search, print_sections, print_show, print_sources, search_text, sources_json

ANSI = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\")
LOOKS = [Look(True, color, width) for width in (80, 120) for color in (False, True)]


def render(fn, *args, look: Look) -> str:
    out = io.StringIO()
    fn(*args, out, look)
    text = out.getvalue()
    assert ("\x1b[" in text) == look.color
    return ANSI.sub("", text)


def lines_of(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


@pytest.mark.parametrize("look", LOOKS, ids=lambda l: f"{l.width}-{'colour' if l.color else 'plain'}")
def test_sections_are_readable_at_any_width(kb, look):
    sections = list(kb.sections.values())
    out = lines_of(render(print_sections, sections, look=look))
    for section in sections:
        assert section.id in out, section.id  # the id whole, on a line of its own
    words = {w for s in sections for h in s.heading_path for w in h.split()}
    text = " ".join(out)
    for word in words:
        assert word in text  # no word broken or cut off with …
    assert "…" not in text
    assert all(len(line) <= look.width for line in out if " " in line.strip())


@pytest.mark.parametrize("look", LOOKS, ids=lambda l: f"{l.width}-{'colour' if l.color else 'plain'}")
def test_search_shows_ids_and_whole_urls_and_fits_a_screen(searcher, look):
    result = searcher.search("how many people are referred to Prevent each year")
    out = lines_of(render(print_search, result, look=look))
    for hit in result.hits:
        assert any(line.strip().startswith(hit.section.id) for line in out), hit.section.id
        assert any(line.strip() == hit.source.url for line in out)  # never broken mid-word
    assert len(out) <= 10 * len(result.hits)  # about a screen for the default ten hits at 80 columns
    # Passages clipped to a few lines: well short of the complete piped text.
    assert len("\n".join(out)) < 0.6 * len(search_text(result))


def test_search_passages_and_full_show_more(searcher):
    result = searcher.search("Channel")
    look = Look(True, False, 100)
    short = render(print_search, result, look=look)
    out = io.StringIO()
    print_search(result, out, look, passages=3)
    assert len(out.getvalue()) > len(short)
    assert "also in:" in out.getvalue() or not any(h.also_in for h in result.hits)


def test_glossary_expansions_are_highlighted(searcher):
    result = searcher.search("ISIS")
    out = io.StringIO()
    print_search(result, out, Look(True, True, 120))
    text = out.getvalue()
    assert re.search(r"\x1b\[1;33m(Daesh|Islamic)", text), text[:500]


@pytest.mark.parametrize("look", LOOKS[:2], ids=["80-plain", "80-colour"])
def test_show_keeps_the_evidence_labels(kb, look):
    section = kb.sections["ctp-what-we-do/how-does-ctp-contribute-to-the-delivery-of/protect"]
    out = render(print_show, section, kb.sources[section.source], look=look)
    assert "(decides)" in out
    assert section.id in lines_of(out)
    assert kb.sources[section.source].url in lines_of(out)


def test_sources_say_section_in_the_singular(kb):
    items = sources_json(kb.sources, kb.strand_counts(), kb.attribution)
    items[0]["sections"] = 1
    out = render(print_sources, items, look=Look(True, False, 80))
    assert re.search(r"(?<!\d)1 section,", out) and not re.search(r"(?<!\d)1 sections", out)


def test_multi_word_expansions_are_highlighted_where_they_stand_together(searcher):
    from contest_kb.search import highlight_spans

    plan = searcher.search("ISIS").plan
    text = "Islamic State fighters; a state that is Islamic."
    marked = [text[a:b] for a, b in highlight_spans(text, plan)]
    assert marked[:2] == ["Islamic", "State"] and "state" not in marked
