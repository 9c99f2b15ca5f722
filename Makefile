# PIAK — `make run` starts the system with demo data; `make test` runs the whole suite.
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= piak.settings.dev

.PHONY: run serve test setup lint format clean panduan-gambar

$(BIN)/python:
	"$$(scripts/find-python.sh)" -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements-dev.txt pyproject.toml
	scripts/system-deps.sh
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

MO_FILES := $(patsubst %.po,%.mo,$(wildcard piak/locale/*/LC_MESSAGES/django.po))

%.mo: %.po $(VENV)/.installed
	cd piak && ../$(BIN)/piak compilemessages --verbosity 0

setup: $(VENV)/.installed $(MO_FILES)

# Every absolute link (QR codes, verification and download links, emails) is built from PIAK_PUBLIC_URL.
run: export PIAK_PUBLIC_URL ?= http://127.0.0.1:$(PORT)
run: setup
	$(BIN)/piak migrate --noinput
	$(BIN)/piak load-reference
	@test -f var/demo-city.csv || $(BIN)/piak generate --people 20000 --seed 2026 --out var/demo-city.csv
	$(BIN)/piak import var/demo-city.csv
	$(BIN)/piak sla-scan --jadwalkan
	$(BIN)/piak audit-checkpoint --jadwalkan
	$(BIN)/piak bersihkan-unggahan --jadwalkan
	$(BIN)/piak backup --jadwalkan
	$(BIN)/piak signer-init
	$(BIN)/piak demo-users
	$(BIN)/piak demo-cases
	@echo
	@echo "PIAK berjalan di $(PIAK_PUBLIC_URL)/  (hentikan dengan Ctrl+C)"
	@echo
	@$(BIN)/piak db_worker --no-reload --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/piak runserver --insecure 127.0.0.1:$(PORT)

# The production stack (PostgreSQL 15, gunicorn, worker, Caddy with its own CA) on loopback, in the
# foreground, with piak.settings.prod: https://127.0.0.1:$(HTTPS_PORT)/. DEMO=1 adds the demo city, officials and cases.
HTTPS_PORT ?= 8443
serve: setup
	HTTPS_PORT=$(HTTPS_PORT) $(BIN)/python -m piak.deploy_stack $(if $(DEMO),--demo)

test: setup
	DJANGO_SETTINGS_MODULE=piak.settings.test $(BIN)/pytest

# Screenshots of the user guide (docs/panduan/gambar/), from a throwaway demo instance in Chromium.
panduan-gambar: setup
	$(BIN)/python scripts/guide_screenshots.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache
