# Two commands a newcomer needs: `make repro` and `make test`. Both set themselves up.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: setup repro test lint format docs ui plots browser-deps clean-venv

setup: $(STAMP)

# torch is installed first and pinned: an unpinned torch pulls a multi-GB CUDA build.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[dev]'
	touch $@

repro: setup
	dvc repro

test: setup lint browser-deps
	pytest

# The MLflow UI test drives Debian's chromium; without it that one test skips, saying why.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO="sudo -n"; fi; \
	  echo "installing Debian's chromium for the browser test"; \
	  ($$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium) \
	    >/dev/null 2>&1 || echo "chromium could not be installed: the browser test will be skipped"; }

lint: setup
	ruff check .
	ruff format --check .

format: setup
	ruff check --fix .
	ruff format .

docs: setup
	python -m pipeline.params_doc

# The DVC plots page, readable offline: .dvc/config's template loads Vega from plots/vendor.
plots: setup
	dvc plots show
	@echo "open plots/page/index.html"

# Prints the runs list's address in the model-training view with the headline columns.
ui: setup
	$(BIN)/python -m pipeline.tracking.ui_address $${PORT:-5000}
	mlflow ui --backend-store-uri $${MLFLOW_TRACKING_URI:-sqlite:///$(CURDIR)/mlflow.db} --host 127.0.0.1 --port $${PORT:-5000}

clean-venv:
	rm -rf $(VENV)
