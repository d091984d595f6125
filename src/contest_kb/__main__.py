"""``python -m contest_kb``: the same as the ``contest-kb`` command."""

from .cli import main

main()
