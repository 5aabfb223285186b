import subprocess
import sys

import analytics


def test_analytics_never_imports_streamlit():
    code = "import sys, analytics, analytics.cli; assert 'streamlit' not in sys.modules, 'streamlit imported'"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_public_api_is_named():
    for name in analytics.__all__:
        assert hasattr(analytics, name), name
