"""The bundled pages in other formats: each page laid out as web pages in
four styles, with a site's chrome around its content, and as PDFs in four
styles, added
to a corpus of its own (as ``contest-kb add`` does), then read back.

For each format it reports how many of the bundled pages' paragraphs and
headings come back exactly, and success@1 / success@3 of the relevance sets
on that corpus beside the figure on the text files:

    python benchmarks/formats.py                       # every set, every format
    python benchmarks/formats.py --formats html,pdf-word --sets relevance.toml

The PDF styles differ where real documents do: how paragraphs are set apart
(a wide gap, a gap narrower than half a line, none but a first-line indent),
running headers and page numbers, numbered headings, two columns. They are
written by tests/pdfmaker.py (standard fonts, no dependency); lines are
wrapped at a number of characters, so a line's width is only roughly that
of a typeset one. tests/test_formats.py runs the same functions at CI size.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import sys
import tempfile
import textwrap

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)
sys.path.insert(0, os.path.join(REPO, "src"))

from contest_kb.corpus import load_corpus
from contest_kb.sections import BULLET_SIGNS
from tests.pdfmaker import make_pdf

CORPUS = os.path.join(REPO, "corpus")
SETS = ["relevance.toml", "relevance-styles.toml", "relevance-fresh.toml", "relevance-unseen.toml",
        "relevance-everyday.toml", "relevance-blind.toml", "relevance-seventh.toml"]

# name: (paragraph gap in lines, first-line indent, running header and page numbers, numbered headings, columns)
PDF_STYLES = {
    "pdf-spaced": (0.8, 0, False, False, 1),
    "pdf-word": (0.45, 0, True, False, 1),
    "pdf-indent": (0.0, 18, True, True, 1),
    "pdf-columns": (0.5, 0, True, False, 2),
}
# html: GOV.UK-like, content in <main>; html-plain: an older site, content in
# div#content, no character set declared; html-br: paragraphs as runs of text
# between <br><br>, headings as bold paragraphs; html-blog: a blog post with
# its byline and comments.
HTML_STYLES = ["html", "html-plain", "html-br", "html-blog"]
FORMATS = [*HTML_STYLES, *PDF_STYLES]
SELF_DESCRIBED = ["html", *PDF_STYLES]

_BULLET_LINE = re.compile(rf"^\s*[{BULLET_SIGNS}*+\-–]\s+")


def bundled_pages(root: str = CORPUS) -> list[dict]:
    """The bundled pages as laid out for conversion: id, title, publisher,
    date, address and sections (level, heading, heading path, paragraphs as
    (text, bullet))."""
    corpus = load_corpus(root)
    pages = []
    for sid, source in corpus.sources.items():
        with open(os.path.join(root, source.file), encoding="utf-8") as handle:
            lines = handle.read().split("\n")
        sections = [
            {"level": s.level, "heading": s.heading_path[-1], "path": s.heading_path,
             "paragraphs": [(p.text, bool(_BULLET_LINE.match(lines[p.lines[0] - 1]))) for p in s.paragraphs]}
            for s in corpus.sections if s.source == sid]
        pages.append({"id": sid, "title": source.title, "publisher": source.publisher, "published": source.published,
                      "url": source.url, "sections": sections})
    return pages


def web_page(page: dict, style: str = "html") -> str:
    """PAGE as a web page in STYLE (see HTML_STYLES)."""
    e = html.escape
    sections = page["sections"]
    if style == "html-plain":
        head = f"<title>{e(page['title'])} | Site</title>"  # no character set declared
        start, end = '<div id="content" class="page-content">', "</div>"
    elif style == "html-br":
        head = f'<meta charset="utf-8"><title>{e(page["title"])}</title>'
        start, end = "<article>", "</article>"
    elif style == "html-blog":
        head = f'<meta charset="utf-8"><title>{e(page["title"])} – Blog</title>'
        start = (f"<div id='primary'><article class='post'><header class='entry-header'><h1 class='entry-title'>"
                 f"{e(sections[0]['heading'])}</h1><div class='entry-meta'>Posted on {e(page['published'] or '')} "
                 "by the press office</div></header><div class='entry-content'>")
        end = ("</div></article><div class='comments-area'><h2>Leave a comment</h2>"
               "<p>Your email address will not be published.</p></div></div>")
    else:
        head = (f'<meta charset="utf-8"><title>{e(page["title"])} - GOV.UK</title>'
                f'<meta property="og:title" content="{e(page["title"])}">'
                f'<meta property="og:site_name" content="{e(page["publisher"] or "")}">'
                f'<link rel="canonical" href="{e(page["url"] or "")}">'
                f'<meta property="article:published_time" content="{page["published"] or ""}">')
        start, end = '<main id="main">', (
            '<div class="gem-c-share-links"><h2>Share this page</h2><ul><li><a href="#">Facebook</a></li>'
            '<li><a href="#">Twitter</a></li></ul></div></main><aside class="related"><h2>Related content</h2>'
            '<ul><li><a href="/contest">Counter-terrorism strategy (CONTEST) 2023</a></li></ul></aside>')
    out = [f"""<!DOCTYPE html><html lang="en"><head>{head}</head><body>
<div id="global-cookie-message"><p>We use some essential cookies to make this website work.</p>
<button>Accept additional cookies</button></div><a href="#main" class="govuk-skip-link">Skip to main content</a>
<header role="banner"><nav><ul><li><a href="/">Home</a></li><li><a href="/search">Search</a></li></ul></nav></header>
<div class="govuk-breadcrumbs"><ol><li><a href="/">Home</a></li><li><a href="/crime">Crime, justice and law</a></li></ol></div>
{start}"""]
    for k, section in enumerate(sections):
        level, heading = section["level"], e(section["heading"])
        if style == "html-br" and level > 1:
            out.append(f"<p><strong>{heading}</strong></p>")
        elif not (style == "html-blog" and k == 0):  # the blog's title is in its entry header
            out.append(f"<h{level}>{heading}</h{level}>")
        if style == "html-br":
            texts = [("• " if bullet else "") + e(text) for text, bullet in section["paragraphs"]]
            out.append("<p>" + "<br><br>\n".join(texts) + "</p>")
            continue
        listing = False
        for text, bullet in section["paragraphs"]:
            if bullet != listing:
                out.append("<ul>" if bullet else "</ul>")
                listing = bullet
            out.append(f"<li>{e(text)}</li>" if bullet else f"<p>{e(text)}</p>")
        if listing:
            out.append("</ul>")
    out.append(end + """<footer><ul><li><a href="/help">Help</a></li>
<li>All content is available under the Open Government Licence v3.0, except where otherwise stated</li></ul></footer>
</body></html>""")
    return "\n".join(out)


def pdf_document(page: dict, style: str) -> bytes:
    """PAGE laid out as a PDF in STYLE (see PDF_STYLES)."""
    gap, indent, framed, numbered, columns = PDF_STYLES[style]
    body, leading, top, bottom = 10.0, 13.0, 760.0, 70.0
    width = 80 if columns == 1 else 38
    lefts = [72.0] if columns == 1 else [72.0, 320.0]
    pages: list[list] = [[]]
    state = {"y": top, "column": 0}

    def room(needed: float) -> None:
        if state["y"] - needed < bottom:
            state["column"] += 1
            if state["column"] == len(lefts):
                pages.append([])
                state["column"] = 0
            state["y"] = top

    def put(text: str, size: float, bold: bool, shift: float = 0.0) -> None:
        room(leading)
        pages[-1].append((lefts[state["column"]] + shift, state["y"], size, text, bold))
        state["y"] -= leading if size <= body else size * 1.3

    numbers = [0, 0]
    for k, section in enumerate(page["sections"]):
        heading = section["heading"]
        if k == 0:
            for part in textwrap.wrap(heading, 40):
                put(part, 20.0, True)
            state["y"] -= 10
        else:
            level = section["level"]
            if numbered:
                numbers[level - 2] += 1
                if level == 2:
                    numbers[1] = 0
                heading = (f"{numbers[0]} " if level == 2 else f"{numbers[0]}.{numbers[1]} ") + heading
            room(3 * leading)
            state["y"] -= 8
            for part in textwrap.wrap(heading, 50 if columns == 1 else 26):
                put(part, 14.0 if level == 2 else 12.0, True)
            state["y"] -= 4
        for text, bullet in section["paragraphs"]:
            parts = textwrap.wrap(text, width - (2 if bullet else 0))
            for n, part in enumerate(parts):
                if bullet:
                    put(("• " if n == 0 else "") + part, body, False, 0 if n == 0 else 10)
                else:
                    put(part, body, False, indent if n == 0 else 0)
            state["y"] -= 0 if bullet else leading * gap
    if framed:
        for n, lines in enumerate(pages, 1):
            if n > 1:
                lines.insert(0, (380.0, 805.0, 8.0, page["title"][:60], False))
            lines.append((290.0, 40.0, 8.0, f"Page {n} of {len(pages)}", False))
    info = {"Title": page["title"], "Author": page["publisher"] or "",
            "CreationDate": "D:" + (page["published"] or "2018-01-01").replace("-", "") + "000000Z"}
    return make_pdf(pages, info)


def write_format(pages: list[dict], fmt: str, folder: str) -> list[str]:
    """Write PAGES in FMT to FOLDER; the paths written."""
    os.makedirs(folder, exist_ok=True)
    paths = []
    for page in pages:
        if fmt in HTML_STYLES:
            path = os.path.join(folder, page["id"] + ".html")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(web_page(page, fmt))
        else:
            path = os.path.join(folder, page["id"] + ".pdf")
            with open(path, "wb") as handle:
                handle.write(pdf_document(page, fmt))
        paths.append(path)
    return paths


def build_corpus(pages: list[dict], fmt: str, root: str) -> str:
    """A corpus at ROOT holding PAGES in FMT, added as ``contest-kb add`` does.
    A page that does not name its publisher and address (all but the
    GOV.UK-like web page and the PDFs) is added with them given, as a user
    would (``--publisher``, ``--url``)."""
    from contest_kb.documents import add_documents

    paths = write_format(pages, fmt, root + "-files")
    if fmt in SELF_DESCRIBED:
        add_documents(paths, corpus_dir=root)
    else:
        for page, path in zip(pages, paths):
            add_documents([path], corpus_dir=root, fields={"publisher": page["publisher"], "url": page["url"]})
    return root


def _unnumbered(heading: str) -> str:
    return re.sub(r"^\d+(?:\.\d+)*\s+", "", heading)


def recovered(pages: list[dict], root: str) -> dict:
    """How many of PAGES' paragraphs and headings the corpus at ROOT holds
    exactly (a heading with the headings above it, without their numbers),
    and what came back that was not on the pages."""
    corpus = load_corpus(root)
    paragraphs = [p.text for s in corpus.sections for p in s.paragraphs]
    headings = [tuple(_unnumbered(h) for h in s.heading_path) for s in corpus.sections]
    want = [text for page in pages for s in page["sections"] for text, _ in s["paragraphs"]]
    want_headings = [tuple(s["path"]) for page in pages for s in page["sections"]]
    got, got_headings = set(paragraphs), set(headings)
    return {
        "paragraphs": sum(text in got for text in want), "of_paragraphs": len(want),
        "headings": sum(h in got_headings for h in want_headings), "of_headings": len(want_headings),
        "extra": [text for text in paragraphs if text not in set(want)],
    }


def relevance(root: str, index_dir: str, sets: list[str]) -> dict[str, tuple[float, float]]:
    """success@1 and success@3 of each of SETS on the corpus at ROOT."""
    from contest_kb.index import open_index
    from contest_kb.relevance import compare, load_questions
    from contest_kb.search import Searcher

    out = {}
    with open_index(root, index_dir) as kb, Searcher(kb) as searcher:
        for name in sets:
            scores = compare(searcher, load_questions(os.path.join(REPO, "benchmarks", name)), baseline=False)[0]
            out[name] = (scores.success_at(1), scores.success_at(3))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated: " + ", ".join(FORMATS))
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated relevance sets in benchmarks/")
    parser.add_argument("--keep", metavar="DIR", help="write the documents and corpora here and keep them")
    args = parser.parse_args(argv)
    formats = [f for f in args.formats.split(",") if f]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        parser.error(f"unknown format {unknown[0]!r}; use one of {', '.join(FORMATS)}")
    sets = [s for s in args.sets.split(",") if s]
    pages = bundled_pages()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or tmp
        rows = [("text files", None, relevance(CORPUS, os.path.join(work, "index-text"), sets))]
        for fmt in formats:
            root = build_corpus(pages, fmt, os.path.join(work, fmt))
            rows.append((fmt, recovered(pages, root), relevance(root, os.path.join(work, "index-" + fmt), sets)))
        names = [s.removeprefix("relevance-").removeprefix("relevance").removesuffix(".toml") or "first" for s in sets]
        print("| format | paragraphs | headings | " + " | ".join(names) + " |")
        print("| --- | ---: | ---: | " + " | ".join("---:" for _ in names) + " |")
        for fmt, found, scores in rows:
            counts = ["—", "—"] if found is None else [
                f"{found['paragraphs']}/{found['of_paragraphs']}", f"{found['headings']}/{found['of_headings']}"]
            cells = [f"{scores[s][0]:.3f} / {scores[s][1]:.3f}" for s in sets]
            print(f"| {fmt} | " + " | ".join(counts + cells) + " |")
        for fmt, found, _ in rows:
            for text in (found or {}).get("extra", [])[:5]:
                print(f"{fmt}: not on the pages: {text[:100]!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
