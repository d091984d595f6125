"""Which pages are the primary record: published by government, police,
Parliament or councils (``official.toml`` in the corpus folder).

A page is official when its web address is on one of the file's domains
(``gov.uk`` covers ``www.gov.uk`` and ``homeofficemedia.blog.gov.uk``) or its
publisher names one of its bodies as whole words ("Home Office (Home Office
in the media blog)" names the Home Office). Search prefers an official page's
passages to the same words on other pages (news, explainers, third-party
guides); it never leaves the others out.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from .errors import CorpusError

OFFICIAL_FILE = "official.toml"


class Officials:
    """The domains and publishers of official pages."""

    __slots__ = ("_publishers", "domains", "publishers")

    def __init__(self, domains: Iterable[str] = (), publishers: Iterable[str] = ()) -> None:
        self.domains = [d.strip().lower().strip(".") for d in domains if d.strip()]
        self.publishers = [p.strip() for p in publishers if p.strip()]
        names = "|".join(re.escape(p) for p in sorted(self.publishers, key=len, reverse=True))
        self._publishers = re.compile(rf"(?<!\w)(?:{names})(?!\w)", re.IGNORECASE) if names else None

    def to_dict(self) -> dict:
        return {"domains": self.domains, "publishers": self.publishers}

    def covers(self, url: str | None, publisher: str | None) -> bool:
        """Whether a page at URL published by PUBLISHER is official."""
        try:
            host = (urlsplit(url).hostname or "") if url else ""
        except ValueError:
            host = ""
        if host and any(host == d or host.endswith("." + d) for d in self.domains):
            return True
        return bool(publisher and self._publishers and self._publishers.search(publisher))


def read_officials(root: str) -> Officials:
    """The official domains and publishers in ROOT's ``official.toml`` (none
    if absent: then no page is preferred)."""
    from .corpus import read_toml

    path = os.path.join(root, OFFICIAL_FILE)
    if not os.path.isfile(path):
        return Officials()
    data = read_toml(path)
    lists = {}
    for key in ("domains", "publishers"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise CorpusError(f'{path}: {key} must be a list of strings, such as {key} = ["..."]')
        lists[key] = value
    return Officials(lists["domains"], lists["publishers"])
