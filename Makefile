# The two commands of the README. Both install what they need first.
PYTHON ?= python3

.PHONY: site test lint serve

site:  ## install cityprofiles and build the shipped site into build/
	PYTHON=$(PYTHON) scripts/setup.sh
	$(PYTHON) -m cityprofiles build

test:  ## install the test tools (apt + pip) and run the whole suite, browser tests included
	PYTHON=$(PYTHON) scripts/setup.sh test
	$(PYTHON) -m ruff check src tests benchmarks
	$(PYTHON) -m ruff format --check src tests benchmarks
	$(PYTHON) -m mypy
	$(PYTHON) -m pytest

serve:  ## live preview on http://127.0.0.1:8000/
	$(PYTHON) -m cityprofiles serve
