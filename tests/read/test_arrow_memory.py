import os
import subprocess
import sys

import pyarrow as pa
import pytest

from analytics.read.arrow_memory import ENV_VAR


def allocator_after_import(env: dict[str, str], code: str = "from analytics.read.arrow_memory import choose_allocator; choose_allocator()") -> str:
    code = f"import analytics, pyarrow; {code}; print(pyarrow.default_memory_pool().backend_name)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return done.stdout.strip()


def has_jemalloc() -> bool:
    try:
        pa.jemalloc_memory_pool()
    except NotImplementedError:
        return False
    return True


@pytest.mark.skipif(not has_jemalloc(), reason="this pyarrow was built without jemalloc")
def test_the_programs_choose_jemalloc():
    env = {name: value for name, value in os.environ.items() if name != ENV_VAR}
    assert allocator_after_import(env) == "jemalloc"


def test_importing_and_loading_leave_the_allocator_alone(tmp_path):
    env = {name: value for name, value in os.environ.items() if name != ENV_VAR}
    (tmp_path / "a.md").write_text("---\ntitle: A\npublishedDateTime: 2026-01-02T00:00:00Z\n---\n")
    load = f"analytics.load_corpus({str(tmp_path)!r}, cache=False)"
    assert allocator_after_import(env, load) == allocator_after_import(env, "pass")


def test_an_allocator_named_in_the_environment_is_kept():
    env = dict(os.environ, **{ENV_VAR: "system"})
    assert allocator_after_import(env) == "system"
