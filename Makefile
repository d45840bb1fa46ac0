# Marquee: `make run` serves the demo, `make test` runs lint and the test suite.
# Browser tests run when Debian's chromium is installed (.ci/run installs it) and skip otherwise.
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint format clean-venv

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py recompute_recs -v0
	@echo ""
	@echo "  Marquee is starting at http://$(HOST):$(PORT)/"
	@echo "  Demo login: demo@marquee.local / marquee-demo"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install lint
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

install: $(VENV)/.installed

# Django 6.1 needs Python 3.12+: use $PYTHON if given, else the newest python3.1x that runs
# (pyenv installs included), else python3 when it is new enough.
$(BIN)/python:
	@py=""; for cand in "$$PYTHON" python3.14 python3.13 python3.12 python3 \
	    $$(ls -d "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  [ -n "$$cand" ] || continue; \
	  if "$$cand" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then py="$$cand"; break; fi; \
	done; \
	if [ -z "$$py" ]; then \
	  echo "Marquee needs Python 3.12 or newer (Django 6.1 requires it); set PYTHON=/path/to/python3.12" >&2; exit 1; \
	fi; \
	echo "Creating $(VENV) with $$py ($$("$$py" --version))"; \
	"$$py" -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements/base.txt requirements/prod.txt requirements/dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $@

clean-venv:
	rm -rf $(VENV)
