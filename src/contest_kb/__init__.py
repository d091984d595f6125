"""contest-kb: a cited knowledge base of the UK counter-terrorism strategy, CONTEST.

The public API, for use from Python::

    from contest_kb import open_index, Searcher
    kb = open_index()                     # builds the index on first use
    with Searcher(kb) as s:
        result = s.search("Prevent referrals per year")
        print(result.hits[0].citation)
"""

__version__ = "0.1.0"

from .citations import cite
from .corpus import Corpus, Source, default_corpus_dir, default_index_dir, load_corpus
from .errors import ContestKBError
from .index import IndexedCorpus, build_index, open_index
from .search import Hit, Passage, Place, SearchResult, Searcher, search
from .sections import Paragraph, Section, split_page
from .strands import STRANDS, tag_sections

__all__ = [
    "STRANDS",
    "ContestKBError",
    "Corpus",
    "Hit",
    "IndexedCorpus",
    "Paragraph",
    "Passage",
    "Place",
    "SearchResult",
    "Searcher",
    "Section",
    "Source",
    "build_index",
    "cite",
    "default_corpus_dir",
    "default_index_dir",
    "load_corpus",
    "open_index",
    "search",
    "split_page",
    "tag_sections",
    "__version__",
]
