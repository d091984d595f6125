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
import shutil
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterator

from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, TEXT, Schema

from .analysis import plain_analyzer, plain_terms, stemmed_analyzer
from .corpus import Corpus, Source, default_corpus_dir, default_index_dir, fingerprint, load_corpus
from .errors import ContestKBError
from .sections import Section

INDEX_FORMAT = 1
CURRENT = "CURRENT"
META = "meta.json"
LOCK = ".lock"
LOCK_TIMEOUT = 60.0

Progress = Callable[[int, int], None]


def make_schema() -> Schema:
    """The Whoosh schema: one document per paragraph.

    ``heading`` and ``body`` are stemmed for ranking; ``plain`` holds the
    heading and paragraph unstemmed, for exact words, phrases, wildcards and
    spelling suggestions; ``strand`` and ``source`` filter.
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


@dataclass
class IndexedCorpus:
    """An opened index and the metadata stored beside it."""

    path: Path
    index: object
    meta: dict

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
def _build_lock(index_dir: Path, timeout: float) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: builds are still atomic
        yield
        return
    with open(index_dir / LOCK, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() >= deadline:
                    raise ContestKBError(
                        f"another contest-kb process has been building the index in {index_dir} "
                        f"for over {timeout:.0f} s; wait for it to finish and try again"
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _current_generation(index_dir: Path) -> Path | None:
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    gen = index_dir / name
    return gen if name and (gen / META).is_file() else None


def _vocabulary(corpus: Corpus) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for section in corpus.sections:
        heading = set(plain_terms(" ".join(section.heading_path)))
        for para in section.paragraphs:
            counts.update(heading | set(plain_terms(para.text)))
    return dict(sorted(counts.items()))


def build_index(
    corpus: Corpus,
    index_dir: Path,
    progress: Progress | None = None,
    lock_timeout: float = LOCK_TIMEOUT,
) -> Path:
    """Index CORPUS into a new generation under INDEX_DIR and make it current.

    PROGRESS, if given, is called with (paragraphs done, paragraphs in all).
    Returns the folder of the new generation. Raises ContestKBError when the
    folder cannot be written or another build holds the lock too long.
    """
    from whoosh.index import LockError

    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ContestKBError(f"cannot create index folder {index_dir} ({exc.strerror}); pass --index-dir DIR") from None
    stamp = fingerprint(corpus.root)
    total = sum(len(s.paragraphs) for s in corpus.sections)
    with _build_lock(index_dir, lock_timeout):
        tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=index_dir))
        try:
            ix = whoosh_index.create_in(str(tmp), make_schema())
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
                            plain=f"{heading} \n {para.text}",
                        )
                        done += 1
                        if progress:
                            progress(done, total)
            ix.close()
            meta = {
                "format": INDEX_FORMAT,
                "fingerprint": stamp,
                "corpus": str(corpus.root.resolve()),
                "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "attribution": corpus.attribution,
                "sources": {sid: src.__dict__ for sid, src in corpus.sources.items()},
                "sections": [s.to_dict() for s in corpus.sections],
                "glossary": corpus.glossary,
                "vocabulary": _vocabulary(corpus),
            }
            (tmp / META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            gen = index_dir / f"gen-{stamp[:12]}-{os.getpid()}-{int(time.time() * 1000)}"
            os.rename(tmp, gen)
        except LockError:
            shutil.rmtree(tmp, ignore_errors=True)
            raise ContestKBError(f"the index in {tmp} is locked by another writer; try again") from None
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        pointer = index_dir / f".{CURRENT}.tmp-{os.getpid()}"
        pointer.write_text(gen.name + "\n", encoding="utf-8")
        os.replace(pointer, index_dir / CURRENT)
        for old in index_dir.iterdir():
            if old.is_dir() and old != gen and (old.name.startswith("gen-") or old.name.startswith(".build-")):
                shutil.rmtree(old, ignore_errors=True)
    return gen


def _open_generation(gen: Path) -> IndexedCorpus:
    try:
        meta = json.loads((gen / META).read_text(encoding="utf-8"))
        ix = whoosh_index.open_dir(str(gen))
    except Exception as exc:  # a damaged index is rebuilt, not trusted
        raise ContestKBError(f"the index in {gen} cannot be read ({exc}); run 'contest-kb index' to rebuild it") from None
    return IndexedCorpus(gen, ix, meta)


def open_index(
    corpus_dir: Path | None = None,
    index_dir: Path | None = None,
    progress: Progress | None = None,
    rebuild: bool = False,
) -> IndexedCorpus:
    """Open the index of the corpus at CORPUS_DIR, building it first when it is
    missing, out of date (the corpus or the indexing code changed) or REBUILD
    is true."""
    corpus_dir = Path(corpus_dir) if corpus_dir is not None else default_corpus_dir()
    index_dir = Path(index_dir) if index_dir is not None else default_index_dir(corpus_dir)
    stamp = fingerprint(corpus_dir)
    gen = None if rebuild else _current_generation(index_dir)
    if gen is not None:
        opened = _open_generation(gen)
        if opened.meta.get("fingerprint") == stamp and opened.meta.get("format") == INDEX_FORMAT:
            return opened
    gen = build_index(load_corpus(corpus_dir), index_dir, progress)
    return _open_generation(gen)
