"""Strand tags: headings decide, cues above a threshold, overviews, evidence."""

from __future__ import annotations

import pytest

from contest_kb.corpus import read_toml
from contest_kb.errors import ContestKBError
from contest_kb.sections import Paragraph, Section
from contest_kb.strands import lexicon_from_config, tag_section

LONDON = "london-councils-counter-terrorism-and-extremism"
WHAT = "ctp-what-we-do/how-does-ctp-contribute-to-the-delivery-of"


@pytest.fixture(scope="module")
def lexicon(corpus):
    return lexicon_from_config(read_toml(f"{corpus.root}/strands.toml"))


@pytest.mark.parametrize(
    "section_id, strand",
    [
        (f"{LONDON}/pursue-to-stop-terrorist-attacks", "pursue"),
        (f"{LONDON}/prevent-to-stop-people-becoming-terrorists-or", "prevent"),
        (f"{LONDON}/protect-to-strengthen-our-protection-against-a", "protect"),
        (f"{LONDON}/prepare-to-mitigate-the-impact-of-a-terrorist", "prepare"),
        (f"{WHAT}/prevent", "prevent"),
        (f"{WHAT}/pursue", "pursue"),
        (f"{WHAT}/protect", "protect"),
        (f"{WHAT}/prepare", "prepare"),
        ("ctp-what-we-do/pursue-investigative-scale-and-focus", "pursue"),
    ],
)
def test_single_strand_sections(sections, section_id, strand):
    section = sections[section_id]
    assert section.strands == [strand]
    assert not section.overview
    assert section.evidence[0]["where"] == "heading"


def test_passing_mention_does_not_tag(sections):
    for sid in ("ctp-prevent/prevent-scale-and-outcomes", "ctp-what-we-do/prevent-scale-and-outcomes"):
        assert sections[sid].strands == ["prevent"]


@pytest.mark.parametrize("section_id", [f"{LONDON}/counter-terrorism-and-extremism", WHAT])
def test_overview_is_marked_not_tagged(sections, section_id):
    section = sections[section_id]
    assert section.overview
    assert section.strands == []
    assert "Pursue" in section.evidence[0]["text"] and "Prepare" in section.evidence[0]["text"]


def test_text_cues_tag_with_evidence(sections):
    section = sections["ctp-prevent/we-prevent-vulnerable-people-from-being-drawn"]
    assert section.strands == ["prevent"]
    cues = {(e["cue"], e["where"]) for e in section.evidence if e["decides"]}
    assert ("Channel", "¶4, line 12") in cues


def _section(*texts: str, heading: str = "Some heading") -> Section:
    return Section("x/y", "x", [heading], 2, (1, 1), [Paragraph(n, (n, n), t) for n, t in enumerate(texts, 1)])


def test_one_cue_is_below_the_threshold(lexicon):
    section = _section("Officers made an arrest yesterday in the city centre.")
    tag_section(section, lexicon)
    assert section.strands == []
    assert section.evidence and not any(e["decides"] for e in section.evidence)


def test_lowercase_verb_is_not_the_strand_name(lexicon):
    section = _section("Teachers prevent harm and prevent accidents.", heading="We prevent harm")
    tag_section(section, lexicon)
    assert "prevent" not in section.strands


def test_weaker_strand_below_share_is_dropped(lexicon):
    section = _section("Channel referrals and radicalisation, with mentors and safeguarding.", "One arrest.")
    tag_section(section, lexicon)
    assert section.strands == ["prevent"]


def test_broken_lexicon_names_the_file():
    with pytest.raises(ContestKBError, match="strands.toml: no strand tables"):
        lexicon_from_config({"rules": {"min_hits": 2}}, "strands.toml")
    with pytest.raises(ContestKBError, match="strands.toml: \\[prevent\\] needs name"):
        lexicon_from_config({"pursue": {"cues": []}, "prevent": {"cues": "x"}}, "strands.toml")


def test_a_strand_named_in_capitals_is_a_cue_but_the_verb_is_not():
    from contest_kb.strands import _cue_pattern

    cue = _cue_pattern("Prevent")
    assert cue.search("the four Ps: PURSUE, PREVENT, PROTECT and PREPARE") and cue.search("the Prevent duty")
    assert not cue.search("work to prevent attacks")


def test_the_strands_come_from_strands_toml(tmp_corpus, tmp_path):
    """A corpus may name its own strands: --strand, the tags and the counts follow its strands.toml."""
    import json

    from tests.conftest import Run

    toml = (tmp_corpus / "strands.toml").read_text(encoding="utf-8")
    (tmp_corpus / "strands.toml").write_text(toml + '\n[online]\nname = "Online"\ncues = ["online", "internet"]\n', encoding="utf-8")
    run = Run(tmp_path / "idx")
    base = ("--corpus", str(tmp_corpus), "--index-dir", str(tmp_path / "idx"))
    sources = json.loads(run(*base, "sources", "--format", "json", index=False).stdout)
    assert list(sources[0]["strands"]) == ["pursue", "prevent", "protect", "prepare", "online"]
    result = run(*base, "sections", "--strand", "online", "--format", "json", index=False)
    assert result.exit_code == 0 and all("online" in s["strands"] for s in json.loads(result.stdout))
    bad = run(*base, "search", "--strand", "nope", "x", index=False)
    assert bad.exit_code == 2 and "pursue, prevent, protect, prepare, online, overview" in bad.stderr
