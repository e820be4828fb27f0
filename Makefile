# Two commands do all the set-up: `make report` and `make test` (see README.md).
# Each creates .venv from the pinned requirements when it is missing or out of date.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Same inputs, same bytes: hash order and dates must not vary between builds.
export PYTHONHASHSEED := 0
export SOURCE_DATE_EPOCH := 1104537600

.PHONY: help venv report data compare validate forms status test bench bench-incremental bench-scale corpus sample clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

venv: $(STAMP) ## create .venv with the pinned packages

report: $(STAMP) ## build processed tables and HTML reports for every year in data/raw (only what changed)
	$(PY) -m analysis build

data: $(STAMP) ## build the processed tables only, no reports
	$(PY) -m analysis build --no-reports

compare: $(STAMP) ## the later year's report compared with an earlier one: make compare A=2004 B=2001
	@test -n "$(A)" -a -n "$(B)" || { echo "usage: make compare A=2004 B=2001" >&2; exit 2; }
	$(PY) -m analysis compare $(A) $(B)

validate: $(STAMP) ## check the returns and list every problem; writes nothing
	$(PY) -m analysis validate

forms: $(STAMP) ## the form each unit is sent, prefilled, and a blank one: make forms YEAR=2005
	@test -n "$(YEAR)" || { echo "usage: make forms YEAR=2005" >&2; exit 2; }
	$(PY) -m analysis forms $(YEAR)

status: $(STAMP) ## who has returned the form and who is still missing: make status YEAR=2005
	@test -n "$(YEAR)" || { echo "usage: make status YEAR=2005" >&2; exit 2; }
	$(PY) -m analysis status $(YEAR)

test: $(STAMP) ## run the test suite and ruff
	$(PY) -m ruff check .
	$(PY) -m pytest

bench: $(STAMP) ## time the build against the floor (benchmarks/build.py)
	$(PY) benchmarks/build.py

bench-incremental: $(STAMP) ## full build, no-op rebuild and one changed return on 20 generated years
	$(PY) benchmarks/incremental.py

bench-scale: $(STAMP) ## data stage at 10,000 to 1,000,000 units, and a 20,000-unit report
	$(PY) benchmarks/scale.py

corpus: $(STAMP) ## regenerate the messy-returns test corpus under tests/corpus
	$(PY) scripts/make_messy_corpus.py

sample: $(STAMP) ## regenerate the shipped sample returns in data/raw (deterministic)
	$(PY) scripts/make_sample_data.py

clean: ## remove build outputs (never data/raw)
	find data/processed reports -mindepth 1 ! -name README.md -exec rm -rf {} +
