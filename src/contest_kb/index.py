"""Build, find and open the Whoosh index of a corpus.

The index folder holds one or more generations, each a complete Whoosh index
with a ``meta.json`` beside it (sources, sections, glossary, vocabulary), and
a ``CURRENT`` file naming the generation in use. A build writes a new
generation in a temporary folder and only then points ``CURRENT`` at it with
an atomic rename, so an interrupted build leaves the previous index working.

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
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, TEXT, Schema

from .analysis import plain_analyzer, plain_terms, stemmed_analyzer
from .corpus import (
    Corpus,
    PathArg,
    Source,
    default_corpus_dir,
    default_index_dir,
    fingerprint,
    load_corpus,
)
from .errors import IndexBusy, IndexUnavailable
from .sections import Section
from .text import dedup_key

INDEX_FORMAT = 1
CURRENT = "CURRENT"
META = "meta.json"
LOCK = ".lock"
READERS = "READERS"
LOCK_TIMEOUT = 60.0
OPEN_TRIES = 20
META_KEYS = {"format": int, "fingerprint": str, "sources": dict, "sections": list, "glossary": list,
             "vocabulary": dict, "duplicates": list, "context": dict}

Progress = Callable[[int, int], None]


def make_schema() -> Schema:
    """The Whoosh schema: one document per paragraph.

    ``heading`` and ``body`` are stemmed for ranking; ``plain`` holds the
    paragraph unstemmed, for exact words, phrases and wildcards; ``strand`` and
    ``source`` filter.
    """
    stemmed = stemmed_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        section=ID(stored=True),
        source=ID(stored=True),
        strand=KEYWORD(lowercase=True),
        heading=TEXT(analyzer=stemmed, phrase=False),
        body=TEXT(analyzer=stemmed, phrase=False),
        plain=TEXT(analyzer=plain_analyzer(), phrase=True),
    )


class IndexedCorpus:
    """An opened index and the metadata stored beside it."""

    def __init__(self, path: str, index, meta: dict, reader_lock: int | None = None) -> None:
        self.path = path
        self.index = index
        self.meta = meta
        self._reader_lock = reader_lock

    def close(self) -> None:
        """Close the index and let a later build remove this generation."""
        self.index.close()
        if self._reader_lock is not None:
            os.close(self._reader_lock)
            self._reader_lock = None

    def __enter__(self) -> IndexedCorpus:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @cached_property
    def sources(self) -> dict[str, Source]:
        """Every source, keyed by id, in manifest order."""
        return {sid: Source(**data) for sid, data in self.meta["sources"].items()}

    @cached_property
    def sections(self) -> dict[str, Section]:
        """Every section, keyed by id, in corpus order."""
        return {d["id"]: Section.from_dict(d) for d in self.meta["sections"]}

    def stats(self) -> dict:
        """What the index holds: its folder and how many sources, sections and paragraphs."""
        sections = self.meta["sections"]
        return {
            "path": self.path,
            "sources": len(self.meta["sources"]),
            "sections": len(sections),
            "paragraphs": sum(len(s["paragraphs"]) for s in sections),
        }

    @property
    def attribution(self) -> str | None:
        return self.meta.get("attribution")

    @property
    def glossary(self) -> list[dict]:
        """The glossary's groups of equivalent terms, as indexed."""
        return self.meta["glossary"]

    @property
    def duplicates(self) -> list[list[list]]:
        """Groups of places [section id, paragraph n] publishing the same paragraph."""
        return self.meta["duplicates"]

    @property
    def context(self) -> dict[str, list[str]]:
        """Per source id, the stemmed words of its title and publisher."""
        return self.meta["context"]

    @property
    def vocabulary(self) -> dict[str, int]:
        """Unstemmed words of the corpus and the number of paragraphs holding each."""
        return self.meta["vocabulary"]


try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: builds are still atomic, old generations are kept
    fcntl = None  # type: ignore[assignment]


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


def _vocabulary(corpus: Corpus) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for section in corpus.sections:
        heading = set(plain_terms(" ".join(section.heading_path)))
        for para in section.paragraphs:
            counts.update(heading | set(plain_terms(para.text)))
    return dict(sorted(counts.items()))


def _context(corpus: Corpus) -> dict[str, list[str]]:
    """Per source, the stemmed words of its title and publisher: a paragraph
    of a Counter Terrorism Policing page is about policing, even when it does
    not say so."""
    from .analysis import stemmed_terms

    return {sid: sorted(set(stemmed_terms(f"{s.title} {s.publisher}"))) for sid, s in corpus.sources.items()}


def _duplicates(corpus: Corpus) -> list[list[list]]:
    """Groups of places [section id, paragraph n] holding the same paragraph."""
    places: dict[str, list[list]] = {}
    for section in corpus.sections:
        for para in section.paragraphs:
            places.setdefault(dedup_key(para.text), []).append([section.id, para.n])
    return [group for group in places.values() if len(group) > 1]


def build_index(
    corpus: Corpus,
    index_dir: PathArg,
    progress: Progress | None = None,
    lock_timeout: float = LOCK_TIMEOUT,
) -> str:
    """Index CORPUS into a new generation under INDEX_DIR and make it current.

    PROGRESS, if given, is called with (paragraphs done, paragraphs in all).
    Returns the folder of the new generation. Raises IndexUnavailable when the
    folder cannot be written, IndexBusy when another build holds the lock
    too long.
    """
    index_dir = _index_folder(index_dir)
    with _writing(index_dir), _build_lock(index_dir, lock_timeout):
        return _build_locked(corpus, index_dir, progress, lock_timeout)


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


def _build_locked(corpus: Corpus, index_dir: str, progress: Progress | None, lock_timeout: float) -> str:
    import shutil
    import tempfile

    from whoosh.index import LockError

    _remove_litter(index_dir, current_generation(index_dir))
    stamp = fingerprint(corpus.root)
    total = sum(len(s.paragraphs) for s in corpus.sections)
    tmp = tempfile.mkdtemp(prefix=".build-", dir=index_dir)
    try:
        ix = whoosh_index.create_in(tmp, make_schema())
        done = 0
        with ix.writer(timeout=lock_timeout) as writer:
            for section in corpus.sections:
                heading = " ".join(section.heading_path)
                tags = " ".join(section.strands + (["overview"] if section.overview else []))
                for para in section.paragraphs:
                    writer.add_document(
                        id=f"{section.id}#{para.n}",
                        section=section.id,
                        source=section.source,
                        strand=tags,
                        heading=heading,
                        body=para.text,
                        plain=para.text,
                    )
                    done += 1
                    if progress:
                        progress(done, total)
        ix.close()
        meta = {
            "format": INDEX_FORMAT,
            "fingerprint": stamp,
            "corpus": os.path.realpath(corpus.root),
            "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "attribution": corpus.attribution,
            "sources": {sid: src.as_record() for sid, src in corpus.sources.items()},
            "sections": [s.to_dict() for s in corpus.sections],
            "glossary": corpus.glossary,
            "vocabulary": _vocabulary(corpus),
            "duplicates": _duplicates(corpus),
            "context": _context(corpus),
        }
        with open(os.path.join(tmp, META), "w", encoding="utf-8") as handle:
            json.dump(meta, handle, ensure_ascii=False)
        with open(os.path.join(tmp, READERS), "w", encoding="utf-8"):
            pass
        for name in os.listdir(tmp):
            os.chmod(os.path.join(tmp, name), 0o644)
        os.chmod(tmp, 0o755)
        gen = os.path.join(index_dir, f"gen-{stamp[:12]}-{os.getpid()}-{int(time.time() * 1000)}")
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


class _Gone(Exception):
    """The generation was replaced and removed before it could be opened."""


def _check_meta(meta: object) -> dict:
    if not isinstance(meta, dict):
        raise TypeError("meta.json is not an object")
    for key, kind in META_KEYS.items():
        if not isinstance(meta.get(key), kind):
            raise TypeError(f"meta.json has no valid {key!r}")
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


def _is_fresh(opened: IndexedCorpus, stamp: str) -> bool:
    return opened.meta.get("fingerprint") == stamp and opened.meta.get("format") == INDEX_FORMAT


def open_index(
    corpus_dir: PathArg | None = None,
    index_dir: PathArg | None = None,
    progress: Progress | None = None,
    rebuild: bool = False,
) -> IndexedCorpus:
    """Open the index of the corpus at CORPUS_DIR, building it first when it is
    missing, damaged, out of date (the corpus or the indexing code changed) or
    REBUILD is true."""
    corpus_dir = os.fspath(corpus_dir) if corpus_dir is not None else default_corpus_dir()
    index_dir = os.fspath(index_dir) if index_dir is not None else default_index_dir(corpus_dir)
    stamp = fingerprint(corpus_dir)
    if not rebuild:
        try:
            opened = _open_current(index_dir)
        except IndexUnavailable:
            opened = None  # damaged: rebuilt below
        if opened is not None:
            if _is_fresh(opened, stamp):
                _tidy(index_dir, opened.path)
                return opened
            opened.close()
    index_dir = _index_folder(index_dir)
    with _writing(index_dir), _build_lock(index_dir, LOCK_TIMEOUT):
        if not rebuild:
            # Another process may have built it while this one waited for the lock.
            try:
                opened = _open_current(index_dir)
            except IndexUnavailable:
                opened = None
            if opened is not None:
                if _is_fresh(opened, stamp):
                    return opened
                opened.close()
        _build_locked(load_corpus(corpus_dir), index_dir, progress, LOCK_TIMEOUT)
    opened = _open_current(index_dir)
    if opened is None:  # pragma: no cover - CURRENT was just written
        raise IndexUnavailable(f"the index in {index_dir} could not be opened after it was built; try again")
    return opened
