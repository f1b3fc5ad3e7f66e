# The few commands a person needs. Each creates .venv on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install install-dev browser onnx run serve test test-fast lint format bench train dataset clean

$(VENV)/.runtime: requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	$(PIP) install -q --no-deps -e .   # the project itself (the `logclf` command), dependencies pinned above
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt requirements-ray.txt
	$(PIP) install -q -r requirements-dev.txt
	$(PIP) install -q -r requirements-ray.txt
	touch $@

# The ONNX export of the embedding model is built on first use into ONNX_DIR (default
# ~/.cache/logclf/onnx); `make onnx` builds it ahead of time. It is never in git.
install: $(VENV)/.runtime          ## runtime dependencies only
install-dev: $(VENV)/.dev          ## plus test and lint tools, and Ray (tests/test_ray.py)
onnx: install                      ## build the ONNX export of the embedding model now instead of on first use
	$(VENV)/bin/logclf export-onnx

run: install                       ## classify resources/test.csv -> resources/output.csv
	$(PY) classify.py

serve: install                     ## the API, Swagger UI and web page on http://127.0.0.1:8000
	$(VENV)/bin/logclf serve --host 127.0.0.1 --port 8000

# The browser tests drive Debian's Chromium (no browser can be downloaded by pip/playwright here).
browser:                           ## install Chromium with apt-get when it is missing (root or sudo)
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }

test: install-dev onnx browser     ## the whole test suite (installs what its tests need, Chromium included)
	$(PY) -m pytest

test-fast: install-dev             ## every test that needs no model, server or browser (under a minute)
	$(PY) -m pytest -m fast

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

dataset: install                   ## regenerate training/dataset/corpus.csv (and the business-only synthetic_logs.csv)
	$(PY) -m training.generate_dataset
	$(PY) -m training.generate_corpus

# One deterministic command: corpus -> shipped model (gates calibrated with family-grouped folds) ->
# held-out 70/30 report -> leave-family-out table. The leave-family-out table is the slow part.
train: dataset onnx                ## retrain models/log_classifier.joblib and rewrite training/reports/
	$(VENV)/bin/logclf train --backend onnx-int8 --target-precision 0.97 --output models/log_classifier.joblib
	$(VENV)/bin/logclf train --backend onnx-int8 --target-precision 0.97 --split 0.3 --seed 7 --report training/reports/holdout --output training/reports/holdout/model.joblib
	rm -f training/reports/holdout/model.joblib
	$(VENV)/bin/logclf evaluate --leave-family-out training/dataset/corpus.csv --backend onnx-int8 --target-precision 0.97 --levels both > training/reports/leave_family_out.txt
	cat training/reports/leave_family_out.txt

bench: install-dev onnx            ## benchmarks -> bench/results/
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
