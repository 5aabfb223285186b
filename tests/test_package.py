import ast
import subprocess
import sys
from pathlib import Path

import pytest

import analytics


def test_analytics_never_imports_streamlit():
    code = (
        "import importlib, pkgutil, sys, analytics\n"
        "for module in pkgutil.walk_packages(analytics.__path__, 'analytics.'):\n"
        "    if module.name != 'analytics.__main__':  # running it parses the command line\n"
        "        importlib.import_module(module.name)\n"
        "assert 'streamlit' not in sys.modules, 'streamlit imported'"
    )
    _runs_cleanly(code)


def _runs_cleanly(code: str) -> None:
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_public_api_is_named():
    for name in analytics.__all__:
        assert hasattr(analytics, name), name


# The stages in the order data flows. A module may import from its own stage, from the stages
# to its left and from the shared `schema`; the front doors at the package top (`cli`,
# `__init__`, `__main__`) may import anything, and nothing else may import them.
STAGES = ("read", "store", "frames", "measure", "present")
SHARED = {"schema"}
FRONT_DOORS = {"__init__", "__main__", "cli", "generate", "progress"}
PACKAGE = Path(analytics.__file__).parent


def _imported_modules(source: Path) -> set[str]:
    """Dotted names (below `analytics`) of every module the file imports, at any depth of the tree."""
    found = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "analytics" and node.level == 0:
            below = node.module.split(".")[1:]
            found |= {".".join([*below, alias.name]) for alias in node.names} if len(below) < 2 else {".".join(below)}
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".", 1)[1] for alias in node.names if alias.name.startswith("analytics.")}
    return found


def _stage_of(dotted: str) -> str:
    """`read` for `read.ingest`, `schema` for `schema`, `cli` for `cli`."""
    return dotted.split(".")[0]


def _direction_errors(root: Path) -> list[str]:
    errors = []
    for source in sorted(root.rglob("*.py")):
        module = ".".join(source.relative_to(root).with_suffix("").parts)
        here = _stage_of(module)
        for target in sorted(_imported_modules(source)):
            there = _stage_of(target)
            if here in FRONT_DOORS or there in SHARED or there == here:
                continue
            if there in FRONT_DOORS or here in SHARED:
                errors.append(f"{module} imports {target}: front doors and the schema import no stage")
            elif there not in STAGES or here not in STAGES:
                errors.append(f"{module} imports {target}: {there if there not in STAGES else here!r} is not a stage")
            elif STAGES.index(there) > STAGES.index(here):
                errors.append(f"{module} ({here}) imports {target} ({there}), a later stage")
    return errors


def test_every_module_sits_in_a_stage_folder_or_is_a_front_door():
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top <= FRONT_DOORS | SHARED, sorted(top - FRONT_DOORS - SHARED)
    assert {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()} == set(STAGES)


def test_imports_flow_from_earlier_stages_to_later_ones():
    assert _direction_errors(PACKAGE) == []


@pytest.mark.parametrize(
    ("path", "code", "expected"),
    [
        ("read/ingest.py", "from analytics.measure.filters import Filters\n", "read.ingest (read) imports measure.filters (measure), a later stage"),
        ("store/cache.py", "from analytics.frames import flatten\n", "store.cache (store) imports frames.flatten (frames), a later stage"),
        ("schema.py", "from analytics.read import ingest\n", "schema imports read.ingest: front doors and the schema import no stage"),
        ("present/views.py", "import analytics.cli\n", "present.views imports cli: front doors and the schema import no stage"),
        ("present/views.py", "from analytics.measure import metrics\nfrom analytics import schema\n", None),
    ],
)
def test_the_direction_check_catches_an_import_that_runs_backwards(tmp_path, path, code, expected):
    source = tmp_path / path
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(code)
    assert _direction_errors(tmp_path) == ([expected] if expected else [])


def test_importing_the_package_leaves_the_host_program_alone():
    code = (
        # The libraries' own import-time settings (plotly adds a warnings filter) are not ours.
        "import pyarrow as pa, warnings, logging, locale, numpy, pandas, plotly.graph_objects, plotly.subplots, plotly.tools, plotly.offline, jinja2, yaml, ftfy\n"
        "before = (pa.default_memory_pool().backend_name, list(warnings.filters), logging.root.level, logging.root.handlers[:], locale.setlocale(locale.LC_ALL))\n"
        "import analytics, analytics.cli\n"
        "from analytics.frames import corpus, workspace\n"
        "from analytics.present import report, views\n"
        "after = (pa.default_memory_pool().backend_name, list(warnings.filters), logging.root.level, logging.root.handlers[:], locale.setlocale(locale.LC_ALL))\n"
        "assert before == after, (before, after)\n"
    )
    _runs_cleanly(code)
