"""contest-kb: a cited knowledge base of the UK counter-terrorism strategy, CONTEST.

The public API, for use from Python::

    from contest_kb import open_index, Searcher
    kb = open_index()                     # builds the index on first use
    with Searcher(kb) as searcher:
        result = searcher.search("Prevent referrals per year")
        print(result.hits[0].citation)

Names are imported from their modules on first use, so that the command line
starts fast; ``__all__`` lists the public API.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_EXPORTS = {
    "STRANDS": "strands",
    "ContestKBError": "errors",
    "FetchError": "errors",
    "CorpusError": "errors",
    "IndexBusy": "errors",
    "IndexUnavailable": "errors",
    "InvalidInput": "errors",
    "NotFound": "errors",
    "OutputError": "errors",
    "Corpus": "corpus",
    "Evaluation": "relevance",
    "Hit": "search",
    "IndexedCorpus": "index",
    "Locator": "sections",
    "Paragraph": "sections",
    "add_documents": "documents",
    "remove_source": "documents",
    "read_document": "ingest",
    "Passage": "search",
    "Place": "citations",
    "SearchResult": "search",
    "Searcher": "search",
    "Section": "sections",
    "Source": "corpus",
    "build_index": "index",
    "cite": "citations",
    "evaluate": "relevance",
    "default_corpus_dir": "corpus",
    "default_index_dir": "corpus",
    "load_corpus": "corpus",
    "open_index": "index",
    "split_page": "sections",
    "tag_sections": "strands",
}

__all__ = [
    "STRANDS",
    "ContestKBError",
    "Corpus",
    "CorpusError",
    "Evaluation",
    "FetchError",
    "Hit",
    "IndexBusy",
    "IndexUnavailable",
    "IndexedCorpus",
    "InvalidInput",
    "Locator",
    "NotFound",
    "OutputError",
    "Paragraph",
    "Passage",
    "Place",
    "SearchResult",
    "Searcher",
    "Section",
    "Source",
    "__version__",
    "add_documents",
    "build_index",
    "cite",
    "default_corpus_dir",
    "default_index_dir",
    "evaluate",
    "load_corpus",
    "open_index",
    "read_document",
    "remove_source",
    "split_page",
    "tag_sections",
]

if TYPE_CHECKING:  # the names as type checkers and IDEs see them; at run time they load on first use
    from .citations import Place, cite
    from .corpus import Corpus, Source, default_corpus_dir, default_index_dir, load_corpus
    from .documents import add_documents, remove_source
    from .errors import ContestKBError, CorpusError, FetchError, IndexBusy, IndexUnavailable, InvalidInput, NotFound, OutputError
    from .index import IndexedCorpus, build_index, open_index
    from .ingest import read_document
    from .relevance import Evaluation, evaluate
    from .search import Hit, Passage, Searcher, SearchResult
    from .sections import Locator, Paragraph, Section, split_page
    from .strands import STRANDS, tag_sections


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'contest_kb' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
