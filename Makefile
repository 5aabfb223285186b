# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= sample_data

.PHONY: run test bench bench-ui browser screenshots sample-data clean

run: $(STAMP)
	NEWS_ANALYTICS_DATA="$(DATA)" $(BIN)/streamlit run dashboard.py

test: $(STAMP) browser
	$(BIN)/python -m pytest

# Re-installs only when pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Debian's Chromium for the end-to-end browser tests; they skip with the reason when it is absent.
browser:
	@bash .ci/install-chromium || true

# The README's screenshots, taken by the end-to-end browser test.
screenshots: $(STAMP) browser
	SCREENSHOT_DIR=docs/screenshots $(BIN)/python -m pytest -q tests/test_browser.py -k "every_view or clicking_a_term"
	SCREENSHOT_DIR=docs/screenshots $(BIN)/python -m pytest -q tests/present/test_report.py -k every_chart_offline
	SCREENSHOT_DIR=docs/screenshots $(BIN)/python -m pytest -q tests/test_editor_journey.py -k "monthly_review and sample"

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# The dashboard in Chromium at 100k and 1M documents (generated when /work/corpora has none);
# `make bench-ui UI_ARGS="--data FOLDER"` measures another folder.
bench-ui: $(STAMP) browser
	$(BIN)/python benchmarks/ui.py $(UI_ARGS)

sample-data: $(STAMP)
	rm -rf sample_data
	$(BIN)/python -m analytics generate sample_data --docs 2000 --seed 7 --short-bodies --odd-files

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
