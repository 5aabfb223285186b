"""Which allocator Arrow uses in this process: jemalloc, where this pyarrow has it.

Loading a large folder copies tables of about 100 MB several times (reading the parse cache,
putting rows in article order, building frames, writing files). With pyarrow's default
allocator, mimalloc, a load that re-parses 1% of 100,000 documents took about 0.5 s more CPU
than with jemalloc or the system allocator (`benchmarks/`, docs/performance.md). An allocator
named in $ARROW_DEFAULT_MEMORY_POOL is the user's choice and is kept.

The allocator is process-wide, so the library never changes it on import or load: the
project's own programs (the command line and the dashboard) opt in by calling
`choose_allocator()` at start, and a program that loads corpora through the library can do the
same, or set ARROW_DEFAULT_MEMORY_POOL=jemalloc before starting. Parse workers forked from such
a program inherit its choice.
"""

from __future__ import annotations

import os

import pyarrow as pa

ENV_VAR = "ARROW_DEFAULT_MEMORY_POOL"


def choose_allocator() -> str:
    """Make jemalloc Arrow's allocator unless the environment names one; the allocator in use."""
    if not os.environ.get(ENV_VAR):
        try:
            pa.set_memory_pool(pa.jemalloc_memory_pool())
        except NotImplementedError:  # built without jemalloc (Windows, some other builds): keep the default
            pass
    return pa.default_memory_pool().backend_name
