"""Build, find and open the Whoosh index of a corpus.

The index folder holds one or more generations, each a complete Whoosh index
with a ``meta.json`` beside it (sources, sections, glossary, vocabulary), and
a ``CURRENT`` file naming the generation in use. A build writes a new
generation in a temporary folder and only then points ``CURRENT`` at it with
an atomic rename, so an interrupted build leaves the previous index working.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from contextlib import contextmanager
from functools import cached_property
from typing import Callable, Iterator

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, TEXT, Schema

from .analysis import plain_analyzer, plain_terms, stemmed_analyzer
from .corpus import Corpus, PathArg, Source, default_corpus_dir, default_index_dir, fingerprint, load_corpus
from .errors import IndexBusy, IndexUnavailable
from .sections import Section
from .text import dedup_key

INDEX_FORMAT = 1
CURRENT = "CURRENT"
META = "meta.json"
LOCK = ".lock"
LOCK_TIMEOUT = 60.0

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

    def __init__(self, path: str, index, meta: dict) -> None:
        self.path = path
        self.index = index
        self.meta = meta

    @cached_property
    def sources(self) -> dict[str, Source]:
        """Every source, keyed by id, in manifest order."""
        return {sid: Source(**data) for sid, data in self.meta["sources"].items()}

    @cached_property
    def sections(self) -> dict[str, Section]:
        """Every section, keyed by id, in corpus order."""
        return {d["id"]: Section.from_dict(d) for d in self.meta["sections"]}

    @property
    def attribution(self) -> str | None:
        return self.meta.get("attribution")

    @property
    def vocabulary(self) -> dict[str, int]:
        """Unstemmed words of the corpus and the number of paragraphs holding each."""
        return self.meta["vocabulary"]


@contextmanager
def _build_lock(index_dir: str, timeout: float) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: builds are still atomic
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
    Returns the folder of the new generation. Raises IndexUnavailable (IndexBusy) when the
    folder cannot be written or another build holds the lock too long.
    """
    import shutil
    import tempfile

    from whoosh.index import LockError

    index_dir = os.fspath(index_dir)
    try:
        os.makedirs(index_dir, exist_ok=True)
    except OSError as exc:
        raise IndexUnavailable(f"cannot create index folder {index_dir} ({exc.strerror}); pass --index-dir DIR") from None
    stamp = fingerprint(corpus.root)
    total = sum(len(s.paragraphs) for s in corpus.sections)
    with _build_lock(index_dir, lock_timeout):
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
            os.chmod(tmp, 0o755)
            gen = os.path.join(index_dir, f"gen-{stamp[:12]}-{os.getpid()}-{int(time.time() * 1000)}")
            os.rename(tmp, gen)
        except LockError:
            shutil.rmtree(tmp, ignore_errors=True)
            raise IndexUnavailable(f"the index in {tmp} is locked by another writer; try again") from None
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        pointer = os.path.join(index_dir, f".{CURRENT}.tmp-{os.getpid()}")
        with open(pointer, "w", encoding="utf-8") as handle:
            handle.write(os.path.basename(gen) + "\n")
        os.replace(pointer, os.path.join(index_dir, CURRENT))
        for name in os.listdir(index_dir):
            old = os.path.join(index_dir, name)
            if old != gen and name.startswith(("gen-", ".build-")) and os.path.isdir(old):
                shutil.rmtree(old, ignore_errors=True)
    return gen


def _open_generation(gen: str) -> IndexedCorpus:
    try:
        with open(os.path.join(gen, META), encoding="utf-8") as handle:
            meta = json.load(handle)
        ix = whoosh_index.open_dir(gen)
    except Exception as exc:  # a damaged index is reported, never trusted
        raise IndexUnavailable(f"the index in {gen} cannot be read ({exc}); run 'contest-kb index' to rebuild it") from None
    return IndexedCorpus(gen, ix, meta)


def open_index(
    corpus_dir: PathArg | None = None,
    index_dir: PathArg | None = None,
    progress: Progress | None = None,
    rebuild: bool = False,
) -> IndexedCorpus:
    """Open the index of the corpus at CORPUS_DIR, building it first when it is
    missing, out of date (the corpus or the indexing code changed) or REBUILD
    is true."""
    corpus_dir = os.fspath(corpus_dir) if corpus_dir is not None else default_corpus_dir()
    index_dir = os.fspath(index_dir) if index_dir is not None else default_index_dir(corpus_dir)
    gen = None if rebuild else current_generation(index_dir)
    if gen is not None:
        opened = _open_generation(gen)
        if opened.meta.get("fingerprint") == fingerprint(corpus_dir) and opened.meta.get("format") == INDEX_FORMAT:
            return opened
        opened.index.close()
    gen = build_index(load_corpus(corpus_dir), index_dir, progress)
    return _open_generation(gen)
