"""The loader: headings, heading paths, paragraphs with line numbers, chrome."""

from __future__ import annotations

import os
import re

import pytest

from contest_kb.sections import is_heading_line, split_page

from .conftest import CORPUS

CHROME_WORDS = [
    "Skip to main content",
    "Share this page",
    "Sharing and comments",
    "Posted by",
    "doesn’t feel right",
    "doesn't feel right",
    "In an emergency call 999",
    "The Rt Hon Sajid Javid MP\n",
]


def test_at_least_twenty_sections(corpus):
    assert len(corpus.sections) >= 20


def test_every_source_contributes(corpus):
    assert {s.source for s in corpus.sections} == set(corpus.sources)


@pytest.mark.parametrize(
    "section_id, path",
    [
        (
            "homeoffice-blog-updated-contest-strategy-2018/fact-sheet-multi-agency-centre-mac/key-information",
            ["Fact Sheet: Multi-Agency Centre (MAC)", "Key information"],
        ),
        (
            "homeoffice-blog-updated-contest-strategy-2018/fact-sheet-desistance-and-disengagement/key-information",
            ["Fact Sheet: Desistance and Disengagement Programme", "Key information"],
        ),
        (
            "ctp-what-we-do/how-does-ctp-contribute-to-the-delivery-of/prevent",
            ["How does CTP contribute to the delivery of CONTEST?", "Prevent"],
        ),
        ("ctp-what-we-do/pursue-investigative-scale-and-focus", ["Pursue: Investigative scale and focus"]),
        ("ctp-what-we-do/public-contact", ["Public contact"]),
        ("london-councils-counter-terrorism-and-extremism/protect-to-strengthen-our-protection-against-a",
         ["Protect: to strengthen our protection against a terrorist attack"]),
        ("govuk-securing-the-future-2018/securing-the-future-counter-terrorism-strategy",
         ["Securing the future: counter-terrorism strategy published"]),
    ],
)
def test_heading_paths(sections, section_id, path):
    assert sections[section_id].heading_path == path


def test_two_key_information_sections_are_told_apart(corpus):
    key_info = [s for s in corpus.sections if s.heading == "Key information"]
    assert len(key_info) == 2
    assert len({s.id for s in key_info}) == 2
    assert {s.heading_path[0] for s in key_info} == {
        "Fact Sheet: Multi-Agency Centre (MAC)",
        "Fact Sheet: Desistance and Disengagement Programme",
    }


def test_one_word_strand_headings_nest_under_the_question(sections):
    kids = [s for s in sections.values() if s.heading_path[:1] == ["How does CTP contribute to the delivery of CONTEST?"] and len(s.heading_path) == 2]
    assert [s.heading for s in kids] == ["Prevent", "Pursue", "Protect", "Prepare"]


def test_no_site_chrome_is_indexed(corpus):
    text = "\n".join(h for s in corpus.sections for h in s.heading_path) + "\n" + "\n".join(
        p.text + "\n" for s in corpus.sections for p in s.paragraphs
    )
    for chrome in CHROME_WORDS:
        assert chrome not in text, chrome
    assert "Home Office in the media" not in text
    assert not any(h == "Breaking news" for s in corpus.sections for h in s.heading_path)
    assert not any(h.endswith("| Counter Terrorism Policing") for s in corpus.sections for h in s.heading_path)


def test_non_breaking_spaces_are_folded(corpus):
    for s in corpus.sections:
        for p in s.paragraphs:
            assert "\u00a0" not in p.text
            assert "  " not in p.text
    london = [p.text for s in corpus.sections if s.source.startswith("london") for p in s.paragraphs]
    assert any("The purpose of Prepare is to mitigate" in t for t in london)


def test_paragraph_line_numbers_point_into_the_source_file(corpus):
    for s in corpus.sections:
        with open(f"{corpus.root}/{corpus.sources[s.source].file}", encoding="utf-8") as handle:
            lines = handle.read().splitlines()
        for p in s.paragraphs:
            start, end = p.lines
            first_words = " ".join(p.text.split()[:3])
            raw = " ".join(" ".join(lines[start - 1 : end]).replace("\u00a0", " ").split())
            assert first_words in raw, (s.id, p.n, p.lines)


def test_each_bullet_is_a_paragraph(sections):
    public = sections["ctp-what-we-do/public-contact"]
    assert [p.text for p in public.paragraphs[-2:]] == [
        "2024 saw over 11,000 referrals to the CTIRU.",
        "Since the start of 2025, there have been over 1,800 referrals made to the CTIRU.",
    ]
    assert public.paragraphs[-1].lines == (76, 76)


def test_duplicated_section_is_loaded_on_both_pages(corpus):
    dup = [s for s in corpus.sections if s.heading_path == ["Prevent: scale and outcomes"]]
    assert {s.source for s in dup} == {"ctp-prevent", "ctp-what-we-do"}
    assert dup[0].text == dup[1].text


def test_signature_block_is_dropped(sections):
    govuk = sections["govuk-securing-the-future-2018/securing-the-future-counter-terrorism-strategy"]
    assert govuk.paragraphs[-1].text.startswith("The Home Secretary will be travelling")


def test_misspelling_is_kept_as_published(corpus):
    assert any("Desistence and Disengagement" in p.text for s in corpus.sections for p in s.paragraphs)


def test_section_ids_are_stable_and_unique(corpus):
    ids = [s.id for s in corpus.sections]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9-]+(/[a-z0-9-]+)+", i) for i in ids)


def test_ids_do_not_depend_on_order(corpus, tmp_corpus):
    import json

    from contest_kb.corpus import load_corpus

    manifest = tmp_corpus / "sources.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["sources"].reverse()
    manifest.write_text(json.dumps(data), encoding="utf-8")
    reordered = load_corpus(tmp_corpus)
    assert sorted(s.id for s in reordered.sections) == sorted(s.id for s in corpus.sections)


@pytest.mark.parametrize(
    "line, heading",
    [
        ("How does CTP contribute to the delivery of CONTEST?", True),
        ("Prevent", True),
        ("Key information", True),
        ("CTP and wider policing contribute to the delivery of CONTEST by:", False),
        ("Channel has supported 5,000 people to move away from terrorism.", False),
        ("• a bullet", False),
        ("lower case start", False),
    ],
)
def test_heading_detection(line, heading):
    assert is_heading_line(line) is heading


def test_markdown_headings_give_levels():
    page = "# Title\n\nIntro text here.\n\n## Part one\n\nBody one.\n\n### Detail\n\n- bullet a\n- bullet b\n\n## Part two\n\nBody two.\n"
    sections = split_page(page, "doc", "Doc")
    assert [s.heading_path for s in sections] == [["Title"], ["Part one"], ["Part one", "Detail"], ["Part two"]]
    assert [p.text for p in sections[2].paragraphs] == ["bullet a", "bullet b"]
    assert sections[2].paragraphs[1].lines == (12, 12)


def test_wrapped_lines_join_into_one_paragraph():
    sections = split_page("Title\n\nThis sentence is wrapped\nover two lines.\nA second one.\n", "d", "D")
    assert [p.text for p in sections[0].paragraphs] == ["This sentence is wrapped over two lines.", "A second one."]
    assert sections[0].paragraphs[0].lines == (3, 4)


BACK_MATTER = frozenset({"see also", "references"})


def test_back_matter_and_the_sections_under_it_are_dropped():
    page = ("# CONTEST\n\nThe strategy has four strands.\n\n## See also\n\n- Channel (programme)\n- Terrorism Act 2000\n\n"
            "### Lists\n\nThe list of proscribed organisations.\n\n## History\n\nFirst published in 2006.\n\n## References:\n\n1. Home Office (2018).\n")
    sections = split_page(page, "doc", "Doc", back_matter=BACK_MATTER)
    assert [s.heading_path for s in sections] == [["CONTEST"], ["History"]]
    assert "Channel" not in " ".join(p.text for s in sections for p in s.paragraphs)
    # Without the rule they are sections like any other.
    assert len(split_page(page, "doc", "Doc")) == 5


def test_back_matter_of_a_web_page_is_dropped():
    from contest_kb.corpus import read_back_matter
    from contest_kb.ingest import read_document
    from contest_kb.sections import sections_from_blocks

    page = (b"<html><body><main><h1>CONTEST</h1><p>Four strands.</p><h2>See also</h2><ul><li>Channel</li></ul>"
            b"<h2>Criticism</h2><p>Prevent has been contested.</p></main></body></html>")
    doc = read_document("x.html", page)
    sections = sections_from_blocks(doc.blocks or [], "x", "X", back_matter=read_back_matter(str(CORPUS)))
    assert [s.heading_path[-1] for s in sections] == ["CONTEST", "Criticism"]


def test_a_heading_that_only_begins_like_back_matter_is_kept():
    page = "# Guide\n\nIntro.\n\n## See also the annex on referrals\n\nReferrals are assessed.\n"
    sections = split_page(page, "doc", "Doc", back_matter=BACK_MATTER)
    assert sections[-1].paragraphs[0].text == "Referrals are assessed."


def test_the_corpus_names_its_back_matter_and_a_page_loses_it(tmp_corpus):
    from contest_kb.corpus import load_corpus

    from .conftest import add_page

    add_page(tmp_corpus, "wiki.txt", "CONTEST\n\nThe strategy has four strands.\n\nSee also\n\n"
             "Terrorism in the United Kingdom; Terrorism Act 2000; UK threat levels; Channel (programme).\n")
    texts = [p.text for s in load_corpus(tmp_corpus).sections if s.source == "wiki" for p in s.paragraphs]
    assert texts == ["The strategy has four strands."]


def test_back_matter_that_is_not_a_list_is_a_corpus_error(tmp_corpus):
    from contest_kb.corpus import read_back_matter
    from contest_kb.errors import CorpusError

    (tmp_corpus / "boilerplate.toml").write_text('[back_matter]\nheadings = "See also"\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"boilerplate.toml: \[back_matter\] headings must be a list"):
        read_back_matter(str(tmp_corpus))


def test_boilerplate_is_read_once_for_its_three_tables(tmp_corpus, monkeypatch):
    """Chrome patterns, back-matter headings and web-page rules all come
    from boilerplate.toml: loading the settings parses it once."""
    from contest_kb import corpus as corpus_module

    parsed = []
    read = corpus_module.read_toml
    monkeypatch.setattr(corpus_module, "read_toml", lambda path: parsed.append(os.path.basename(path)) or read(path))
    settings = corpus_module.load_settings(str(tmp_corpus))
    assert parsed.count("boilerplate.toml") == 1
    assert settings.chrome and settings.back_matter
