"""Cited excerpts of search results as Markdown, CSV, JSON or CSL-JSON, and a
safe way to write them: never over an existing file unless asked, and always
through a temporary file renamed into place."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Sequence

from .citations import paragraph_ref, passage_link, shown_lead_in
from .corpus import Source
from .errors import OutputError
from .search import SearchResult
from .sections import PATH_SEPARATOR
from .text import strip_controls

FORMATS = ("md", "json", "csv", "csl-json")
CSV_COLUMNS = ("query", "rank", "citation", "source_title", "publisher", "url", "section_path",
               "paragraphs", "lines", "page", "link", "strands", "text", "lead_in")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def format_for(path: str, given: str | None) -> str:
    """The export format: GIVEN, or the one PATH's extension names."""
    if given:
        return given
    lower = path.lower()
    if lower.endswith((".csl.json", ".csljson")):
        return "csl-json"
    for ext, fmt in ((".md", "md"), (".markdown", "md"), (".json", "json"), (".csv", "csv")):
        if lower.endswith(ext):
            return fmt
    if path == "-":
        return "md"
    raise OutputError(f"cannot tell the format of {path!r} from its extension; pass --format {'|'.join(FORMATS)}")


def _sources(results: Sequence[SearchResult]) -> dict[str, Source]:
    out: dict[str, Source] = {}
    for result in results:
        for hit in result.hits:
            out.setdefault(hit.source.id, hit.source)
    return out


_MD_SPECIAL = re.compile(r"([\\`*_\[\]])")


def md_text(text: str) -> str:
    """TEXT safe to place in Markdown as text: HTML is escaped as entities and
    Markdown's inline marks (emphasis, code, links) are backslash-escaped, so
    nothing from a page becomes markup, a link or a script; a control
    character (an escape sequence's ESC, a line break) becomes a space."""
    text = strip_controls(text, keep_layout=False).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_link(text: str, url: str | None) -> str:
    """A Markdown link to URL with TEXT, or TEXT alone when URL is not http(s)."""
    if not url or not re.match(r"https?://[^\s<>]+$", url, re.IGNORECASE):
        return md_text(text)
    target = f"<{url}>" if re.search(r"[()]", url) else url
    return f"[{md_text(text)}]({target})"


def to_markdown(results: Sequence[SearchResult], attribution: str | None, cite_style: str = "plain") -> str:
    """Each cited passage as a blockquote under its heading path, then its
    citation with a link; a Sources list with licence attribution at the end."""
    out: list[str] = []
    for result in results:
        out.append(f"## {md_text(result.query)}")
        out.append("")
        for hit in result.hits:
            path = md_text(PATH_SEPARATOR.join(hit.section.heading_path))
            out.append(f"### {path}")
            out.append("")
            for p in hit.passages:
                lead = shown_lead_in(p.paragraph, hit.passages)
                out.append("> " + md_text(f"[{lead}] {p.paragraph.text}" if lead else p.paragraph.text))
                out.append(">")
            out.pop()
            out.append("")
            paragraphs = [p.paragraph for p in hit.passages]
            if cite_style == "pandoc":
                locator = ", ".join(f"p. {p.page}" if p.page is not None else f"¶{p.n}"
                                    for p in sorted(paragraphs, key=lambda p: p.n))
                out.append(f"[@{hit.source.id}, § {path}, {locator}]")
            else:
                title = md_link(hit.source.title, hit.source.url)
                where = md_link(paragraph_ref(paragraphs), passage_link(hit.source, hit.passages[0].paragraph))
                out.append(f"— {md_text(hit.source.publisher)}, {title}, § {path}, {where}")
            out.append("")
    sources = _sources(results)
    ogl = any((s.licence or "").startswith("Open Government Licence") for s in sources.values())
    notice = md_text(attribution) if attribution and ogl else None
    if sources and cite_style == "pandoc":
        # pandoc --citeproc writes the bibliography from the CSL-JSON export.
        if notice:
            out.append(notice)
    elif sources:
        out.append("## Sources")
        out.append("")
        for src in sources.values():
            dates = ", ".join(x for x in (f"published {src.published}" if src.published else "", f"updated {src.updated}" if src.updated else "") if x)
            line = f"- {md_text(src.publisher)}, “{md_link(src.title, src.url)}”" + (f" ({dates})" if dates else "")
            line += f". {md_text(src.licence)}." if src.licence else ""
            out.append(line)
        if notice:
            out.append("")
            out.append(notice)
    return "\n".join(out).rstrip() + "\n"


def _safe_cell(value: object) -> str:
    text = "" if value is None else strip_controls(str(value))
    # A spreadsheet runs a cell that starts like a formula; a leading
    # apostrophe makes it text (OWASP's advice on CSV injection).
    risky = text.startswith(("\t", "\r", "\n")) or text.lstrip(" \t\r\n").startswith(_FORMULA_START)
    return "'" + text if risky else text


def to_csv(results: Sequence[SearchResult]) -> str:
    """A header row and one row per cited passage; formula-like cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for result in results:
        for hit in result.hits:
            for p in hit.passages:
                para = p.paragraph
                row = (result.query, hit.rank, hit.citation, hit.source.title, hit.source.publisher, hit.source.url,
                       PATH_SEPARATOR.join(hit.section.heading_path), para.n, f"{para.lines[0]}-{para.lines[1]}",
                       para.page, passage_link(hit.source, para), " ".join(hit.section.strands), para.text,
                       para.lead_in)
                writer.writerow([_safe_cell(v) for v in row])
    return buffer.getvalue()


def to_json(results: Sequence[SearchResult]) -> str:
    """The same object as `search --format json` (a list for several queries)."""
    data = [r.to_dict() for r in results]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2) + "\n"


def _issued(date: str | None) -> dict | None:
    if not date:
        return None
    return {"date-parts": [[int(x) for x in date.split("-")]]}


def to_csl_json(results: Sequence[SearchResult]) -> str:
    """One CSL-JSON item per source, for Zotero or pandoc --citeproc. The
    publishing organisation is the author (given once, as a literal name);
    ``accessed`` is the manifest's date, or today's."""
    import datetime

    today = datetime.date.today().isoformat()
    items = []
    for src in _sources(results).values():
        item = {
            "id": src.id,
            "type": "webpage",
            "title": src.title,
            "author": [{"literal": src.publisher}],
            "URL": src.url,
            "issued": _issued(src.published),
            "accessed": _issued(src.accessed or today),
            "note": src.licence,
        }
        if src.updated:
            item["version"] = f"updated {src.updated}"
        items.append({k: v for k, v in item.items() if v is not None})
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def render(results: Sequence[SearchResult], fmt: str, attribution: str | None = None, cite_style: str = "plain",
           excel: bool = False) -> str:
    """RESULTS in FMT (one of FORMATS); with EXCEL, CSV starts with a UTF-8
    byte-order mark, which Excel needs to read UTF-8."""
    if fmt == "md":
        return to_markdown(results, attribution, cite_style)
    if fmt == "csv":
        return ("\ufeff" if excel else "") + to_csv(results)
    if fmt == "json":
        return to_json(results)
    if fmt == "csl-json":
        return to_csl_json(results)
    raise OutputError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


TEMP_PREFIX = ".contest-kb-"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def _clean_stale_temps(folder: str) -> None:
    """Remove temporary files that a killed contest-kb left in FOLDER."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        parts = name[len(TEMP_PREFIX):].split("-", 1) if name.startswith(TEMP_PREFIX) and name.endswith(".tmp") else []
        if len(parts) == 2 and parts[0].isdigit() and int(parts[0]) != os.getpid() and not _pid_alive(int(parts[0])):
            try:
                os.unlink(os.path.join(folder, name))
            except OSError:
                pass


def _write_temp(folder: str, text: str, what: str) -> str:
    """Write TEXT to a new temporary file in FOLDER, created with the user's
    umask like any file they make, and return its path."""
    import secrets

    _clean_stale_temps(folder)
    tmp = os.path.join(folder, f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise OutputError(f"cannot write {what} ({exc.strerror}); check the folder {folder} is writable and has space") from None
    return tmp


def write_file(path: str, text: str, force: bool = False) -> None:
    """Write TEXT to PATH through a temporary file in the same folder.

    Without FORCE an existing PATH is never touched: the temporary file is
    linked into place, which fails if PATH exists, even if it appeared a
    moment ago. With FORCE it is atomically replaced.
    """
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise OutputError(f"cannot write {path}: folder {folder} does not exist")
    if os.path.exists(path) and not force:
        raise OutputError(f"{path} exists; pass --force to overwrite it, or choose another -o")
    tmp = _write_temp(folder, text, path)
    try:
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise OutputError(f"{path} exists; pass --force to overwrite it, or choose another -o") from None
            except OSError:  # a file system without hard links
                if os.path.exists(path):
                    raise OutputError(f"{path} exists; pass --force to overwrite it, or choose another -o") from None
                os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path} ({exc.strerror})") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_report(path: str, text: str) -> None:
    """Write a regenerated report (JUnit XML) to PATH: missing folders are
    created and an earlier report is replaced atomically, as pytest's
    --junitxml does."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise OutputError(f"cannot write the report {path}: it is a folder; name a file such as {os.path.join(path, 'contest-kb.xml')}")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder {folder} for {path} ({exc.strerror})") from None
    tmp = _write_temp(folder, text, path)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write {path} ({exc.strerror})") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
