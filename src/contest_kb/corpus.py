"""Find, read and check the corpus: source pages, their metadata and the data
files (strand cues, glossary, site chrome) that shape the index."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import zlib

from .errors import CorpusError
from .official import Officials
from .sections import Section, back_matter_key, sections_from_blocks, split_page
from .text import strip_controls

MANIFEST = "sources.json"
STRANDS_FILE = "strands.toml"
GLOSSARY_FILE = "glossary.toml"
CHROME_FILE = "boilerplate.toml"
OFFICIAL_FILE = "official.toml"
NONE_FOUND = "default (none found)"  # the origin of a field no manifest or document gave
DATA_FILES = (MANIFEST, STRANDS_FILE, GLOSSARY_FILE, CHROME_FILE, OFFICIAL_FILE)
SOURCE_FIELDS = ("id", "title", "publisher", "url", "published", "updated", "licence", "official")

_PACKAGE_DIR = os.path.dirname(os.path.realpath(__file__))
_CHECKOUT = os.path.dirname(os.path.dirname(_PACKAGE_DIR))
PathArg = str | os.PathLike[str]
# Modules whose code decides what the index holds: a change to any of them
# must rebuild the index just as a change to the corpus does.
_INDEX_SHAPING = ("analysis.py", "corpus.py", "index.py", "intent.py", "numerals.py", "sections.py", "store.py", "strands.py", "text.py", "ingest/__init__.py",
                  "ingest/plaintext.py", "ingest/markdown.py", "ingest/html.py", "ingest/pdf.py")


class Source:
    """One published page and its metadata, as given in the manifest."""

    __slots__ = (
        "accessed",
        "attribution",
        "chrome",
        "file",
        "id",
        "licence",
        "official",
        "origins",
        "published",
        "publisher",
        "title",
        "updated",
        "url",
        "url_status",
    )

    def __init__(
        self,
        id: str,
        file: str,
        title: str | None = None,
        publisher: str | None = None,
        url: str | None = None,
        published: str | None = None,
        updated: str | None = None,
        licence: str | None = None,
        url_status: str | None = None,
        attribution: str | None = None,
        accessed: str | None = None,
        origins: dict[str, str] | None = None,
        chrome: list[str] | None = None,
        official: bool = False,
    ) -> None:
        self.accessed = accessed
        # Whether official.toml lists its address or publisher: read from the
        # corpus's rules when the index is opened (IndexedCorpus.source), not stored.
        self.official = official
        # Where each field came from when not typed in the manifest ("HTML
        # <meta og:title>", "option --publisher"), and this source's own
        # site-chrome patterns.
        self.origins = dict(origins or {})
        self.chrome = list(chrome or [])
        self.id = id
        self.file = file
        # Filled from the document when the manifest leaves them out (read_page).
        self.title: str = title or ""
        self.publisher: str = publisher or ""
        self.url = url
        self.published = published
        self.updated = updated
        self.licence = licence
        self.url_status = url_status
        self.attribution = attribution

    def __repr__(self) -> str:
        return f"Source(id={self.id!r}, title={self.title!r})"

    def as_record(self) -> dict:
        """Every field, as stored in the index metadata."""
        return {name: getattr(self, name) for name in self.__slots__ if name != "official"}

    def origin(self, field: str) -> str | None:
        """Where FIELD's value came from ("manifest" when typed there)."""
        if not getattr(self, field, None):
            return None
        return self.origins.get(field, "manifest")

    def known_publisher(self) -> str | None:
        """The publisher, unless nothing named one (the default stands in)."""
        return None if self.origin("publisher") in (None, NONE_FOUND) else self.publisher

    def to_dict(self) -> dict:
        """The metadata a citation needs, in the documented JSON shape."""
        return {name: getattr(self, name) for name in SOURCE_FIELDS}


class Corpus:
    """The loaded corpus: sources, sectioned and strand-tagged pages, glossary."""

    def __init__(
        self,
        root: str,
        sources: dict[str, Source],
        sections: list[Section],
        glossary: list[dict] | None = None,
        attribution: str | None = None,
    ) -> None:
        self.root = root
        self.sources = sources
        self.sections = sections
        self.glossary = glossary or []
        self.attribution = attribution


def default_corpus_dir() -> str:
    """The corpus bundled with the package, or the checkout's ``corpus/``."""
    bundled = os.path.join(_PACKAGE_DIR, "corpus")
    if os.path.isfile(os.path.join(bundled, MANIFEST)):
        return bundled
    return os.path.join(_CHECKOUT, "corpus")


def default_index_dir(corpus_dir: PathArg) -> str:
    """Where the index for CORPUS_DIR lives unless the user says otherwise.

    In a source checkout that is ``index/`` beside ``corpus/``; for an
    installed package or another corpus, a folder in the user's cache named
    after the corpus path.
    """
    corpus_dir = os.path.realpath(corpus_dir)
    if corpus_dir == os.path.join(_CHECKOUT, "corpus") and os.path.isfile(os.path.join(_CHECKOUT, "pyproject.toml")):
        return os.path.join(_CHECKOUT, "index")
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    tag = hashlib.sha256(corpus_dir.encode()).hexdigest()[:12]
    return os.path.join(cache, "contest-kb", f"index-{tag}")


def corpus_files(root: PathArg) -> list[str]:
    """Paths of the files in the corpus folder ROOT (hidden files left out)."""
    root = os.fspath(root)
    if not os.path.isdir(root):
        raise CorpusError(f"corpus folder {root} does not exist; pass --corpus DIR or set CONTEST_KB_CORPUS")
    names = sorted(n for n in os.listdir(root) if not n.startswith("."))
    return [p for p in (os.path.join(root, n) for n in names) if os.path.isfile(p)]


def is_page_file(path: str) -> bool:
    """Whether PATH is a document of the corpus: any file but the data files,
    hidden files and documents about the corpus itself (an upper-case name
    such as NOTICE.md or README.md). Its type may still be unsupported."""
    name = os.path.basename(path)
    stem = os.path.splitext(name)[0]
    return name not in DATA_FILES and not name.startswith(".") and not stem.isupper()


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _read_text(path: str) -> str:
    """The UTF-8 text of a corpus file, with control characters removed (a
    page is data: no escape sequence of it may reach a terminal)."""
    from .ingest.plaintext import decode_utf8

    try:
        data = _read_bytes(path)
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror})") from None
    return decode_utf8(data, path)


SOURCE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_DATE = re.compile(r"\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?")
_TEXT_FIELDS = ("title", "publisher", "licence", "url_status", "attribution")


def entry_id(entry: dict) -> str:
    """The source id of a manifest entry: its ``id``, else its file name
    without the extension (read_manifest checks it is a valid id)."""
    return entry["id"] if entry.get("id") is not None else os.path.splitext(os.path.basename(entry["file"]))[0]


def web_address_problem(url: str) -> str | None:
    """What is wrong with URL as a page's address ("is not a valid address",
    "is not an http(s) address"), or None for an http(s) address with a host
    and no characters that would break out of a link."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced [ in the host
        return "is not a valid address"
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in url for c in ' "<>`'):
        return "is not an http(s) address"
    return None


def is_date(value: str) -> bool:
    """Whether VALUE is YYYY-MM-DD, YYYY-MM or YYYY."""
    return bool(_DATE.fullmatch(value))


def fallback_fields(file: str, url: str | None) -> dict[str, tuple[str, str]]:
    """(value, origin) of title and publisher for a source whose manifest
    and document give neither: the file name, the web address's host."""
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname if url else None
    return {"title": (os.path.splitext(os.path.basename(file))[0], "file name"),
            "publisher": (host, "web address") if host else ("unknown publisher", NONE_FOUND)}


def _page_path(root: str, file: str, where: str) -> str:
    """The path of a page named by the manifest, refused when it would leave ROOT."""
    if os.path.isabs(file) or file.startswith(("~", "\\")) or ".." in re.split(r"[\\/]", file):
        raise CorpusError(f"{where} names {file!r}; a page must be a file inside the corpus folder, named relative to it")
    path = os.path.join(root, file)
    real_root = os.path.realpath(root)
    if os.path.commonpath([real_root, os.path.realpath(path)]) != real_root:
        raise CorpusError(f"{where} names {file!r}, a link that leads outside the corpus folder; copy the page in instead")
    if not os.path.isfile(path):
        raise CorpusError(f"{where} names {file}, which is not in {root}")
    return path


def _source_fields(entry: dict, where: str) -> dict:
    """The manifest fields of one entry, checked for type and sanitised."""
    fields: dict = {}
    for name in _TEXT_FIELDS + ("url", "published", "updated", "accessed"):
        value = entry.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise CorpusError(f"{where}: {name!r} must be a string or null, not {type(value).__name__} {value!r}")
        value = " ".join(strip_controls(value, keep_layout=False).split())
        fields[name] = value or None
    url = fields.get("url")
    problem = web_address_problem(url) if url else None
    if problem:
        raise CorpusError(f"{where}: url {url!r} {problem}; give the page's web address or null")
    for name in ("published", "updated", "accessed"):
        value = fields.get(name)
        if value and not is_date(value):
            raise CorpusError(f"{where}: {name} {value!r} is not a date; write YYYY-MM-DD (or YYYY-MM, YYYY) or null")
    return fields


def _origins(entry: dict, where: str) -> dict[str, str]:
    origins = entry.get("origins") or {}
    if not isinstance(origins, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in origins.items()):
        raise CorpusError(f'{where}: "origins" must map field names to where each value came from')
    return {k: strip_controls(v, keep_layout=False) for k, v in origins.items()}


def _chrome_list(entry: dict, where: str) -> list[str]:
    chrome = entry.get("chrome") or []
    if not isinstance(chrome, list) or not all(isinstance(p, str) for p in chrome):
        raise CorpusError(f'{where}: "chrome" must be a list of patterns (regular expressions) for this page\'s site chrome')
    for pattern in chrome:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise CorpusError(f"{where}: chrome pattern {pattern!r} is not a valid regular expression ({exc})") from None
    return chrome


def read_toml(path: str) -> dict:
    """Parse a TOML file, raising ContestKBError with file and line on error."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{path}: {exc}; fix the TOML syntax") from None


def read_manifest(root: str) -> tuple[dict[str, Source], str | None]:
    """Read ``sources.json``: the metadata of every page, keyed by source id."""
    from .ingest import document_format

    path = os.path.join(root, MANIFEST)
    if not os.path.isfile(path):
        raise CorpusError(f"{path} not found; every corpus needs a manifest of its pages (see the README, 'The corpus')")
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise CorpusError(f"{path}:{exc.lineno}: invalid JSON ({exc.msg})") from None
    entries = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise CorpusError(f'{path}: expected an object with a "sources" list')
    sources: dict[str, Source] = {}
    for k, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str) or not entry["file"].strip():
            raise CorpusError(f'{path}: source #{k} needs a "file" naming a page in {root}')
        file = entry["file"]
        sid = entry_id(entry)
        if not isinstance(sid, str) or not SOURCE_ID.fullmatch(sid):
            raise CorpusError(f"{path}: source #{k}: id {sid!r} must be a string of letters, digits, '.', '_' and '-'")
        where = f"{path}: source {sid!r}"
        fields = _source_fields(entry, where)
        if sid in sources:
            raise CorpusError(f"{path}: source id {sid!r} is used twice; give each page its own id")
        _page_path(root, file, where)
        document_format(os.path.join(root, file))
        sources[sid] = Source(id=sid, file=file, origins=_origins(entry, where), chrome=_chrome_list(entry, where), **fields)
    listed = {os.path.normpath(s.file) for s in sources.values()}
    for page in corpus_files(root):
        if is_page_file(page) and os.path.basename(page) not in listed:
            document_format(page)
            raise CorpusError(f"{page}: page has no entry in {path}; add it with 'contest-kb add {page}' "
                              "(or write an entry with its title and publisher)")
    attribution = data.get("attribution")
    if attribution is not None and not isinstance(attribution, str):
        raise CorpusError(f'{path}: "attribution" must be a string or null')
    return sources, strip_controls(attribution, keep_layout=False) if attribution else None


Boilerplate = tuple[str, "dict | None"]  # boilerplate.toml's path and its parsed tables (None when absent)


def read_boilerplate(root: str) -> Boilerplate:
    """``boilerplate.toml`` of the corpus at ROOT, parsed once for the
    readers of its tables (read_chrome, read_back_matter, read_html_rules)."""
    path = os.path.join(root, CHROME_FILE)
    return path, read_toml(path) if os.path.isfile(path) else None


def read_chrome(root: str, boilerplate: Boilerplate | None = None) -> list[re.Pattern[str]]:
    """The site-chrome patterns of ``boilerplate.toml`` (none if it is absent)."""
    path, data = boilerplate or read_boilerplate(root)
    if data is None:
        return []
    patterns = []
    for k, entry in enumerate(data.get("chrome", []), 1):
        pattern = entry.get("pattern") if isinstance(entry, dict) else None
        if not isinstance(pattern, str):
            raise CorpusError(f'{path}: [[chrome]] entry #{k} needs pattern = "..."')
        try:
            patterns.append(re.compile(pattern))
        except re.error as exc:
            raise CorpusError(f"{path}: [[chrome]] entry #{k}: bad pattern {pattern!r} ({exc})") from None
    return patterns


def read_back_matter(root: str, boilerplate: Boilerplate | None = None) -> frozenset[str]:
    """The back-matter headings of ``boilerplate.toml`` ("See also",
    "References"), folded as headings are compared (back_matter_key); none
    if it is absent."""
    path, data = boilerplate or read_boilerplate(root)
    if data is None:
        return frozenset()
    table = data.get("back_matter", {})
    headings = table.get("headings", []) if isinstance(table, dict) else None
    if not isinstance(headings, list) or not all(isinstance(h, str) for h in headings):
        raise CorpusError(f'{path}: [back_matter] headings must be a list of strings, such as headings = ["See also"]')
    return frozenset(back_matter_key(h) for h in headings if h.strip())


def read_html_rules(root: str, boilerplate: Boilerplate | None = None):
    """The web-page frame rules of ``boilerplate.toml``'s [html] table."""
    from .ingest.html import HtmlRules

    path, data = boilerplate or read_boilerplate(root)
    if data is None:
        return HtmlRules()
    return HtmlRules.from_config(data, path)


def read_glossary(root: str) -> list[dict]:
    """The groups of equivalent terms (``[[equivalent]]``), of related
    everyday words (``[[related]]``, kind "related"), the names of what
    every page is about (``[[scope]]``, kind "scope") and the other names a
    question calls a publisher by (``[[publisher]]``, kind "publisher", with
    the publisher's ``name``) in ``glossary.toml`` (none if absent)."""
    path = os.path.join(root, GLOSSARY_FILE)
    if not os.path.isfile(path):
        return []
    groups = []
    data = read_toml(path)
    for table, least in (("equivalent", 2), ("related", 2), ("scope", 1), ("publisher", 1)):
        for k, entry in enumerate(data.get(table, []), 1):
            terms = entry.get("terms") if isinstance(entry, dict) else None
            if not isinstance(terms, list) or len(terms) < least or not all(isinstance(t, str) and t.strip() for t in terms):
                needs = '["...", "..."] with two or more terms' if least > 1 else '["..."] with one or more terms'
                raise CorpusError(f"{path}: [[{table}]] entry #{k} needs terms = {needs}")
            kind = table if table != "equivalent" else str(entry.get("kind", "synonym"))
            group = {"terms": terms, "kind": kind}
            if table == "publisher":
                name = entry.get("name")
                if not isinstance(name, str) or not name.strip():
                    raise CorpusError(f'{path}: [[publisher]] entry #{k} needs name = "..." (the publisher as sources.json gives it)')
                group["name"] = name
            groups.append(group)
    return groups


def read_officials(root: str) -> Officials:
    """The official domains and publishers in ``official.toml``, and the
    names a question gives the official pages together (none if absent: then
    no page is preferred)."""
    path = os.path.join(root, OFFICIAL_FILE)
    if not os.path.isfile(path):
        return Officials()
    data = read_toml(path)
    for key in ("domains", "publishers", "names"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise CorpusError(f'{path}: {key} must be a list of strings, such as {key} = ["..."]')
    return Officials(data.get("domains", []), data.get("publishers", []), data.get("names", []))


class Settings:
    """What shapes every page of a corpus: its manifest (sources and
    attribution), site-chrome patterns and web-page frame rules, strand
    lexicon, glossary and which publishers are official."""

    def __init__(self, root: str, sources: dict[str, Source], attribution: str | None, chrome: list,
                 lexicon, glossary: list[dict], html_rules=None, officials: Officials | None = None,
                 back_matter: frozenset[str] = frozenset()) -> None:
        self.officials = officials or Officials()
        self.back_matter = back_matter
        self.html_rules = html_rules
        self.root = root
        self.sources = sources
        self.attribution = attribution
        self.chrome = chrome
        self.lexicon = lexicon
        self.glossary = glossary


def load_settings(root: PathArg | None = None) -> Settings:
    """Read and check the manifest and data files of the corpus at ROOT."""
    from .strands import lexicon_from_config

    root = os.fspath(root) if root is not None else default_corpus_dir()
    corpus_files(root)
    sources, attribution = read_manifest(root)
    boilerplate = read_boilerplate(root)
    chrome = read_chrome(root, boilerplate)
    html_rules = read_html_rules(root, boilerplate)
    strands_path = os.path.join(root, STRANDS_FILE)
    if not os.path.isfile(strands_path):
        raise CorpusError(f"{strands_path} not found; the corpus needs its strand cues (copy the bundled one)")
    lexicon = lexicon_from_config(read_toml(strands_path), strands_path)
    return Settings(root, sources, attribution, chrome, lexicon, read_glossary(root), html_rules, read_officials(root),
                    read_back_matter(root, boilerplate))


def read_page(settings: Settings, source: Source) -> tuple[Source, list[Section]]:
    """The sections of one page, split and tagged with strands, and its source
    with the fields the manifest leaves out filled from the document (title
    and publisher from its metadata, else the file name and web address)."""
    from .ingest import read_document
    from .strands import tag_sections

    where = f"{os.path.join(settings.root, MANIFEST)}: source {source.id!r}"
    page_path = _page_path(settings.root, source.file, where)
    doc = read_document(page_path, html_rules=settings.html_rules)
    filled = Source(**source.as_record())
    for field in ("title", "publisher", "published", "updated", "url"):
        if not getattr(filled, field) and field in doc.metadata:
            setattr(filled, field, doc.metadata[field])
            filled.origins[field] = doc.origins[field]
    for field, (value, origin) in fallback_fields(source.file, filled.url).items():
        if not getattr(filled, field):
            setattr(filled, field, value)
            filled.origins[field] = origin
    chrome = settings.chrome + [re.compile(p) for p in source.chrome]
    if doc.text is not None:
        page = split_page(doc.text, source.id, filled.title, chrome, settings.back_matter)
    else:
        page = sections_from_blocks(doc.blocks or [], source.id, filled.title, chrome, settings.back_matter)
    if not page:
        raise CorpusError(f"{page_path}: no text found once site chrome is removed; check the file")
    tag_sections(page, settings.lexicon)
    return filled, page


def load_corpus(root: PathArg | None = None) -> Corpus:
    """Read every page of the corpus at ROOT, split it into sections and tag strands.

    Raises CorpusError (exit status 2 on the command line) naming the file
    at fault when a page, the manifest or a data file cannot be used.
    """
    settings = load_settings(root)
    sections: list[Section] = []
    sources: dict[str, Source] = {}
    for sid, source in settings.sources.items():
        sources[sid], page = read_page(settings, source)
        sections.extend(page)
    return Corpus(settings.root, sources, sections, settings.glossary, settings.attribution)


def file_stamp(path: str) -> list:
    """[size, mtime_ns] of PATH, or [-1, 0] when it is missing."""
    try:
        st = os.stat(path)
    except OSError:
        return [-1, 0]
    return [st.st_size, st.st_mtime_ns]


def file_crc(path: str) -> str:
    """A CRC-32 of PATH's bytes (it detects change; it is no cryptographic hash)."""
    try:
        return f"{zlib.crc32(_read_bytes(path)):08x}"
    except OSError:
        return "missing"


def code_fingerprint() -> str:
    """A checksum of the code that decides what the index holds: a change to
    it rebuilds the index as a change to the corpus does."""
    parts = [f"{zlib.crc32(_read_bytes(os.path.join(_PACKAGE_DIR, *name.split('/')))):08x}" for name in _INDEX_SHAPING]
    return "".join(parts)
