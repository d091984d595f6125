"""Which pages are the primary record: published by government, police,
Parliament or councils (``official.toml`` in the corpus folder, read by
``corpus.read_officials``).

A page is official when its web address is on one of the file's domains
(``gov.uk`` covers ``www.gov.uk`` and ``homeofficemedia.blog.gov.uk``) or its
publisher names one of its bodies as whole words ("Home Office (Home Office
in the media blog)" names the Home Office). Search prefers an official page's
passages to the same words on other pages (news, explainers, third-party
guides); it never leaves the others out. A page that names neither an
address nor a publisher is not known to be the record, so it ranks on its
words, as other pages do. The file's names say how a question names the
official pages together ("according to the government"): search takes them
as it takes a publisher's name, a preference for those pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit


class Officials:
    """The domains and publishers of official pages, and the names a question
    gives them together ("the government")."""

    __slots__ = ("_publishers", "domains", "names", "publishers")

    def __init__(self, domains: Iterable[str] = (), publishers: Iterable[str] = (), names: Iterable[str] = ()) -> None:
        self.domains = [d.strip().lower().strip(".") for d in domains if d.strip()]
        self.publishers = [p.strip() for p in publishers if p.strip()]
        self.names = [n.strip() for n in names if n.strip()]
        bodies = "|".join(re.escape(p) for p in sorted(self.publishers, key=len, reverse=True))
        self._publishers = re.compile(rf"(?<!\w)(?:{bodies})(?!\w)", re.IGNORECASE) if bodies else None

    def to_dict(self) -> dict:
        return {"domains": self.domains, "publishers": self.publishers, "names": self.names}

    def covers(self, url: str | None, publisher: str | None) -> bool:
        """Whether a page at URL published by PUBLISHER is official."""
        try:
            host = (urlsplit(url).hostname or "") if url else ""
        except ValueError:
            host = ""
        if host and any(host == d or host.endswith("." + d) for d in self.domains):
            return True
        return bool(publisher and self._publishers and self._publishers.search(publisher))

