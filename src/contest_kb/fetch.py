"""Fetch a document from the web: one HTTP(S) GET with timeouts, a size
limit, redirects followed (at most a few) and a content-type check."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from .errors import FetchError

TIMEOUT = 30.0  # seconds to connect, and between two reads
MAX_BYTES = 50 * 1024 * 1024
MAX_REDIRECTS = 5
# Content type -> file suffix of the documents contest-kb reads.
CONTENT_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/pdf": ".pdf",
    "text/markdown": ".md",
    "text/x-markdown": ".md",
    "text/plain": ".txt",
}
Progress = Callable[[int, "int | None"], None]


class Fetched:
    """A fetched document: its bytes, suffix (from its content type), the
    address it was finally served from, and a file name stem from it."""

    __slots__ = ("data", "name", "suffix", "url")

    def __init__(self, data: bytes, suffix: str, url: str, name: str) -> None:
        self.data = data
        self.suffix = suffix
        self.url = url
        self.name = name


def is_url(text: str) -> bool:
    return bool(re.match(r"(?i)https?://", text))


def _name(url: str) -> str:
    parts = urlsplit(url)
    segments = [s for s in unquote(parts.path).split("/") if s]
    stem = os.path.splitext(segments[-1])[0] if segments else ""
    return stem or (parts.hostname or "page")


def fetch(url: str, progress: Progress | None = None, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> Fetched:
    """GET URL. Raises FetchError saying what went wrong: a refused or slow
    server, an HTTP error status, a content type that is not a document,
    a body larger than MAX_BYTES."""
    import urllib.error
    import urllib.request

    from . import __version__

    if not is_url(url):
        raise FetchError(f"{url}: not an http(s) address")

    class Redirects(urllib.request.HTTPRedirectHandler):
        max_redirections = MAX_REDIRECTS

    opener = urllib.request.build_opener(Redirects)
    request = urllib.request.Request(url, headers={
        "User-Agent": f"contest-kb/{__version__} (+https://pypi.org/project/contest-kb/)",
        "Accept": "text/html, application/pdf;q=0.9, text/markdown;q=0.8, text/plain;q=0.7",
    })
    try:
        response = opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{url}: the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = getattr(exc.reason, "strerror", None) or exc.reason
        raise FetchError(f"{url}: cannot be fetched ({reason}); check the address and your connection") from None
    except (TimeoutError, OSError) as exc:
        raise FetchError(f"{url}: cannot be fetched ({exc.strerror or exc}); check the address and your connection") from None
    except ValueError as exc:
        raise FetchError(f"{url}: not a valid address ({exc})") from None
    with response:
        final = response.geturl()
        kind = (response.headers.get_content_type() or "").lower()
        suffix = CONTENT_TYPES.get(kind)
        if suffix is None and kind in ("application/octet-stream", "binary/octet-stream"):
            suffix = os.path.splitext(urlsplit(final).path)[1].lower() or None
            suffix = suffix if suffix in CONTENT_TYPES.values() else None
        if suffix is None:
            raise FetchError(f"{url}: the server sent {kind or 'no content type'}, not a web page, PDF, Markdown or "
                             "text document")
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        if total is not None and total > max_bytes:
            raise FetchError(f"{url}: the document is {total} bytes, over the {max_bytes}-byte limit")
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                chunk = response.read(64 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url}: the document is over the {max_bytes}-byte limit")
                chunks.append(chunk)
                if progress:
                    progress(size, total)
        except (TimeoutError, OSError) as exc:
            raise FetchError(f"{url}: the download failed ({exc.strerror or exc}); try again") from None
        charset = response.headers.get_content_charset()
    data = b"".join(chunks)
    return Fetched(as_utf8(data, charset) if suffix != ".pdf" else data, suffix, final, _name(final))


def as_utf8(data: bytes, charset: str | None) -> bytes:
    """A text document's DATA in UTF-8, decoded in the CHARSET its server
    named, so that the saved file reads as served: the header is lost once
    the file is saved, and a page that names no charset itself is then read
    as UTF-8 or Windows-1252. DATA as it is when it names its own encoding
    (a byte-order mark, a meta charset or an XML declaration), when CHARSET
    is none or unknown, when DATA is not text in it, or when DATA is valid
    UTF-8: servers often name Latin-1 for pages in UTF-8, and text in
    Latin-1 is almost never valid UTF-8."""
    from .ingest.html import declares_encoding, is_utf8

    if not charset or declares_encoding(data) or is_utf8(data):
        return data
    try:
        return data.decode(charset).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return data
