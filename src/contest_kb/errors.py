"""The one error type contest-kb raises for anything a user can put right."""

from __future__ import annotations

import click


class ContestKBError(click.ClickException):
    """A problem with the user's input, corpus or index.

    The message is one line that says what went wrong and what to do. Click
    prints it to stderr as ``Error: ...`` and exits with status 2, the same
    status Click uses for a usage error, so scripts can tell "no results"
    (1) from "something is wrong" (2).
    """

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))
