# The two commands of the README, `make site` and `make test`. Both install what they
# need first, at the exact versions of requirements/lock.txt. Where no virtual
# environment is active they make one in .venv/ (Debian's own Python refuses
# `pip install` outside one), so the only prerequisite is python3 with its venv
# module (Debian: apt install python3-venv; setup.sh installs it when run as root).

# The Python that makes .venv/; the one inside it does everything else.
PYTHON ?= python3
ifdef VIRTUAL_ENV
VENV := $(VIRTUAL_ENV)
else
VENV := .venv
endif
PY := $(VENV)/bin/python
LOCK := requirements/lock.txt
# What a site made by `cityprofiles init` installs in its CI: the run-time part of the lock.
STARTER_LOCK := src/cityprofiles/starter/requirements.txt
# The tool that writes the lock; pinned so that `make lock` is repeatable too.
UV := uv==0.13.9

.PHONY: site test test-latest lint serve lock

site:  ## install cityprofiles (locked) and build the shipped site into build/
	PYTHON=$(PYTHON) VENV=$(VENV) scripts/setup.sh site
	$(PY) -m cityprofiles build

test: lint  ## install the test tools (apt + locked pip) and run the whole suite, browser tests included
	$(PY) -m pytest

lint:
	PYTHON=$(PYTHON) VENV=$(VENV) scripts/setup.sh test
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m ruff format --check src tests benchmarks
	$(PY) -m mypy

test-latest:  ## the suite against the newest releases pyproject.toml allows (in .venv-latest/)
	PYTHON=$(PYTHON) VENV=.venv-latest scripts/setup.sh latest
	.venv-latest/bin/python -m pip list --format freeze
	.venv-latest/bin/python -m pytest

serve:  ## live preview on http://127.0.0.1:8000/
	PYTHON=$(PYTHON) VENV=$(VENV) scripts/setup.sh site
	$(PY) -m cityprofiles serve

lock:  ## rewrite the locks from pyproject.toml (run after changing a dependency)
	PYTHON=$(PYTHON) VENV=$(VENV) scripts/setup.sh venv
	$(PY) -m pip install -q "$(UV)"
	$(PY) -m uv pip compile -q pyproject.toml --universal --python-version 3.10 --extra test \
	  --no-header --annotation-style line -o $(LOCK)
	{ sed -n '1,/^# -- pins/p' $(STARTER_LOCK); \
	  $(PY) -m uv pip compile -q pyproject.toml --universal --python-version 3.10 \
	    -c $(LOCK) --no-header --no-annotate; } > $(STARTER_LOCK).new
	mv $(STARTER_LOCK).new $(STARTER_LOCK)
