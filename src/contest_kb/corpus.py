"""Find, read and check the corpus: source pages, their metadata and the data
files (strand cues, glossary, site chrome) that shape the index."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContestKBError
from .sections import Section, split_page

MANIFEST = "sources.json"
STRANDS_FILE = "strands.toml"
GLOSSARY_FILE = "glossary.toml"
CHROME_FILE = "boilerplate.toml"
PAGE_SUFFIXES = (".txt", ".md")
SOURCE_FIELDS = ("id", "title", "publisher", "url", "published", "updated", "licence")

_PACKAGE_DIR = Path(__file__).resolve().parent
# Modules whose code decides what the index holds: a change to any of them
# must rebuild the index just as a change to the corpus does.
_INDEX_SHAPING = ("analysis.py", "corpus.py", "index.py", "sections.py", "strands.py", "text.py")


@dataclass(frozen=True)
class Source:
    """One published page and its metadata, as given in the manifest."""

    id: str
    file: str
    title: str
    publisher: str
    url: str | None = None
    published: str | None = None
    updated: str | None = None
    licence: str | None = None
    url_status: str | None = None
    attribution: str | None = None

    def to_dict(self) -> dict:
        """The metadata a citation needs, in the documented JSON shape."""
        return {name: getattr(self, name) for name in SOURCE_FIELDS}


@dataclass
class Corpus:
    """The loaded corpus: sources, sectioned and strand-tagged pages, glossary."""

    root: Path
    sources: dict[str, Source]
    sections: list[Section]
    glossary: list[dict] = field(default_factory=list)
    attribution: str | None = None


def default_corpus_dir() -> Path:
    """The corpus bundled with the package, or the checkout's ``corpus/``."""
    bundled = _PACKAGE_DIR / "corpus"
    if (bundled / MANIFEST).is_file():
        return bundled
    return _PACKAGE_DIR.parent.parent / "corpus"


def default_index_dir(corpus_dir: Path) -> Path:
    """Where the index for CORPUS_DIR lives unless the user says otherwise.

    In a source checkout that is ``index/`` beside ``corpus/``; for an
    installed package or another corpus, a folder in the user's cache named
    after the corpus path.
    """
    corpus_dir = corpus_dir.resolve()
    checkout = _PACKAGE_DIR.parent.parent
    if corpus_dir == checkout / "corpus" and (checkout / "pyproject.toml").is_file():
        return checkout / "index"
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    tag = hashlib.sha256(str(corpus_dir).encode()).hexdigest()[:12]
    return cache / "contest-kb" / f"index-{tag}"


def _corpus_files(root: Path) -> list[Path]:
    if not root.is_dir():
        raise ContestKBError(f"corpus folder {root} does not exist; pass --corpus DIR or set CONTEST_KB_CORPUS")
    return sorted(p for p in root.iterdir() if p.is_file() and not p.name.startswith("."))


def fingerprint(root: Path) -> str:
    """A hash of every corpus file and of the code that shapes the index."""
    digest = hashlib.sha256()
    for path in _corpus_files(root):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _INDEX_SHAPING:
        digest.update((_PACKAGE_DIR / name).read_bytes())
    return digest.hexdigest()


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContestKBError(f"{path}:{line}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None


def read_toml(path: Path) -> dict:
    """Parse a TOML file, raising ContestKBError with file and line on error."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ContestKBError(f"{path}: {exc}; fix the TOML syntax") from None


def read_manifest(root: Path) -> tuple[dict[str, Source], str | None]:
    """Read ``sources.json``: the metadata of every page, keyed by source id."""
    path = root / MANIFEST
    if not path.is_file():
        raise ContestKBError(f"{path} not found; every corpus needs a manifest of its pages (see README, 'Corpus')")
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise ContestKBError(f"{path}:{exc.lineno}: invalid JSON ({exc.msg})") from None
    entries = data.get("sources") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ContestKBError(f'{path}: expected an object with a "sources" list')
    sources: dict[str, Source] = {}
    for k, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise ContestKBError(f'{path}: source #{k} needs a "file" naming a page in {root}')
        file = entry["file"]
        sid = entry.get("id") or Path(file).stem
        missing = [name for name in ("title", "publisher") if not entry.get(name)]
        if missing:
            raise ContestKBError(f"{path}: source {sid!r} has no {' or '.join(missing)}; add it to the entry")
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", sid):
            raise ContestKBError(f"{path}: source id {sid!r} may hold only letters, digits, '.', '_' and '-'")
        if sid in sources:
            raise ContestKBError(f"{path}: source id {sid!r} is used twice; give each page its own id")
        if not (root / file).is_file():
            raise ContestKBError(f"{path}: source {sid!r} names {file}, which is not in {root}")
        known = {f for f in Source.__dataclass_fields__}
        sources[sid] = Source(**{k2: v for k2, v in entry.items() if k2 in known and k2 != "id"}, id=sid)
    listed = {s.file for s in sources.values()}
    for page in _corpus_files(root):
        if page.suffix in PAGE_SUFFIXES and page.name not in listed:
            raise ContestKBError(f"{page}: page has no entry in {path}; add one with its title and publisher")
    return sources, data.get("attribution")


def read_chrome(root: Path) -> list[re.Pattern[str]]:
    """The site-chrome patterns of ``boilerplate.toml`` (none if it is absent)."""
    path = root / CHROME_FILE
    if not path.is_file():
        return []
    patterns = []
    for k, entry in enumerate(read_toml(path).get("chrome", []), 1):
        pattern = entry.get("pattern") if isinstance(entry, dict) else None
        if not isinstance(pattern, str):
            raise ContestKBError(f'{path}: [[chrome]] entry #{k} needs pattern = "..."')
        try:
            patterns.append(re.compile(pattern))
        except re.error as exc:
            raise ContestKBError(f"{path}: [[chrome]] entry #{k}: bad pattern {pattern!r} ({exc})") from None
    return patterns


def read_glossary(root: Path) -> list[dict]:
    """The groups of equivalent terms in ``glossary.toml`` (none if absent)."""
    path = root / GLOSSARY_FILE
    if not path.is_file():
        return []
    groups = []
    for k, entry in enumerate(read_toml(path).get("equivalent", []), 1):
        terms = entry.get("terms") if isinstance(entry, dict) else None
        if not isinstance(terms, list) or len(terms) < 2 or not all(isinstance(t, str) and t.strip() for t in terms):
            raise ContestKBError(f'{path}: [[equivalent]] entry #{k} needs terms = ["...", "..."] with two or more terms')
        groups.append({"terms": terms, "kind": entry.get("kind", "synonym")})
    return groups


def load_corpus(root: Path | None = None) -> Corpus:
    """Read every page of the corpus at ROOT, split it into sections and tag strands.

    Raises ContestKBError (exit status 2 on the command line) naming the file
    at fault when a page, the manifest or a data file cannot be used.
    """
    from .strands import lexicon_from_config, tag_sections

    root = Path(root) if root is not None else default_corpus_dir()
    _corpus_files(root)
    sources, attribution = read_manifest(root)
    chrome = read_chrome(root)
    strands_path = root / STRANDS_FILE
    if not strands_path.is_file():
        raise ContestKBError(f"{strands_path} not found; the corpus needs its strand cues (copy the bundled one)")
    lexicon = lexicon_from_config(read_toml(strands_path), str(strands_path))
    sections: list[Section] = []
    for source in sources.values():
        page = split_page(_read_text(root / source.file), source.id, source.title, chrome)
        if not page:
            raise ContestKBError(f"{root / source.file}: no text found once site chrome is removed; check the file")
        tag_sections(page, lexicon)
        sections.extend(page)
    return Corpus(root, sources, sections, read_glossary(root), attribution)
