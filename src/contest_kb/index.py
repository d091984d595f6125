"""Build, update, find and open the Whoosh index of a corpus.

The index folder holds one or more generations, each a complete Whoosh index
(laid out as ``store`` describes) with a small ``meta.json`` beside it: per
source, the size, modification time and checksum of its page and its
manifest entry; the same for the data files; the glossary and the
attribution. A ``CURRENT`` file names the generation in use.

A change is found from sizes and modification times, with a checksum only of
the files whose size or time changed. A change to the indexing code or to a
data file that shapes every page (strand cues, glossary, site chrome,
official publishers)
rebuilds the whole index; a change to pages or manifest entries re-indexes
those sources only, in a copy of the current generation. Either way the new
generation is written in a temporary folder and only then made current with
an atomic rename, so an interrupted build or update leaves the previous
index working.

A reader holds a shared lock on its generation's ``READERS`` file for as long
as it has the index open; a build deletes an old generation only when it can
take that lock exclusively, so no reader ever loses the files it is reading.
A reader that finds its generation gone (replaced between reading
``CURRENT`` and locking) reads ``CURRENT`` again. Builds take an exclusive
lock on ``.lock``; under it, folders that killed builds left are removed.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cached_property

from whoosh import index as whoosh_index

from .corpus import (
    CHROME_FILE,
    GLOSSARY_FILE,
    MANIFEST,
    OFFICIAL_FILE,
    STRANDS_FILE,
    PathArg,
    Settings,
    Source,
    code_fingerprint,
    corpus_files,
    default_corpus_dir,
    default_index_dir,
    file_crc,
    file_stamp,
    is_page_file,
    load_settings,
    read_page,
)
from .errors import IndexBusy, IndexUnavailable
from .official import Officials
from .query import Glossary
from .sections import Section

INDEX_FORMAT = 10
CURRENT = "CURRENT"
META = "meta.json"
LOCK = ".lock"
READERS = "READERS"
LOCK_TIMEOUT = 60.0
OPEN_TRIES = 20
SHAPING_FILES = (STRANDS_FILE, GLOSSARY_FILE, CHROME_FILE, OFFICIAL_FILE)
META_KEYS = {"format": int, "code": str, "files": dict, "pages": dict, "glossary": list, "strands": list}
PAGE_KEYS = ("file", "stamp", "crc", "record", "sections", "paragraphs", "strands", "overview")

Progress = Callable[[int, int], None]  # (pages indexed, pages to index), once all are read


def make_schema():
    """The Whoosh schema (see contest_kb.store)."""
    from .store import make_schema as schema

    return schema()


class IndexedCorpus:
    """An opened index generation: the Whoosh index, its small metadata, and
    look-ups that read stored fields on demand."""

    def __init__(self, path: str, index, meta: dict, reader_lock: int | None = None) -> None:
        self.path = path
        self.index = index
        self.meta = meta
        self._reader_lock = reader_lock
        self._searcher = None
        self._sources: dict[str, Source] = {}

    def close(self) -> None:
        """Close the index and let a later build remove this generation."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self.index.close()
        if self._reader_lock is not None:
            os.close(self._reader_lock)
            self._reader_lock = None

    def __enter__(self) -> IndexedCorpus:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def searcher(self):
        """A Whoosh searcher of this generation, for stored-field look-ups."""
        if self._searcher is None:
            self._searcher = self.index.searcher()
        return self._searcher

    # -- sources ---------------------------------------------------------------
    @property
    def source_ids(self) -> list[str]:
        """Every source id, in manifest order."""
        return list(self.meta["pages"])

    def source(self, source_id: str) -> Source | None:
        """One source's metadata, or None when there is no such source."""
        found = self._sources.get(source_id)
        if found is None and source_id in self.meta["pages"]:
            found = self._sources[source_id] = Source(**self.meta["pages"][source_id]["record"])
            found.official = self._officials.covers(found.url, found.known_publisher())
        return found

    def publishers(self) -> dict[str, str]:
        """Each source's publisher, keyed by source id (read from the index
        metadata, without building sources)."""
        return {sid: str(page["record"].get("publisher") or "") for sid, page in self.meta["pages"].items()}

    @cached_property
    def sources(self) -> dict[str, Source]:
        """Every source, keyed by id, in manifest order."""
        return {sid: s for sid in self.meta["pages"] if (s := self.source(sid)) is not None}

    @property
    def strands(self) -> list[str]:
        """The corpus's strands, as its strands.toml lists them."""
        return list(self.meta["strands"])

    def check_strands(self, strands: Iterable[str]) -> list[str]:
        """STRANDS lower-cased, once each is known to be a strand or
        "overview". Raises InvalidInput naming the first unknown one."""
        from .errors import InvalidInput

        strands = [s.lower() for s in strands]
        for s in strands:
            if s not in self.meta["strands"] and s != "overview":
                raise InvalidInput(f"unknown strand {s!r}; use one of: {', '.join(self.meta['strands'])}, overview")
        return strands

    def check_sources(self, sources: Iterable[str]) -> list[str]:
        """SOURCES as a list, once each is known to be a source id. Raises
        InvalidInput naming the first unknown one."""
        from .errors import InvalidInput

        sources = list(sources)
        for s in sources:
            if s not in self.meta["pages"]:
                known = self.source_ids
                listed = ", ".join(known[:10]) + (", …" if len(known) > 10 else "")
                raise InvalidInput(f"unknown source {s!r}; 'contest-kb sources' lists the ids: {listed}")
        return sources

    def sources_on_site(self, site: str) -> list[str]:
        """The ids of the sources whose address is on SITE ("gov.uk" holds
        "www.gov.uk/government/news/..."; "gov.uk/government" only that
        part of it). Raises InvalidInput when no source is."""
        from .errors import InvalidInput

        wanted = _site_of(site)
        found = [sid for sid in self.meta["pages"] if _on_site(str(self.meta["pages"][sid]["record"].get("url") or ""), wanted)]
        if not found:
            raise InvalidInput(f"no source is on the site {site!r}; 'contest-kb sources' lists the sources and their addresses")
        return found

    def context(self, source_id: str) -> list[str]:
        """The stemmed words of a source's title and publisher."""
        return list(self.meta["pages"].get(source_id, {}).get("context", []))

    # -- sections ---------------------------------------------------------------
    def section(self, section_id: str) -> Section | None:
        """One whole section read from the index, or None."""
        docs = list(self.searcher.documents(section=section_id))
        return _section_of(docs) if docs else None

    def section_ids(self) -> list[str]:
        """Every section id (from the term dictionary; no stored field is read)."""
        return [t if isinstance(t, str) else t.decode("utf-8") for t in self.searcher.reader().lexicon("section")]

    @cached_property
    def sections(self) -> dict[str, Section]:
        """Every section, keyed by id, in corpus order. This reads the whole
        index: for listings and checks over everything, not for search."""
        grouped: dict[str, list[dict]] = {}
        for doc in self.searcher.reader().all_stored_fields():
            grouped.setdefault(doc["section"], []).append(doc)
        order = {sid: k for k, sid in enumerate(self.meta["pages"])}
        sections = [_section_of(docs) for docs in grouped.values()]
        sections.sort(key=lambda s: (order.get(s.source, len(order)), s.lines[0], s.id))
        return {s.id: s for s in sections}

    def list_sections(self, strands: Iterable[str] = (), sources: Iterable[str] = ()) -> list[Section]:
        """The sections of any of STRANDS ("overview" for overviews) and of any
        of SOURCES (all when empty), in corpus order."""
        sources = self.check_sources(sources)
        wanted = set(self.check_strands(strands))
        return [
            s
            for s in self.sections.values()
            if (not wanted or wanted & set(s.strands) or ("overview" in wanted and s.overview))
            and (not sources or s.source in sources)
        ]

    def strand_counts(self) -> dict[str, dict]:
        """Per source: its sections, and how many are of each strand or overviews."""
        return {sid: {"sections": page["sections"], "strands": dict(page["strands"]), "overview": page["overview"]}
                for sid, page in self.meta["pages"].items()}

    def stats(self) -> dict:
        """What the index holds: its folder and how many sources, sections and paragraphs."""
        pages = self.meta["pages"].values()
        return {
            "path": self.path,
            "sources": len(self.meta["pages"]),
            "sections": sum(p["sections"] for p in pages),
            "paragraphs": sum(p["paragraphs"] for p in pages),
        }

    @property
    def attribution(self) -> str | None:
        return self.meta.get("attribution")

    @property
    def glossary(self) -> list[dict]:
        """The glossary's groups of equivalent terms, as indexed."""
        return self.meta["glossary"]

    @cached_property
    def _officials(self) -> Officials:
        official = self.meta.get("official") or {}
        return Officials(official.get("domains", ()), official.get("publishers", ()), official.get("names", ()))

    @property
    def official_names(self) -> list[str]:
        """How a question names the official pages together ("the
        government"; official.toml's names)."""
        return self._officials.names

    @cached_property
    def preferred_sources(self) -> frozenset[str]:
        """The ids of the sources search ranks as official (see official.py)."""
        sources = (Source(**page["record"]) for page in self.meta["pages"].values())
        return frozenset(source.id for source in sources if self._officials.covers(source.url, source.known_publisher()))


try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: builds are still atomic, old generations are kept
    fcntl = None  # type: ignore[assignment]


def _section_of(docs: list[dict]) -> Section:
    """The section whose stored paragraph documents are DOCS (any order)."""
    from .store import data_of, paragraph_from, section_from

    docs = sorted(docs, key=lambda d: data_of(d).n)
    return section_from(docs[0], [paragraph_from(d) for d in docs])


def _try_lock(fd: int, exclusive: bool) -> bool:
    """Take a lock on FD without waiting; False when another process holds one."""
    if fcntl is None:
        return not exclusive
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextmanager
def _build_lock(index_dir: str, timeout: float) -> Iterator[None]:
    if fcntl is None:  # pragma: no cover
        yield
        return
    with open(os.path.join(index_dir, LOCK), "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        f"another contest-kb process has been building the index in {index_dir} "
                        f"for over {timeout:.0f} s; wait for it to finish and try again"
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_generation(index_dir: PathArg) -> str | None:
    """The folder of the index generation in use under INDEX_DIR, or None."""
    try:
        with open(os.path.join(index_dir, CURRENT), encoding="utf-8") as handle:
            name = handle.read().strip()
    except OSError:
        return None
    gen = os.path.join(index_dir, name)
    return gen if name and os.path.isfile(os.path.join(gen, META)) else None


def build_index(
    corpus_dir: PathArg,
    index_dir: PathArg,
    progress: Progress | None = None,
    lock_timeout: float = LOCK_TIMEOUT,
) -> str:
    """Index the whole corpus at CORPUS_DIR into a new generation under
    INDEX_DIR and make it current.

    PROGRESS, if given, is called with (paragraphs done, paragraphs in all).
    Returns the folder of the new generation. Raises IndexUnavailable when the
    folder cannot be written, IndexBusy when another build holds the lock
    too long, CorpusError when the corpus cannot be read.
    """
    index_dir = _index_folder(index_dir)
    with _writing(index_dir), _build_lock(index_dir, lock_timeout):
        return _build_locked(load_settings(corpus_dir), index_dir, None, progress, lock_timeout)


def _file_entry(root: str, name: str) -> dict:
    path = os.path.join(root, name)
    return {"stamp": file_stamp(path), "crc": file_crc(path)}


def _page_entry(settings: Settings, entry: Source, source: Source, sections: list[Section]) -> dict:
    """What the index keeps of one page: its file's stamp and checksum, the
    manifest ENTRY as written (to notice edits; kept only where it differs
    from the SOURCE as completed from the document), and counts."""
    from .analysis import stemmed_terms

    path = os.path.join(settings.root, source.file)
    strands = dict.fromkeys(settings.lexicon.strands, 0)
    for section in sections:
        for strand in section.strands:
            strands[strand] = strands.get(strand, 0) + 1
    record, given = source.as_record(), entry.as_record()
    return {
        "file": source.file,
        "stamp": file_stamp(path),
        "crc": file_crc(path),
        "record": record,
        # The entry as written, when the document completed it (else the same).
        **({"entry": given} if given != record else {}),
        "context": sorted(set(stemmed_terms(f"{source.title} {source.publisher}"))),
        "sections": len(sections),
        "paragraphs": sum(len(s.paragraphs) for s in sections),
        "strands": strands,
        "overview": sum(1 for s in sections if s.overview),
    }


READER_PROCESS_PAGES = 16  # pages to read before a second process reading them pays for itself
READER_CHUNK = 8  # pages a reader process is sent at a time


def _read_pages(settings: Settings, source_ids: list[str]) -> Iterator[tuple[str, tuple[Source, list[Section]], bool]]:
    """Each of SOURCE_IDS with its page read (see read_page), in order, and
    whether every page has been read without error by then. Many pages are
    read by a second process while the caller indexes those read so far:
    reading and tagging a page costs about a fifth of indexing it."""
    if len(source_ids) < READER_PROCESS_PAGES or (os.cpu_count() or 1) < 2:
        pages = [read_page(settings, settings.sources[sid]) for sid in source_ids]
        for sid, page in zip(source_ids, pages):
            yield sid, page, True
        return
    from concurrent.futures import ProcessPoolExecutor

    chunks = [source_ids[k : k + READER_CHUNK] for k in range(0, len(source_ids), READER_CHUNK)]
    with ProcessPoolExecutor(1, initializer=_reader_settings, initargs=(settings, os.getpid())) as pool:
        try:
            futures = [pool.submit(_read_in_reader, chunk) for chunk in chunks]
            settled = 0  # futures known to have read their pages without error
            for chunk, future in zip(chunks, futures):
                pages = future.result()
                while settled < len(futures) and futures[settled].done() and futures[settled].exception() is None:
                    settled += 1
                for sid, page in zip(chunk, pages):
                    yield sid, page, settled == len(futures)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


_READER_SETTINGS: Settings | None = None


def _reader_settings(settings: Settings, builder: int) -> None:
    """Set up a reader process of the build in process BUILDER: the corpus
    settings its pages are read with."""
    import threading

    global _READER_SETTINGS
    _READER_SETTINGS = settings
    # BUILDER is passed, not read here: a build killed before this runs has
    # already left the reader to another parent.
    threading.Thread(target=_leave_with_parent, args=(builder,), daemon=True).start()


def _leave_with_parent(parent: int) -> None:
    """End the reader process once PARENT is gone (a build killed with
    SIGKILL): nothing else would, and it would wait on its queue for ever."""
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(1)


def _read_in_reader(source_ids: list[str]) -> list[tuple[Source, list[Section]]]:
    """The pages of SOURCE_IDS read in a reader process."""
    assert _READER_SETTINGS is not None
    return [read_page(_READER_SETTINGS, _READER_SETTINGS.sources[sid]) for sid in source_ids]


def _build_locked(settings: Settings, index_dir: str, base: IndexedCorpus | None, progress: Progress | None,
                  lock_timeout: float, changed: Iterable[str] = ()) -> str:
    """Write a new generation and make it current. With BASE, copy BASE and
    re-index only the sources in CHANGED (and drop those no longer in the
    manifest); without, index everything."""
    import shutil
    import tempfile

    from whoosh.index import LockError

    from .store import paragraph_documents

    _remove_litter(index_dir, current_generation(index_dir))
    old_pages = base.meta["pages"] if base is not None else {}
    todo = [sid for sid in settings.sources if base is None or sid in set(changed) or sid not in old_pages]
    gone = [sid for sid in old_pages if sid not in settings.sources or sid in todo]
    tmp = tempfile.mkdtemp(prefix=".build-", dir=index_dir)
    try:
        read: dict[str, dict] = {}
        if base is None:
            ix = whoosh_index.create_in(tmp, make_schema())
        else:
            for name in os.listdir(base.path):
                if name not in (READERS, META):
                    shutil.copy2(os.path.join(base.path, name), tmp)
            ix = whoosh_index.open_dir(tmp)
        with ix.writer(timeout=lock_timeout) as writer:
            for sid in gone:
                writer.delete_by_term("source", sid)
            for done, (sid, (source, sections), all_read) in enumerate(_read_pages(settings, todo), 1):
                for section in sections:
                    for doc in paragraph_documents(section):
                        writer.add_document(**doc)
                read[sid] = _page_entry(settings, settings.sources[sid], source, sections)
                # Reported once no page can fail to read: an error stays the one line said.
                if progress and all_read:
                    progress(done, len(todo))
        ix.close()
        pages = {sid: read[sid] if sid in read else old_pages[sid] for sid in settings.sources}
        meta = {
            "format": INDEX_FORMAT,
            "code": code_fingerprint(),
            "corpus": os.path.realpath(settings.root),
            "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "files": {name: _file_entry(settings.root, name) for name in (MANIFEST, *SHAPING_FILES)},
            "pages": pages,
            "attribution": settings.attribution,
            "glossary": Glossary.prepared(settings.glossary),
            "strands": list(settings.lexicon.strands),
            "official": settings.officials.to_dict(),
        }
        with open(os.path.join(tmp, META), "w", encoding="utf-8") as handle:
            json.dump(meta, handle, ensure_ascii=False)
        with open(os.path.join(tmp, READERS), "w", encoding="utf-8"):
            pass
        for name in os.listdir(tmp):
            os.chmod(os.path.join(tmp, name), 0o644)
        os.chmod(tmp, 0o755)
        gen = os.path.join(index_dir, f"gen-{os.getpid()}-{int(time.time() * 1000)}")
        os.rename(tmp, gen)
    except LockError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise IndexBusy(f"the index in {tmp} is locked by another writer; try again") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    pointer = os.path.join(index_dir, f".{CURRENT}.tmp-{os.getpid()}")
    with open(pointer, "w", encoding="utf-8") as handle:
        handle.write(os.path.basename(gen) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer, os.path.join(index_dir, CURRENT))
    _remove_litter(index_dir, gen)
    return gen


class Changes:
    """What differs between an index generation and its corpus: FULL (the
    code or a data file that shapes every page changed), or the sources
    whose page changed (PAGES) and whether the manifest or the set of page
    files changed (MANIFEST)."""

    def __init__(self, full: bool = False, pages: Iterable[str] = (), manifest: bool = False,
                 touched: Iterable[tuple[dict, list]] = ()) -> None:
        self.full = full
        self.pages = set(pages)
        self.manifest = manifest
        # Entries of files whose time changed but whose text did not, with
        # their new stamps: no change, but worth remembering.
        self.touched = list(touched)

    def __bool__(self) -> bool:
        return self.full or self.manifest or bool(self.pages)


def _changed(entry: dict, path: str, touched: list | None = None) -> bool:
    """Whether the file at PATH differs from ENTRY: by size and time first,
    by checksum only when those differ (a file touched but not changed is
    added to TOUCHED with its new stamp)."""
    stamp = file_stamp(path)
    if stamp == entry["stamp"]:
        return False
    if file_crc(path) != entry["crc"]:
        return True
    if touched is not None:
        touched.append((entry, stamp))
    return False


def changes(meta: dict, root: str) -> Changes:
    """How the corpus at ROOT differs from the generation described by META."""
    if meta.get("format") != INDEX_FORMAT or meta.get("code") != code_fingerprint():
        return Changes(full=True)
    if os.path.realpath(root) != meta.get("corpus"):
        return Changes(full=True)
    files = meta["files"]
    touched: list[tuple[dict, list]] = []
    if any(_changed(files.get(name, {"stamp": None, "crc": None}), os.path.join(root, name), touched) for name in SHAPING_FILES):
        return Changes(full=True)
    manifest = _changed(files[MANIFEST], os.path.join(root, MANIFEST), touched)
    listed = {page["file"] for page in meta["pages"].values()}
    on_disk = {os.path.basename(p) for p in corpus_files(root) if is_page_file(p)}
    if not on_disk <= listed:
        manifest = True  # a new page file: the manifest decides (and says if it has no entry)
    pages = [sid for sid, page in meta["pages"].items() if _changed(page, os.path.join(root, page["file"]), touched)]
    return Changes(pages=pages, manifest=manifest, touched=touched)


def _index_folder(index_dir: PathArg) -> str:
    index_dir = os.fspath(index_dir)
    try:
        os.makedirs(index_dir, exist_ok=True)
    except OSError as exc:
        raise IndexUnavailable(f"cannot create index folder {index_dir} ({exc.strerror}); pass --index-dir DIR") from None
    return index_dir


@contextmanager
def _writing(index_dir: str) -> Iterator[None]:
    """Turn a failed write under INDEX_DIR (read-only, disk full) into a clear error."""
    try:
        yield
    except OSError as exc:
        raise IndexUnavailable(
            f"cannot write the index in {index_dir} ({exc.strerror or exc}); free some space or make the folder "
            "writable, or pass --index-dir DIR to put the index elsewhere"
        ) from None


def _remove_litter(index_dir: str, keep: str | None) -> None:
    """Under the build lock: remove what killed builds left (their temporary
    folders and pointer files) and old generations no reader holds."""
    import shutil

    for name in os.listdir(index_dir):
        path = os.path.join(index_dir, name)
        if name.startswith((".build-", f".{CURRENT}.tmp-")):
            if os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                _unlink(path)
        elif name.startswith("gen-") and path != keep and os.path.isdir(path):
            _remove_generation(path)


def _tidy(index_dir: str, current: str) -> None:
    """Remove litter of killed builds and unheld old generations, when there
    is any and no build is running; never waits."""
    try:
        names = os.listdir(index_dir)
    except OSError:
        return
    current_name = os.path.basename(current)
    if not any(n.startswith((".build-", f".{CURRENT}.tmp-")) or (n.startswith("gen-") and n != current_name) for n in names):
        return
    try:
        with open(os.path.join(index_dir, LOCK), "a+") as handle:
            if _try_lock(handle.fileno(), exclusive=True):
                try:
                    _remove_litter(index_dir, current_generation(index_dir))
                finally:
                    if fcntl is not None:
                        fcntl.flock(handle, fcntl.LOCK_UN)
    except OSError:
        return  # a read-only index folder, or litter that would not go: left for the next build


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _remove_generation(gen: str) -> None:
    """Delete GEN unless a reader holds it open (then a later build will)."""
    import shutil

    try:
        fd = os.open(os.path.join(gen, READERS), os.O_RDONLY)
    except FileNotFoundError:
        fd = None  # a generation from before reader locks, or half deleted
    try:
        if fd is not None and not _try_lock(fd, exclusive=True):
            return
        shutil.rmtree(gen, ignore_errors=True)
    finally:
        if fd is not None:
            os.close(fd)


class _Gone(Exception):
    """The generation was replaced and removed before it could be opened."""


def _check_meta(meta: object) -> dict:
    if not isinstance(meta, dict):
        raise TypeError("meta.json is not an object")
    for key, kind in META_KEYS.items():
        if not isinstance(meta.get(key), kind):
            raise TypeError(f"meta.json has no valid {key!r}")
    for sid, page in meta["pages"].items():
        if not isinstance(page, dict) or not all(k in page for k in PAGE_KEYS):
            raise TypeError(f"meta.json has no valid entry for source {sid!r}")
    return meta


def _open_generation(gen: str) -> IndexedCorpus:
    """Open GEN under a shared reader lock. Raises _Gone when GEN was removed
    first, IndexUnavailable when it is damaged."""
    try:
        fd: int | None = os.open(os.path.join(gen, READERS), os.O_RDONLY)
    except FileNotFoundError:
        if not os.path.isdir(gen):
            raise _Gone() from None
        fd = None
    except OSError:
        fd = None  # unreadable lock file: read without one
    if fd is not None and (not _try_lock(fd, exclusive=False) or not os.path.isfile(os.path.join(gen, META))):
        os.close(fd)
        raise _Gone()
    try:
        with open(os.path.join(gen, META), encoding="utf-8") as handle:
            meta = _check_meta(json.load(handle))
        ix = whoosh_index.open_dir(gen)
    except Exception as exc:  # noqa: BLE001 - a damaged index is reported (and rebuilt), never trusted
        if fd is not None:
            os.close(fd)
        if not os.path.isdir(gen):
            raise _Gone() from None
        raise IndexUnavailable(f"the index in {gen} cannot be read ({exc}); run 'contest-kb index' to rebuild it") from None
    return IndexedCorpus(gen, ix, meta, fd)


def _open_current(index_dir: str) -> IndexedCorpus | None:
    """The current generation of INDEX_DIR opened, or None when there is none;
    re-reads CURRENT when a build replaced the generation meanwhile."""
    for _ in range(OPEN_TRIES):
        gen = current_generation(index_dir)
        if gen is None:
            return None
        try:
            return _open_generation(gen)
        except _Gone:
            time.sleep(0.01)
    raise IndexUnavailable(f"the index in {index_dir} kept changing while it was opened; try again")


def open_index(
    corpus_dir: PathArg | None = None,
    index_dir: PathArg | None = None,
    progress: Progress | None = None,
    rebuild: bool = False,
) -> IndexedCorpus:
    """Open the index of the corpus at CORPUS_DIR, bringing it up to date
    first: built when missing, damaged, made by other indexing code, or
    REBUILD is true; updated source by source when pages or manifest entries
    changed."""
    corpus_dir = os.fspath(corpus_dir) if corpus_dir is not None else default_corpus_dir()
    index_dir = os.fspath(index_dir) if index_dir is not None else default_index_dir(corpus_dir)
    if not rebuild:
        opened = _open_fresh(index_dir, corpus_dir)
        if opened is not None:
            _tidy(index_dir, opened.path)
            return opened
    index_dir = _index_folder(index_dir)
    with _writing(index_dir), _build_lock(index_dir, LOCK_TIMEOUT):
        base = None
        if not rebuild:
            # Another process may have brought it up to date while this one waited.
            opened = _open_fresh(index_dir, corpus_dir)
            if opened is not None:
                return opened
            base = _try_open_current(index_dir)
        try:
            found = changes(base.meta, corpus_dir) if base is not None else Changes(full=True)
            settings = load_settings(corpus_dir)
            if base is not None and not found.full:
                moved = {sid for sid, s in settings.sources.items()
                         if sid in base.meta["pages"] and s.as_record() != _entry(base.meta["pages"][sid])}
                _build_locked(settings, index_dir, base, progress, LOCK_TIMEOUT, found.pages | moved)
            else:
                _build_locked(settings, index_dir, None, progress, LOCK_TIMEOUT)
        finally:
            if base is not None:
                base.close()
    opened = _try_open_current(index_dir)
    if opened is None:  # pragma: no cover - CURRENT was just written
        raise IndexUnavailable(f"the index in {index_dir} could not be opened after it was built; try again")
    return opened


def _entry(page: dict) -> dict | None:
    """The manifest entry a page of meta.json was indexed from."""
    return page.get("entry", page.get("record"))


def _try_open_current(index_dir: str) -> IndexedCorpus | None:
    """The current generation, or None when there is none or it is damaged."""
    try:
        return _open_current(index_dir)
    except IndexUnavailable:
        return None


def _open_fresh(index_dir: str, corpus_dir: str) -> IndexedCorpus | None:
    """The current generation when it is up to date with the corpus, else None."""
    opened = _try_open_current(index_dir)
    if opened is None:
        return None
    found = changes(opened.meta, corpus_dir)
    if found:
        opened.close()
        return None
    if found.touched:
        _remember_stamps(index_dir, opened, found.touched)
    return opened


def _remember_stamps(index_dir: str, opened: IndexedCorpus, touched: list[tuple[dict, list]]) -> None:
    """Write the new stamps of files touched but not changed into the current
    generation's meta.json, so they are not checksummed at every start. Only
    when no build is running; a failure just leaves them to be checksummed."""
    try:
        with open(os.path.join(index_dir, LOCK), "a+") as handle:
            if not _try_lock(handle.fileno(), exclusive=True):
                return
            try:
                if current_generation(index_dir) != opened.path:
                    return
                for entry, stamp in touched:
                    entry["stamp"] = stamp
                tmp = os.path.join(opened.path, f".{META}.tmp-{os.getpid()}")
                with open(tmp, "w", encoding="utf-8") as out:
                    json.dump(opened.meta, out, ensure_ascii=False)
                os.replace(tmp, os.path.join(opened.path, META))
            finally:
                if fcntl is not None:
                    fcntl.flock(handle, fcntl.LOCK_UN)
    except OSError:
        return


def _site_of(address: str) -> tuple[str, str]:
    """An address's host (without "www.") and path, lower-cased, without
    scheme or a trailing slash."""
    address = re.sub(r"^[a-z][a-z0-9+.-]*://", "", address.strip().lower()).rstrip("/")
    host, _, path = address.partition("/")
    return host.removeprefix("www."), path


def _on_site(url: str, site: tuple[str, str]) -> bool:
    """Whether URL is on SITE (see _site_of): its host or a subdomain, and
    under its path."""
    host, path = _site_of(url)
    on_host = host == site[0] or host.endswith("." + site[0])
    return on_host and (not site[1] or path == site[1] or path.startswith(site[1] + "/"))
