"""Document readers, one format at a time: headings and levels, site chrome
left out, metadata with its origin, page numbers in PDFs, clear errors."""

from __future__ import annotations

import re

import pytest

from contest_kb.corpus import read_html_rules
from contest_kb.errors import CorpusError
from contest_kb.ingest import iso_date, read_document
from contest_kb.sections import sections_from_blocks, split_page
from tests.conftest import CORPUS
from tests.pdfmaker import flow, make_pdf

FIXTURES = CORPUS.parent / "tests" / "fixtures"
RULES = read_html_rules(str(CORPUS))


def html(name: str):
    path = FIXTURES / name
    return read_document(str(path), path.read_bytes(), RULES)


def texts(doc) -> list[str]:
    return [b.text for b in doc.blocks]


def headings(doc) -> list[tuple[int, str]]:
    return [(b.level, b.text) for b in doc.blocks if b.level]


# --- HTML -----------------------------------------------------------------

def test_govuk_page_headings_lists_and_tables():
    doc = html("govuk-prevent-duty.html")
    assert headings(doc) == [(1, "Prevent duty guidance: overview"), (2, "What is Prevent?"), (2, "The duty"),
                             (3, "Who the duty applies to"), (3, "Referrals by sector")]
    body = texts(doc)
    assert "Specified authorities must have due regard to the need to prevent people from being drawn into terrorism." in body
    assert {"local authorities", "schools and further education providers"} <= set(body)
    assert "Sector: Education; Referrals: 2,684" in body


@pytest.mark.parametrize("name", ["govuk-prevent-duty.html", "council-prevent.html", "police-counter-terrorism.html"])
def test_site_chrome_is_left_out(name):
    doc = html(name)
    sections = sections_from_blocks(doc.blocks, "s", "S", [*__import__("contest_kb.corpus", fromlist=["read_chrome"]).read_chrome(str(CORPUS))])
    indexed = " ".join(h for s in sections for h in s.heading_path) + " " + " ".join(p.text for s in sections for p in s.paragraphs)
    for chrome in ("cookie", "Cookie", "Skip to", "Benefits", "Home", "Share", "Related", "Print this page", "Help",
                   "Open Government Licence", "Documents to download", "Adobe Reader", "Bins and recycling",
                   "Tags:", "Fraud and cyber", "Report Contact", "©", "Guidance", "From:", "BETA", "Emergency? Call 999"):
        assert chrome not in indexed, (name, chrome)


def test_govuk_metadata_and_where_it_came_from():
    doc = html("govuk-prevent-duty.html")
    assert doc.metadata == {"title": "Prevent duty guidance: overview", "publisher": "Home Office",
                            "published": "2023-09-07", "updated": "2024-01-31",
                            "url": "https://www.gov.uk/government/publications/prevent-duty-guidance-overview"}
    assert doc.origins["publisher"] == "HTML <meta govuk:primary-publishing-organisation>"
    assert doc.origins["url"] == "HTML canonical link"


def test_council_metadata_from_dublin_core_and_line_breaks_joined():
    doc = html("council-prevent.html")
    assert doc.metadata["publisher"] == "Exampleshire County Council"
    assert (doc.metadata["published"], doc.metadata["updated"]) == ("2021-05-04", "2024-03-12")
    assert "Channel is a multi-agency programme that supports people at risk of being drawn into terrorism. " \
           "The panel is chaired by the local authority." in texts(doc)


def test_police_article_keeps_its_title_and_open_graph_metadata():
    doc = html("police-counter-terrorism.html")
    assert headings(doc)[0] == (1, "Counter terrorism")
    assert doc.metadata["publisher"] == "Northshire Police"
    assert doc.origins["published"] == "HTML <meta article:published_time>"
    assert ["RUN to a place of safety.", "HIDE if you cannot run.", "TELL the police by calling 999."] == texts(doc)[-3:]


def test_json_ld_and_title_fallbacks():
    page = b"""<html><head><title>Channel duty - Site</title>
    <script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "headline": "Channel duty guidance",
    "datePublished": "2020-11-02", "publisher": {"@type": "Organization", "name": "Home Office"}}]}</script></head>
    <body><p>Text of the page.</p></body></html>"""
    doc = read_document("x.html", page, RULES)
    assert doc.metadata["title"] == "Channel duty guidance" and doc.origins["title"] == "JSON-LD headline"
    assert doc.metadata["publisher"] == "Home Office" and doc.metadata["published"] == "2020-11-02"
    bare = read_document("y.html", b"<html><head><title>Only a title</title></head><body><p>x</p></body></html>", RULES)
    assert bare.metadata["title"] == "Only a title" and bare.origins["title"] == "HTML <title>"


def test_page_markup_never_becomes_text():
    page = b"<html><body><main><h1>T</h1><p>Safe <script>alert(1)</script><style>p{}</style>text</p></main></body></html>"
    assert texts(read_document("x.html", page, RULES)) == ["T", "Safe text"]


# --- PDF ------------------------------------------------------------------

HEADER = "CONTEST: The United Kingdom's Strategy for Countering Terrorism 2023"


def _page(n, paragraphs, lines=()):
    return [(72, 810, 8, HEADER, False)] + flow(paragraphs) + list(lines) + [(290, 30, 8, f"Page {n} of 3", False)]


@pytest.fixture(scope="module")
def strategy_pdf():
    p1 = [(72, 785, 22, "CONTEST 2023", True)] + _page(1, [
        ("h", "1 Introduction"),
        ("p", ("This strategy sets out how the government will reduce the risk from terrorism to the UK, its citizens "
               "and interests overseas, working with counter-terrorism partners and the devolved administrations.")),
        ("h", "2.1 What is Prevent?"),
        ("p", ("Prevent aims to stop people becoming terrorists or supporting terrorism. It works with local partners "
               "to tackle the ideological causes of terrorism and to protect those at risk of radicali-")),
    ])
    p2 = _page(2, [
        ("p", "sation in the community, so that fewer people are drawn in."),
        ("b", "safeguarding young people"), ("b", "supporting institutions"),
        ("h", "2.2 Channel"),
        ("p", "Channel is a multi-agency safeguarding programme for people at risk of radicalisation."),
    ])
    left = flow([("h", "3 Pursue"), ("p", ("Pursue aims to stop terrorist attacks by detecting and investigating "
                                           "threats at the earliest possible stage."))], width_chars=40)
    right = flow([("p", "The second column turns to prosecutions and to disrupting those who plan attacks overseas.")],
                 left=320, width_chars=40)
    p3 = [(72, 810, 8, HEADER, False)] + left + right + [(290, 30, 8, "Page 3 of 3", False)]
    info = {"Title": "Microsoft Word - CONTEST_final_v3.docx", "CreationDate": "D:20230718090000+01'00'",
            "ModDate": "D:20230720000000Z", "Author": "Home Office"}
    return make_pdf([p1, p2, p3], info)


def test_pdf_running_headers_footers_and_page_numbers_are_dropped(strategy_pdf):
    doc = read_document("contest.pdf", strategy_pdf)
    joined = " ".join(texts(doc))
    assert HEADER not in joined and "Page 1 of 3" not in joined and "of 3" not in joined
    assert doc.pages == 3


def test_pdf_numbered_headings_levels_and_pages(strategy_pdf):
    doc = read_document("contest.pdf", strategy_pdf)
    assert [(b.level, b.text, b.page) for b in doc.blocks if b.level] == [
        (1, "CONTEST 2023", 1), (2, "1 Introduction", 1), (3, "2.1 What is Prevent?", 1), (3, "2.2 Channel", 2),
        (2, "3 Pursue", 3)]


def test_pdf_paragraphs_join_lines_hyphens_and_pages(strategy_pdf):
    doc = read_document("contest.pdf", strategy_pdf)
    paragraphs = [(b.text, b.page) for b in doc.blocks if not b.level]
    first = paragraphs[1]
    assert first[1] == 1 and first[0].endswith("to protect those at risk of radicalisation in the community, so that fewer people are drawn in.")
    assert ("safeguarding young people", 2) in paragraphs and ("supporting institutions", 2) in paragraphs
    assert paragraphs[-2][0].startswith("Pursue aims") and paragraphs[-1][0].startswith("The second column")
    assert paragraphs[-1][1] == 3


def test_pdf_hyphen_kept_where_the_document_spells_the_word_with_one():
    lines = flow([("p", "Counter-terrorism policing leads the work. The national counter-"), ])
    lines.append((72, lines[-1][1] - 13, 10, "terrorism network is large.", False))
    doc = read_document("x.pdf", make_pdf([lines]))
    assert "national counter-terrorism network" in texts(doc)[0]


PARAGRAPHS = [
    ("p", ("Prevent aims to stop people becoming terrorists or supporting terrorism. It works with local partners "
           "to tackle the ideological causes of terrorism and protect those at risk.")),
    ("p", "Channel is a multi-agency safeguarding programme for people at risk of radicalisation, and it is voluntary."),
    ("p", "Most referrals need no further police action. Other services such as health and education support them."),
]


@pytest.mark.parametrize("layout", [
    {"gap": 0.3},                  # a paragraph gap narrower than half a line
    {"gap": 0, "indent": 18},      # no gap; the first line of each paragraph indented
    {"gap": 0},                    # no gap, no indent: each paragraph ends short of a full line
], ids=["narrow-gap", "indent", "short-last-line"])
def test_pdf_paragraphs_are_found_however_the_document_sets_them_apart(layout):
    doc = read_document("x.pdf", make_pdf([flow(PARAGRAPHS, **layout)]))
    assert texts(doc) == [text for _, text in PARAGRAPHS]


def test_pdf_a_heading_too_long_for_one_line_is_one_heading():
    lines = [(72, 780, 18, "Securing the future: counter-terrorism strategy", True),
             (72, 760, 18, "published by the Home Office", True)] + flow([("p", "The strategy was published today.")], top=730)
    doc = read_document("x.pdf", make_pdf([lines]))
    assert [(b.level, b.text) for b in doc.blocks] == [
        (1, "Securing the future: counter-terrorism strategy published by the Home Office"),
        (None, "The strategy was published today.")]


def test_pdf_a_title_repeated_small_atop_later_pages_is_kept_where_it_is_the_title():
    title = "Prevent duty guidance"
    first = [(72, 780, 22, title, True)] + flow(PARAGRAPHS[:1], top=740)
    second = [(400, 810, 8, title, False)] + flow(PARAGRAPHS[1:], top=760)
    doc = read_document("x.pdf", make_pdf([first, second]))
    assert texts(doc) == [title] + [text for _, text in PARAGRAPHS]
    assert doc.blocks[0].level == 1


def test_pdf_a_running_header_that_changes_by_chapter_is_dropped():
    pages = [[(72, 780, 22, "CONTEST 2023", True)] + flow(PARAGRAPHS[:1], top=740)]
    for chapter, paragraph in [("Chapter 1: Pursue", PARAGRAPHS[1]), ("Chapter 2: Prevent", PARAGRAPHS[2])]:
        pages.append([(380, 810, 8, chapter, False)] + flow([paragraph], top=760))
    assert texts(read_document("x.pdf", make_pdf(pages))) == ["CONTEST 2023"] + [text for _, text in PARAGRAPHS]


def test_pdf_a_line_that_starts_like_a_list_item_but_goes_on_a_sentence_keeps_its_words():
    lines = [(72, 760, 10, "CTP works alongside other agencies in every region of the country, including", False),
             (72, 747, 10, "– from health and education – the local authorities, to manage the risk to", False),
             (72, 734, 10, "it. The work is done case by case, with officers who know the area well.", False)]
    assert texts(read_document("x.pdf", make_pdf([lines]))) == [" ".join(line[3] for line in lines)]


def test_pdf_a_sentence_goes_on_into_the_next_column_and_page():
    left = [(72, 773, 10, "The review recommended wider sharing.", False),
            (72, 760, 10, "In response to this recommendation, pilots were set up in London, the", False)]
    right = [(320, 773, 10, "West Midlands and the North West to test new approaches to sharing information", False),
             (320, 760, 10, "about risk, and how best to manage it, with partners such as councils and the", False)]
    nxt = [(72, 760, 10, "National Health Service trusts.", False)]
    doc = read_document("x.pdf", make_pdf([left + right, nxt]))
    assert texts(doc) == [left[0][3], " ".join(line[3] for line in left[1:] + right + nxt)]


def test_pdf_a_hyphen_at_a_line_end_is_kept_in_a_compound_and_dropped_in_a_broken_word():
    lines = [(72, 760, 10, "Pilots of the new Multi-", False),
             (72, 747, 10, "Agency Centre, a well-", False),
             (72, 734, 10, "established way to reduce the risk of radicali-", False),
             (72, 721, 10, "sation.", False)]
    assert texts(read_document("x.pdf", make_pdf([lines]))) == [
        "Pilots of the new Multi-Agency Centre, a well-established way to reduce the risk of radicalisation."]


def test_pdf_a_full_line_ending_a_sentence_at_the_foot_of_a_page_goes_on_to_the_next():
    first = flow(PARAGRAPHS[:1], width_chars=61)
    carried = (72, 760, 10, "Its work is reviewed every year.", False)
    doc = read_document("x.pdf", make_pdf([first, [carried]]))
    assert first[-1][3].endswith(".") and len(first[-1][3]) > 55
    assert texts(doc) == [PARAGRAPHS[0][1] + " " + carried[3]]


def test_pdf_metadata_ignores_a_word_processor_file_name(strategy_pdf):
    doc = read_document("contest.pdf", strategy_pdf)
    assert doc.metadata["title"] == "CONTEST 2023" and doc.origins["title"] == "largest text on page 1"
    assert (doc.metadata["published"], doc.metadata["updated"]) == ("2023-07-18", "2023-07-20")
    clean = read_document("c.pdf", make_pdf([flow([("p", "Text.")])], {"Title": "Prevent duty guidance"}))
    assert clean.metadata["title"] == "Prevent duty guidance" and clean.origins["title"] == "PDF /Title"


def test_a_scanned_pdf_says_it_has_no_text_layer():
    with pytest.raises(CorpusError, match=r"scan\.pdf: the PDF has no text layer .*OCR"):
        read_document("scan.pdf", make_pdf([[]]))


def test_a_damaged_pdf_is_a_clear_error():
    with pytest.raises(CorpusError, match=r"bad\.pdf: not a readable PDF"):
        read_document("bad.pdf", b"%PDF-1.4 nothing else")


# --- Markdown -------------------------------------------------------------

MARKDOWN = """---
title: Channel duty guidance
publisher: Home Office
date: 2023-09-07
url: https://www.gov.uk/government/publications/channel-guidance
---

# Channel duty guidance

Channel is a **voluntary** programme; see [the guidance](https://example.org) and ![a chart](chart.png).

## Who sits on a panel

- the local authority, which *chairs* it
- the police <span class="x">and health</span>
"""


def test_markdown_front_matter_is_metadata_not_text():
    doc = read_document("c.md", MARKDOWN.encode())
    assert doc.metadata == {"title": "Channel duty guidance", "publisher": "Home Office", "published": "2023-09-07",
                            "url": "https://www.gov.uk/government/publications/channel-guidance"}
    assert doc.origins["published"] == "front matter 'date'"
    assert not any("title:" in t or "---" in t for t in texts(doc))


def test_markdown_syntax_is_removed_and_headings_keep_levels():
    doc = read_document("c.md", MARKDOWN.encode())
    assert headings(doc) == [(1, "Channel duty guidance"), (2, "Who sits on a panel")]
    assert "Channel is a voluntary programme; see the guidance and ." in texts(doc)
    assert "the local authority, which chairs it" in texts(doc)
    assert not any(re.search(r"[*\[\]<>]|https?:", t) for t in texts(doc))
    assert [b.lines for b in doc.blocks][:2] == [(8, 8), (10, 10)]


def test_bad_front_matter_names_the_line():
    with pytest.raises(CorpusError, match=r"c\.md:3: front matter is not valid YAML"):
        read_document("c.md", b"---\ntitle: a\nbad: [unclosed\n---\n\nText.\n")


# --- plain text and dates -------------------------------------------------

def test_wiki_headings_and_headings_glued_by_single_line_breaks():
    page = ("Counter-terrorism in the UK\n== Background ==\nThe Prevent programme was set up in 2003 as part of CONTEST.\n"
            "=== Reviews ===\nIt was reviewed in 2011 and 2023.\nMartyn’s Law\n"
            "The UK has faced a number of attacks, and the new law asks venues to prepare for them.\n")
    sections = split_page(page, "w", "W")
    assert [s.heading_path for s in sections] == [["Background"], ["Background", "Reviews"], ["Martyn’s Law"]]
    assert sections[2].paragraphs[0].text.startswith("The UK has faced")


def test_wrapped_lines_are_not_taken_for_headings():
    page = "Title\n\nThis sentence is wrapped\nover two lines. Then Another Line\nFollows here.\n"
    assert [p.text for s in split_page(page, "d", "D") for p in s.paragraphs] == [
        "This sentence is wrapped over two lines. Then Another Line Follows here."]


@pytest.mark.parametrize(("given", "date"), [("2018-06-04T10:00:00+01:00", "2018-06-04"), ("D:20230718000000Z", "2023-07-18"),
                                             ("4 June 2018", "2018-06-04"), ("2018", "2018"), ("2018-13-01", None),
                                             ("soon", None)])
def test_dates_are_read_in_the_forms_documents_use(given, date):
    assert iso_date(given) == date


def test_headings_set_in_bold_or_by_role_are_headings():
    page = b"""<html><body><div id="content"><h1>Prevent</h1><p>Intro text here.</p>
    <p><strong>What happens next</strong></p><p>A panel meets.</p><p><b>Note:</b> it is voluntary.</p>
    <div role="heading" aria-level="3">Contacts</div><p>Call us.</p></div></body></html>"""
    doc = read_document("x.html", page, RULES)
    assert headings(doc) == [(1, "Prevent"), (2, "What happens next"), (3, "Contacts")]
    assert "Note: it is voluntary." in texts(doc)
    md = read_document("x.md", b"# T\n\n**Who is on it**\n\nText **bold** here.\n\n- **item**\n")
    assert headings(md) == [(1, "T"), (2, "Who is on it")] and "item" in texts(md)


def test_headings_set_in_bold_in_a_row_are_siblings_and_nest_as_plain_text_ones_do():
    page = """<html><body><div id="content"><h1>Fact sheets</h1>
    <p><strong>Multi-Agency Centre</strong></p><p>The MAC shares information.</p>
    <p><strong>Key information</strong></p><p>Pilots ran in London.</p>
    <p><strong>Desistance and Disengagement Programme</strong></p><p>The DDP works in four ways:</p>
    <p><strong>Mentoring</strong></p><p>Mentors meet each person.</p>
    <p><strong>Key information</strong></p><p>It is mandatory in some cases.</p></div></body></html>"""
    doc = read_document("x.html", page.encode(), RULES)
    assert headings(doc) == [(1, "Fact sheets"), (2, "Multi-Agency Centre"), (3, "Key information"),
                             (2, "Desistance and Disengagement Programme"), (3, "Mentoring"), (3, "Key information")]


def test_a_page_without_paragraph_tags_is_split_at_blank_lines():
    page = """<html><body><article><h1>Prevent</h1><p>• Prevent safeguards people.<br><br>
    Channel is voluntary.<br>It offers a mentor.<br><br>Most referrals need no police action.</p></article></body></html>"""
    assert texts(read_document("x.html", page.encode(), RULES))[1:] == [
        "Prevent safeguards people.", "Channel is voluntary. It offers a mentor.", "Most referrals need no police action."]


@pytest.mark.parametrize("encoding", ["utf-8", "windows-1252"])
def test_a_page_that_declares_no_character_set_is_read_in_the_one_it_uses(encoding):
    page = "<html><head><title>T</title></head><body><main><h1>T</h1><p>The Government’s strategy – CONTEST – costs £2bn.</p></main></body></html>"
    assert texts(read_document("x.html", page.encode(encoding), RULES))[1] == "The Government’s strategy – CONTEST – costs £2bn."
    declared = page.replace("<head>", '<head><meta charset="iso-8859-1">').replace("’", "'").replace("–", "-")
    assert texts(read_document("x.html", declared.encode("iso-8859-1"), RULES))[1] == "The Government's strategy - CONTEST - costs £2bn."


def test_a_blog_posts_byline_is_frame():
    page = b"""<html><body><article><h1>Updated strategy</h1><div class="entry-meta">Posted on 4 June 2018 by Admin</div>
    <div class="entry-content"><p>The strategy was published today.</p></div></article></body></html>"""
    assert texts(read_document("x.html", page, RULES)) == ["Updated strategy", "The strategy was published today."]


def test_pdf_numbered_heading_in_body_type_standing_alone_and_contents_lines():
    lines = [(72, 760, 10, "Contents", True), (72, 745, 10, "1 Introduction ........ 3", False),
             (72, 700, 10, "3.2 How referrals are assessed", False),
             (72, 676, 10, "3.3 Each referral is assessed by the police, who decide whether it should go", False),
             (72, 663, 10, "to a Channel panel.", False)]
    doc = read_document("x.pdf", make_pdf([lines]))
    assert [(b.level, b.text) for b in doc.blocks if b.level] == [(1, "Contents"), (3, "3.2 How referrals are assessed")]


# --- lead-ins ---------------------------------------------------------------

LEAD_IN_PAGE = ("Title\n\nNew laws\n\nThe strategy will be backed by new legislation. This legislation will:\n\n"
                "• amend existing offences\n• strengthen sentencing\n\nThe review was overseen by David Anderson.\n\n"
                "The Home Secretary said:\n\n\"Our greatest strength lies in our values.\"\n\n\"There is more to do.\"\n")


def _lead_ins(sections) -> list[tuple[str, str]]:
    return [(p.text, p.lead_in) for s in sections for p in s.paragraphs]


def test_items_and_quotations_after_a_line_ending_in_a_colon_carry_it():
    """The last sentence of a lead-in introduces each item of the list after
    it, and each quotation after "... said:"; other paragraphs carry none."""
    assert _lead_ins(split_page(LEAD_IN_PAGE, "x", "Title")) == [
        ("The strategy will be backed by new legislation. This legislation will:", ""),
        ("amend existing offences", "This legislation will:"),
        ("strengthen sentencing", "This legislation will:"),
        ("The review was overseen by David Anderson.", ""),
        ("The Home Secretary said:", ""),
        ('"Our greatest strength lies in our values."', "The Home Secretary said:"),
        ('"There is more to do."', "The Home Secretary said:"),
    ]


def test_a_run_of_text_too_long_for_a_clause_is_no_lead_in():
    long = "word " * 100 + "and so:"
    page = f"Title\n\nList\n\nIntro. {long}\n\n• one item\n• another item\n"
    assert [lead for _, lead in _lead_ins(split_page(page, "x", "Title"))] == ["", "", ""]


@pytest.mark.parametrize("name, data", [
    ("x.html", (b"<html><body><main><h1>T</h1><p>Intro. The aims are to:</p><ul><li>stop people</li>"
                b"<li><p>help people</p></li></ul><p>Not an item.</p></main></body></html>")),
    ("x.md", b"# T\n\nIntro. The aims are to:\n\n- stop people\n- help people\n\nNot an item.\n"),
    ("y.html", "<html><body><main><h1>T</h1><p>Intro. The aims are to:<br><br>• stop people<br><br>• help people<br><br>"
               "Not an item.</p></main></body></html>".encode()),
])
def test_list_items_of_html_and_markdown_carry_their_lead_in(name, data):
    sections = sections_from_blocks(read_document(name, data, RULES).blocks, "x", "T")
    assert _lead_ins(sections) == [("Intro. The aims are to:", ""), ("stop people", "The aims are to:"),
                                   ("help people", "The aims are to:"), ("Not an item.", "")]


def test_pdf_bullets_carry_their_lead_in():
    lines = flow([("p", "The strategy is backed by new laws. This legislation will:"), ("b", "amend existing offences"),
                  ("b", "strengthen sentencing"), ("p", "The review was overseen by David Anderson.")])
    sections = sections_from_blocks(read_document("x.pdf", make_pdf([lines])).blocks, "x", "T")
    assert [lead for _, lead in _lead_ins(sections)] == ["", "This legislation will:", "This legislation will:", ""]
