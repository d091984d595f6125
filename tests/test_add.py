"""`contest-kb add` and `remove`: documents copied or fetched into a corpus,
their manifest entries, the index brought up to date, and citations to
the page and passage. Web addresses are served on 127.0.0.1."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
from typing import ClassVar

import pytest

from tests.conftest import CORPUS, Run, one_line_error
from tests.pdfmaker import flow, make_pdf

FIXTURES = CORPUS.parent / "tests" / "fixtures"


@pytest.fixture
def cli(tmp_path):
    """Run the CLI on a new corpus folder (made by the first add)."""
    runner = Run(tmp_path / "index")
    corpus = tmp_path / "corpus"

    def call(*args, **kwargs):
        return runner("--corpus", str(corpus), "--index-dir", str(tmp_path / "index"), *args, index=False, **kwargs)

    call.corpus = corpus
    return call


def _pdf() -> bytes:
    page1 = [(72, 785, 20, "Prevent duty guidance", True)] + flow([
        ("h", "1 Introduction"), ("p", "This guidance is for specified authorities in England and Wales.")])
    page2 = flow([("h", "2 Referrals"), ("p", ("A referral is made when there is a concern that someone may be "
                                             "vulnerable to radicalisation."))])
    return make_pdf([page1, page2], {"Title": "Prevent duty guidance", "CreationDate": "D:20230907000000Z"})


def test_add_a_folder_of_documents_and_search_them(cli, tmp_path):
    folder = tmp_path / "saved"
    folder.mkdir()
    for name in ("govuk-prevent-duty.html", "council-prevent.html"):
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    (folder / "guidance.pdf").write_bytes(_pdf())
    (folder / "notes.docx").write_bytes(b"PK")
    result = cli("add", str(folder))
    assert result.exit_code == 0, result.stderr
    assert "skipped" in result.stderr and "notes.docx" in result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "added council-prevent", "added govuk-prevent-duty", "added guidance"]
    manifest = json.loads((cli.corpus / "sources.json").read_text(encoding="utf-8"))
    assert {s["file"] for s in manifest["sources"]} == {"council-prevent.html", "govuk-prevent-duty.html", "guidance.pdf"}
    assert (cli.corpus / "strands.toml").is_file() and (cli.corpus / "official.toml").is_file()
    found = json.loads(cli("search", "vulnerable to radicalisation referral", "--format", "json").stdout)
    top = found["results"][0]
    assert top["id"] == "guidance/2-referrals" and top["passages"][0]["page"] == 2
    assert "p. 2, ¶1" in top["citation"]


def test_options_win_and_sources_say_where_each_field_came_from(cli):
    result = cli("add", str(FIXTURES / "govuk-prevent-duty.html"), "--publisher", "Home Office (GOV.UK)", "--id", "duty")
    assert result.exit_code == 0, result.stderr
    sources = json.loads(cli("sources", "--format", "json").stdout)
    (duty,) = sources
    assert duty["id"] == "duty" and duty["publisher"] == "Home Office (GOV.UK)"
    assert duty["origins"]["publisher"] == "option --publisher"
    assert duty["origins"]["title"] == "HTML <meta og:title>"
    assert "publisher from option --publisher" in cli("sources").stdout


def test_text_fragment_links_take_the_reader_to_the_passage(cli):
    cli("add", str(FIXTURES / "govuk-prevent-duty.html"))
    top = json.loads(cli("search", "due regard", "--format", "json").stdout)["results"][0]
    link = top["passages"][0]["link"]
    assert link == ("https://www.gov.uk/government/publications/prevent-duty-guidance-overview#:~:text="
                    "Specified%20authorities%20must%20have,being%20drawn%20into%20terrorism.")
    export = cli("search", "due regard", "--format", "json")
    assert export.exit_code == 0


def test_a_text_fragment_encodes_dashes_commas_and_ampersands():
    from contest_kb.citations import text_fragment

    assert text_fragment("Counter-terrorism, policing & security") == "text=Counter%2Dterrorism%2C%20policing%20%26%20security"
    assert text_fragment("Café — “Prevent” ~ 5.2%") == "text=Caf%C3%A9%20%E2%80%94%20%E2%80%9CPrevent%E2%80%9D%20~%205.2%25"


def test_pdf_links_open_the_page(cli, tmp_path):
    pdf = tmp_path / "guidance.pdf"
    pdf.write_bytes(_pdf())
    cli("add", str(pdf), "--url", "https://assets.example.gov.uk/prevent-duty-guidance.pdf")
    top = json.loads(cli("search", "referral vulnerable", "--format", "json").stdout)["results"][0]
    assert top["passages"][0]["link"] == "https://assets.example.gov.uk/prevent-duty-guidance.pdf#page=2"
    md = tmp_path / "out.md"
    assert cli("export", "referral vulnerable", "-o", str(md)).exit_code == 0
    assert "(https://assets.example.gov.uk/prevent-duty-guidance.pdf#page=2)" in md.read_text(encoding="utf-8")


def test_adding_again_replaces_and_remove_takes_it_out(cli, tmp_path):
    page = tmp_path / "notes.md"
    page.write_text("# Notes\n\nThe first version mentions Channel panels.\n", encoding="utf-8")
    assert cli("add", str(page)).exit_code == 0
    page.write_text("# Notes\n\nThe second version mentions Prevent referrals.\n", encoding="utf-8")
    result = cli("add", str(page))
    assert result.stdout.startswith("replaced notes:")
    assert cli("search", "Channel panels").exit_code == 1
    assert cli("search", "Prevent referrals").exit_code == 0
    removed = cli("remove", "notes")
    assert removed.exit_code == 0 and "removed notes" in removed.stderr
    assert not (cli.corpus / "notes.md").exists()
    assert json.loads(cli("sources", "--format", "json").stdout) == []


def test_errors_are_one_line(cli, tmp_path):
    (tmp_path / "report.docx").write_bytes(b"PK")
    one_line_error(cli("add", str(tmp_path / "report.docx")), "report.docx", "unsupported file type .docx", ".pdf")
    one_line_error(cli("add", str(tmp_path / "missing.pdf")), "missing.pdf", "no such file")
    (tmp_path / "scan.pdf").write_bytes(make_pdf([[]]))
    one_line_error(cli("add", str(tmp_path / "scan.pdf")), "scan.pdf", "no text layer")
    assert not (cli.corpus / "scan.pdf").exists()
    page = tmp_path / "a.md"
    page.write_text("Text.\n", encoding="utf-8")
    one_line_error(cli("add", str(page), "--published", "June"), "--published", "not a date")
    cli("add", str(page))
    one_line_error(cli("remove", "nope"), "no source 'nope'", "a")


def test_an_unsupported_file_in_the_corpus_is_an_error_not_skipped(tmp_corpus, tmp_path):
    (tmp_corpus / "minutes.docx").write_bytes(b"PK")
    result = Run(tmp_path / "idx")("--corpus", str(tmp_corpus), "--index-dir", str(tmp_path / "idx"), "search", "Channel", index=False)
    one_line_error(result, "minutes.docx", "unsupported file type .docx", ".html")


def test_an_html_page_in_the_corpus_is_read_as_a_web_page(tmp_corpus, tmp_path):
    from tests.conftest import edit_manifest

    (tmp_corpus / "police.html").write_bytes((FIXTURES / "police-counter-terrorism.html").read_bytes())
    edit_manifest(tmp_corpus, lambda d: d["sources"].append({"file": "police.html"}))
    run = Run(tmp_path / "idx")
    base = ("--corpus", str(tmp_corpus), "--index-dir", str(tmp_path / "idx"))
    assert run(*base, "search", "cookies analytics", index=False).exit_code == 1
    sources = json.loads(run(*base, "sources", "--format", "json", index=False).stdout)
    police = next(s for s in sources if s["id"] == "police")
    assert police["title"] == "Counter terrorism" and police["origins"]["title"] == "HTML <meta og:title>"


def test_chrome_rules_of_one_source_leave_other_sources_alone(tmp_corpus, tmp_path):
    from tests.conftest import add_page, edit_manifest

    add_page(tmp_corpus, "a.txt", "A page\n\nKeep reading below.\n\nThe real text of page A.\n")
    add_page(tmp_corpus, "b.txt", "B page\n\nKeep reading below.\n\nThe real text of page B.\n")
    edit_manifest(tmp_corpus, lambda d: d["sources"][-2].update(chrome=["Keep reading below\\."]))
    from contest_kb.corpus import load_corpus

    texts = {s.source: [p.text for p in s.paragraphs] for s in load_corpus(tmp_corpus).sections if s.source in ("a", "b")}
    assert texts == {"a": ["The real text of page A."], "b": ["Keep reading below.", "The real text of page B."]}


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict] = {}

    def do_GET(self):
        status, kind, body, extra = self.routes.get(self.path, (404, "text/plain", b"not found", {}))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        for key, value in extra.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    _Handler.routes = {
        "/guidance/prevent": (200, "text/html; charset=utf-8", (FIXTURES / "govuk-prevent-duty.html").read_bytes(), {}),
        "/old": (301, "text/html", b"", {"Location": f"{base}/guidance/prevent"}),
        "/files/guidance.pdf": (200, "application/pdf", _pdf(), {}),
        "/image.png": (200, "image/png", b"\x89PNG", {}),
        "/big": (200, "text/html", b"<p>" + b"x" * 2000 + b"</p>", {}),
    }
    yield base
    httpd.shutdown()


def test_add_fetches_web_addresses(cli, server):
    result = cli("add", f"{server}/old", f"{server}/files/guidance.pdf", "--format", "json")
    assert result.exit_code == 0, result.stderr
    added = json.loads(result.stdout)["added"]
    assert [a["format"] for a in added] == ["html", "pdf"]
    html_entry, pdf_entry = added
    assert html_entry["source"]["url"] == "https://www.gov.uk/government/publications/prevent-duty-guidance-overview"
    assert pdf_entry["source"]["url"] == f"{server}/files/guidance.pdf" and pdf_entry["origins"]["url"] == "fetched from"
    manifest = json.loads((cli.corpus / "sources.json").read_text(encoding="utf-8"))
    assert all(s.get("accessed") for s in manifest["sources"])
    assert cli("search", "due regard").exit_code == 0


def test_fetch_errors_are_one_line(cli, server):
    one_line_error(cli("add", f"{server}/missing"), "/missing", "404")
    one_line_error(cli("add", f"{server}/image.png"), "image/png", "not a web page")
    one_line_error(cli("add", "http://127.0.0.1:9/"), "cannot be fetched")
    from contest_kb.errors import FetchError
    from contest_kb.fetch import fetch

    with pytest.raises(FetchError, match="over the 1000-byte limit"):
        fetch(f"{server}/big", max_bytes=1000)


def test_a_charset_the_server_names_is_how_the_page_is_read(cli, server):
    """The header is lost once the page is saved: a page that names no
    charset itself would then be guessed UTF-8 or Windows-1252."""
    page = "<html><head><title>Funding</title></head><body><h1>Funding</h1><p>A grant of \u20ac5 million for caf\u00e9 owners.</p></body></html>"
    _Handler.routes["/euro"] = (200, "text/html; charset=iso-8859-15", page.encode("iso-8859-15"), {})
    _Handler.routes["/notes.txt"] = (200, "text/plain; charset=iso-8859-1", "Notes\n\nThe caf\u00e9 owners met.\n".encode("latin-1"), {})
    _Handler.routes["/declared"] = (200, "text/html; charset=utf-8", b'<meta charset="windows-1252"><p>caf\xe9</p>', {})
    from contest_kb.fetch import fetch

    assert "\u20ac5 million" in fetch(f"{server}/euro").data.decode("utf-8")
    assert fetch(f"{server}/declared").data == b'<meta charset="windows-1252"><p>caf\xe9</p>'  # the page's own word is kept
    # A server that names Latin-1 for a page in UTF-8 is wrong, and common.
    _Handler.routes["/misnamed"] = (200, "text/html; charset=iso-8859-1", "<p>Government\u2019s</p>".encode(), {})
    assert fetch(f"{server}/misnamed").data == "<p>Government\u2019s</p>".encode()
    result = cli("add", f"{server}/euro", f"{server}/notes.txt")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(cli("search", "grant owners", "--format", "json").stdout)
    assert shown["results"][0]["passages"][0]["text"] == "A grant of \u20ac5 million for caf\u00e9 owners."
    assert cli("search", "caf\u00e9 owners met").exit_code == 0


def test_search_imports_no_document_reader(tmp_path):
    code = ("import sys, io, contextlib; from contest_kb.cli import cli\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    try: cli(['--index-dir', {str(tmp_path)!r}, 'search', 'Channel'])\n"
            "    except SystemExit: pass\n"
            "print(sorted(m for m in ('lxml', 'pypdf', 'markdown_it', 'yaml') if m in sys.modules))")
    env = {**os.environ, "CONTEST_KB_CORPUS": str(CORPUS)}
    subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=120, check=True)  # builds the index
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr


def test_a_damaged_pdf_is_one_line_and_nothing_else(tmp_path):
    """In a real process too, where pypdf's log messages would reach stderr."""
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00" * 100)
    out = subprocess.run([sys.executable, "-m", "contest_kb", "--corpus", str(tmp_path / "c"), "--index-dir", str(tmp_path / "i"),
                          "add", str(tmp_path / "broken.pdf")], capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and "broken.pdf: not a readable PDF" in out.stderr
