import os
import subprocess
import sys

import pyarrow as pa
import pytest

from analytics.arrow_memory import ENV_VAR


def allocator_after_import(env: dict[str, str]) -> str:
    code = "import analytics, pyarrow; print(pyarrow.default_memory_pool().backend_name)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return done.stdout.strip()


def has_jemalloc() -> bool:
    try:
        pa.jemalloc_memory_pool()
    except NotImplementedError:
        return False
    return True


@pytest.mark.skipif(not has_jemalloc(), reason="this pyarrow was built without jemalloc")
def test_loading_uses_jemalloc():
    env = {name: value for name, value in os.environ.items() if name != ENV_VAR}
    assert allocator_after_import(env) == "jemalloc"


def test_an_allocator_named_in_the_environment_is_kept():
    env = dict(os.environ, **{ENV_VAR: "system"})
    assert allocator_after_import(env) == "system"
