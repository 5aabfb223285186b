"""Which folders a served dashboard may read: the data roots, and why any other path is refused.

The folder field is bound to the URL, so on a dashboard served to a team anyone with a link
could point the server at any folder it can reach. Only folders inside a data root are read:
the folder the dashboard was started with, `sample_data/`, and any root given with
`--data-root PATH` (repeatable) or $NEWS_ANALYTICS_DATA_ROOTS (paths separated by `os.pathsep`).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence

ROOTS_VAR = "NEWS_ANALYTICS_DATA_ROOTS"
UPLOADS_VAR = "NEWS_ANALYTICS_UPLOADS"


def data_roots(argv: Sequence[str], environ: Mapping[str, str], started: str, sample: str) -> tuple[str, ...]:
    """The data roots, each resolved (links followed): the start folder, the sample data and any given."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data-root", action="append", default=[])
    args, _ = parser.parse_known_args(list(argv))
    given = [*args.data_root, *(part for part in environ.get(ROOTS_VAR, "").split(os.pathsep) if part)]
    return tuple(dict.fromkeys(os.path.realpath(path) for path in (started, sample, *given)))


def refusal(path: str, roots: Sequence[str]) -> str | None:
    """Why the dashboard will not read `path` (outside every data root, also through a link), or None."""
    real = os.path.realpath(path)  # a link inside a root that leads out is judged by where it leads
    if any(real == root or real.startswith(os.path.join(root, "")) for root in roots):
        return None
    return (
        f"The folder {path!r} is outside the folders this dashboard may read. Ask whoever runs it to add it "
        f"(--data-root or ${ROOTS_VAR}), or upload the files in the sidebar."
    )


def uploads_allowed(argv: Sequence[str], environ: Mapping[str, str]) -> bool:
    """Whether the sidebar offers uploads: yes unless started with `--no-uploads` or $NEWS_ANALYTICS_UPLOADS=off."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--no-uploads", action="store_true")
    args, _ = parser.parse_known_args(list(argv))
    return not args.no_uploads and environ.get(UPLOADS_VAR, "").strip().lower() not in ("off", "0", "no", "false")


def cannot_open(path: str, roots: Sequence[str]) -> str | None:
    """Why the dashboard shows nothing for `path`: outside every data root, or no such folder; None when it can open it."""
    if refused := refusal(path, roots):
        return refused
    if not os.path.exists(path):
        return f"The folder {path!r} does not exist. Enter another folder or upload files in the sidebar."
    return None
