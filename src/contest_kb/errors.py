"""The errors contest-kb raises for anything a user can put right.

They depend on nothing but Python, so every front end (the command line, and
the HTTP API and MCP server to come) maps them its own way; the CLI prints
the message as one line on stderr and exits with status 2.
"""

from __future__ import annotations


class ContestKBError(Exception):
    """A problem with the user's input, corpus or index.

    The message is one line that says what went wrong and what to do.
    """

    def __init__(self, message: str) -> None:
        self.message = " ".join(str(message).split())
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class InvalidInput(ContestKBError):
    """A query, option, quotation or suite the library cannot use."""


class NotFound(ContestKBError):
    """A section, source or file that does not exist."""


class CorpusError(ContestKBError):
    """A corpus file (page, manifest, data file) that cannot be used."""


class IndexUnavailable(ContestKBError):
    """The index cannot be built, written or read."""


class IndexBusy(IndexUnavailable):
    """Another process has held the index lock for too long."""


class OutputError(ContestKBError):
    """An export or report that cannot be written."""


class FetchError(ContestKBError):
    """A web address that could not be fetched as a document."""
