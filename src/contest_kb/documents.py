"""Add documents to a corpus and remove them: copy (or fetch) the file into
the corpus folder, read what metadata it gives, write its manifest entry and
bring the index up to date. Every value written says where it came from."""

from __future__ import annotations

import datetime
import json
import os
import shutil
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from .corpus import (
    CHROME_FILE,
    GLOSSARY_FILE,
    MANIFEST,
    OFFICIAL_FILE,
    SOURCE_ID,
    STRANDS_FILE,
    PathArg,
    default_corpus_dir,
    entry_id,
    fallback_fields,
    is_date,
    read_html_rules,
    read_manifest,
    web_address_problem,
)
from .errors import CorpusError, InvalidInput, NotFound
from .ingest import FORMATS, document_format, read_document, supported_types
from .sections import slug

FIELDS = ("title", "publisher", "published", "updated", "url", "licence")
_ABOUT = ("Metadata for every page in this folder. 'contest-kb add FILE|URL' copies a document in and writes its entry; "
          "'file' is required, 'id' defaults to the file name without its extension, and other fields are filled from the "
          "document when left out ('origins' says where each value came from). Values are shown as given; null means unknown.")
Progress = Callable[[str, int, "int | None"], None]


class Added:
    """A document added (or re-added): its source id, file in the corpus,
    format, manifest entry and whether it replaced an entry."""

    __slots__ = ("entry", "file", "format", "given", "id", "replaced")

    def __init__(self, id: str, file: str, format: str, entry: dict, given: str, replaced: bool) -> None:
        self.id = id
        self.file = file
        self.format = format
        self.entry = entry
        self.given = given
        self.replaced = replaced

    def to_dict(self) -> dict:
        return {"id": self.id, "file": self.file, "format": self.format, "from": self.given, "replaced": self.replaced,
                "source": {k: self.entry.get(k) for k in ("title", "publisher", "published", "updated", "url")},
                "origins": dict(self.entry.get("origins", {}))}


class Skipped:
    """A file of a folder that was not added, and why."""

    __slots__ = ("path", "reason")

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason

    def to_dict(self) -> dict:
        return {"path": self.path, "reason": self.reason}


class AddReport:
    """What ``add_documents`` did: documents added, files of folders skipped."""

    def __init__(self, added: list[Added], skipped: list[Skipped]) -> None:
        self.added = added
        self.skipped = skipped

    def to_dict(self) -> dict:
        return {"added": [a.to_dict() for a in self.added], "skipped": [s.to_dict() for s in self.skipped]}


def init_corpus(root: str) -> None:
    """Make ROOT a corpus when it is not one: an empty manifest, and the
    strand cues, glossary, site-chrome rules and official publishers of the
    bundled corpus."""
    if os.path.isfile(os.path.join(root, MANIFEST)):
        return
    try:
        os.makedirs(root, exist_ok=True)
        bundled = default_corpus_dir()
        for name in (STRANDS_FILE, GLOSSARY_FILE, CHROME_FILE, OFFICIAL_FILE):
            if not os.path.exists(os.path.join(root, name)):
                shutil.copyfile(os.path.join(bundled, name), os.path.join(root, name))
        _write_manifest(root, {"_about": _ABOUT, "attribution": None, "sources": []})
    except OSError as exc:
        raise CorpusError(f"cannot make a corpus in {root} ({exc.strerror or exc}); choose a writable folder") from None


def _write_manifest(root: str, data: dict) -> None:
    path = os.path.join(root, MANIFEST)
    tmp = os.path.join(root, f".{MANIFEST}.tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _load_manifest_json(root: str) -> dict:
    read_manifest(root)  # checks it first, with the loader's messages
    with open(os.path.join(root, MANIFEST), encoding="utf-8-sig") as handle:
        return json.load(handle)


@contextmanager
def _corpus_lock(root: str):
    """One writer of the manifest at a time."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(os.path.join(root, ".contest-kb.lock"), "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _expand(inputs: Iterable[str], skipped: list[Skipped]) -> list[str]:
    from .fetch import is_url

    out: list[str] = []
    for given in inputs:
        if is_url(given):
            out.append(given)
        elif os.path.isdir(given):
            found = 0
            for name in sorted(os.listdir(given)):
                path = os.path.join(given, name)
                if name.startswith(".") or not os.path.isfile(path):
                    continue
                if os.path.splitext(name)[1].lower() in FORMATS:
                    out.append(path)
                    found += 1
                else:
                    skipped.append(Skipped(path, f"unsupported file type; contest-kb reads {supported_types()}"))
            if not found:
                raise InvalidInput(f"{given}: no documents in this folder (contest-kb reads {supported_types()})")
        elif os.path.isfile(given):
            document_format(given)
            out.append(given)
        else:
            raise NotFound(f"{given}: no such file or folder (give a file, a folder or an http(s) address)")
    return out


def _unique_id(wanted: str, taken: set[str]) -> str:
    sid, k = wanted, 2
    while sid in taken:
        sid, k = f"{wanted}-{k}", k + 1
    return sid


def _check_override(name: str, value: str) -> None:
    if name in ("published", "updated") and not is_date(value):
        raise InvalidInput(f"--{name} {value!r} is not a date; write YYYY-MM-DD (or YYYY-MM, YYYY)")
    if name == "url" and web_address_problem(value):
        raise InvalidInput(f"--url {value!r} is not an http(s) address")


def add_documents(
    inputs: Iterable[str],
    corpus_dir: PathArg | None = None,
    fields: dict[str, str] | None = None,
    source_id: str | None = None,
    progress: Progress | None = None,
    fetcher=None,
) -> AddReport:
    """Add the documents INPUTS (files, folders of files, http(s) addresses)
    to the corpus at CORPUS_DIR (made when it does not exist).

    FIELDS (title, publisher, published, updated, url, licence) win over
    what a document gives; SOURCE_ID names a single document. A document
    whose id is already in the manifest is replaced. Nothing is written
    unless every document can be read. The index is brought up to date by
    the next ``open_index`` (the CLI does so at once).
    """
    from .fetch import fetch as default_fetch
    from .fetch import is_url

    fetcher = fetcher or default_fetch
    root = os.fspath(corpus_dir) if corpus_dir is not None else default_corpus_dir()
    fields = {k: v for k, v in (fields or {}).items() if v is not None}
    for name, value in fields.items():
        if name not in FIELDS:
            raise InvalidInput(f"unknown field {name!r}; use one of {', '.join(FIELDS)}")
        _check_override(name, value)
    if source_id is not None and not SOURCE_ID.fullmatch(source_id):
        raise InvalidInput(f"--id {source_id!r} must be letters, digits, '.', '_' and '-'")
    skipped: list[Skipped] = []
    paths = _expand(inputs, skipped)
    if source_id is not None and len(paths) != 1:
        raise InvalidInput("--id names one document; add the others separately")
    init_corpus(root)
    rules = read_html_rules(root)
    with _corpus_lock(root):
        manifest = _load_manifest_json(root)
        entries: list[dict] = manifest.setdefault("sources", [])
        by_id = {entry_id(e): e for e in entries}
        planned: list[tuple[Added, bytes]] = []
        for given in paths:
            if is_url(given):
                fetched = fetcher(given, (lambda done, total, g=given: progress(g, done, total)) if progress else None)
                data, suffix, stem, served = fetched.data, fetched.suffix, fetched.name, fetched.url
            else:
                with open(given, "rb") as handle:
                    data = handle.read()
                suffix = os.path.splitext(given)[1].lower()
                stem, served = os.path.splitext(os.path.basename(given))[0], None
            doc = read_document(given, data, rules, suffix)
            sid = source_id or slug(stem, 60)
            replaced = sid in by_id and (source_id is not None or _same_origin(by_id[sid], given, served))
            if not replaced:
                sid = _unique_id(sid, set(by_id) | {a.id for a, _ in planned})
            entry = _entry(sid, sid + (".html" if suffix == ".htm" else suffix), doc, fields, served, given)
            planned.append((Added(sid, entry["file"], doc.format, entry, given, replaced), data))
            by_id.setdefault(sid, entry)
        new_files: list[str] = []
        try:
            for added, data in planned:
                old = by_id.get(added.id) if added.replaced else None
                if not os.path.exists(os.path.join(root, added.file)):
                    new_files.append(added.file)
                tmp = os.path.join(root, f".{added.file}.tmp-{os.getpid()}")
                with open(tmp, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, os.path.join(root, added.file))
                if old is not None and old.get("file") and old["file"] != added.file:
                    _remove_file(root, old["file"])
                entries[:] = [e for e in entries if e is not old] + [added.entry]
            _write_manifest(root, manifest)
        except OSError as exc:
            for name in new_files:
                _remove_file(root, name)
            raise CorpusError(f"cannot write to {root} ({exc.strerror or exc}); nothing was added") from None
    return AddReport([a for a, _ in planned], skipped)


def _same_origin(entry: dict, given: str, served: str | None) -> bool:
    """Whether a manifest ENTRY came from the same file or address."""
    origin = entry.get("added_from")
    return origin in (given, served, os.path.abspath(given)) if origin else False


def _entry(sid: str, file: str, doc, fields: dict[str, str], served: str | None, given: str) -> dict:
    from .fetch import is_url

    entry: dict = {"id": sid, "file": file}
    origins: dict[str, str] = {}
    for name in FIELDS:
        if name in fields:
            entry[name], origins[name] = fields[name], f"option --{name}"
        elif name in doc.metadata:
            entry[name], origins[name] = doc.metadata[name], doc.origins[name]
        elif name == "url" and served:
            entry[name], origins[name] = served, "fetched from"
    if "url" in entry and web_address_problem(entry["url"]):
        del entry["url"], origins["url"]  # e.g. a relative canonical link
    for name, (value, origin) in fallback_fields(file, entry.get("url")).items():
        if not entry.get(name):
            entry[name], origins[name] = value, origin
    if is_url(given):
        entry["accessed"] = datetime.date.today().isoformat()
    entry["added_from"] = given if is_url(given) else os.path.abspath(given)
    entry["origins"] = origins
    return entry


def _remove_file(root: str, name: str) -> None:
    try:
        os.unlink(os.path.join(root, name))
    except OSError:
        pass


def remove_source(source_id: str, corpus_dir: PathArg | None = None) -> dict:
    """Remove the source SOURCE_ID from the corpus at CORPUS_DIR: its manifest
    entry and its file. Returns the entry removed. Raises NotFound naming the
    ids there are."""
    root = os.fspath(corpus_dir) if corpus_dir is not None else default_corpus_dir()
    with _corpus_lock(root):
        manifest = _load_manifest_json(root)
        entries = manifest.get("sources", [])
        ids = [entry_id(e) for e in entries]
        if source_id not in ids:
            raise NotFound(f"no source {source_id!r} in {root}; 'contest-kb sources' lists them ({', '.join(ids[:8])}"
                           + (", ..." if len(ids) > 8 else "") + ")")
        entry = entries.pop(ids.index(source_id))
        try:
            _write_manifest(root, manifest)
        except OSError as exc:
            raise CorpusError(f"cannot write {os.path.join(root, MANIFEST)} ({exc.strerror or exc}); nothing was removed") from None
        if not any(e.get("file") == entry["file"] for e in entries):
            _remove_file(root, entry["file"])
    return entry
