# Shpalta — the two commands a newcomer runs on a fresh Debian machine:
#   make demo   installs what it needs, builds, serves the demo newspaper at http://127.0.0.1:8080
#   make test   installs what it needs, starts what it needs, runs every test
SHELL := /bin/bash
.DEFAULT_GOAL := help

SHARED   ?= ../shared
PORT     ?= 8080
DATA     ?= data
SUDO     := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
DEMO_N   ?= 3000
DEMO_END ?= 2026-01-22
APT_PACKAGES := postgresql postgresql-contrib postgresql-common chromium chromium-driver python3-selenium \
	python3-venv python3-feedparser python3-extruct wrk nginx-light openssl imagemagick sqlite3 curl libhunspell-dev hunspell-uk libvips-dev libxml2-dev pkg-config time

PREFIX   ?= /usr/local
CONFIG   ?= release

.PHONY: help deps build release demo install test test-bench test-swift test-install test-deploy test-replica test-e2e lint format bench bench-postgres soak corpus clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

deps: ## install the Debian packages the project needs (apt-get, as root or with sudo)
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing:" $$missing; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

build: deps ## debug build
	swift build

release: deps ## optimised build (for benchmarks and production)
	swift build -c release

.venv/done: $(SHARED)/corpus/requirements.txt
	python3 -m venv .venv
	.venv/bin/pip install -q -r $(SHARED)/corpus/requirements.txt || echo "ua-gec unavailable: the corpus uses its small built-in vocabulary"
	touch $@

$(DATA)/corpus-$(DEMO_N)/corpus.jsonl: .venv/done
	mkdir -p $(DATA)/corpus-$(DEMO_N)
	.venv/bin/python $(SHARED)/corpus/make_corpus.py --n $(DEMO_N) --end $(DEMO_END) --out $(DATA)/corpus-$(DEMO_N)

corpus: $(DATA)/corpus-$(DEMO_N)/corpus.jsonl ## generate the demo corpus

demo: build corpus ## build and serve the demo newspaper at http://127.0.0.1:8080
	.build/debug/shpalta serve --port $(PORT) --database $(DATA)/demo.sqlite --media-dir $(DATA)/media \
		--demo --demo-corpus $(DATA)/corpus-$(DEMO_N)/corpus.jsonl

lint: ## check formatting (swift format lint --strict)
	swift format lint --strict --recursive Package.swift Sources Tests

format: ## format the code in place
	swift format --in-place --recursive Package.swift Sources Tests

install: deps ## build (CONFIG=release) and install the binary with its theme and demo in PREFIX (/usr/local), and a systemd unit
	swift build -c $(CONFIG) --product shpalta
	$(eval BIN := $(shell swift build -c $(CONFIG) --show-bin-path))
	install -d $(DESTDIR)$(PREFIX)/lib/shpalta $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/systemd/system
	install -m 755 $(BIN)/shpalta $(DESTDIR)$(PREFIX)/lib/shpalta/shpalta
	rm -rf $(DESTDIR)$(PREFIX)/lib/shpalta/Themes $(DESTDIR)$(PREFIX)/lib/shpalta/Demo $(DESTDIR)$(PREFIX)/lib/shpalta/*.resources
	cp -R Themes Demo $(BIN)/*.resources $(DESTDIR)$(PREFIX)/lib/shpalta/
	ln -sfn ../lib/shpalta/shpalta $(DESTDIR)$(PREFIX)/bin/shpalta
	sed 's|@PREFIX@|$(PREFIX)|g' deploy/shpalta.service > $(DESTDIR)$(PREFIX)/lib/systemd/system/shpalta.service
	@echo "Installed $(PREFIX)/bin/shpalta; the unit is $(PREFIX)/lib/systemd/system/shpalta.service (docs/DEPLOYMENT.md)."

test: deps lint test-bench test-swift test-install test-deploy test-replica test-e2e ## every test: Swift suites on SQLite and PostgreSQL, the installed binary alone and as two nodes behind nginx, a read replica, then browser tests

test-bench: ## the benchmark's own tests (wrk output, the report, the targets; no server needed), and the test runner's
	/usr/bin/python3 bench/bench.py --self-test
	/usr/bin/python3 tests/swift/phases.py --self-test

test-swift: deps ## Swift tests; the PostgreSQL suites run in a throw-away cluster (pg_virtualenv)
	swift build --build-tests
	swift build --product shpalta
	# tests/swift/phases.py runs the suites in phases, each under a time limit; the suites with time checks (slow clients,
	# an import seen within a second, a scheduled story on time, CDN purges, webhooks, and, on their own, live servers
	# under floods of sign-ins and uploads, and two nodes over one database) run alone after the rest, on both engines,
	# so that they measure the server, not the other suites sharing two cores. A phase that hangs is stopped, and the
	# tests still running are named last.
	pg_virtualenv -o max_connections=400 /usr/bin/python3 tests/swift/phases.py; status=$$?; \
		if [ -s .build/tests-unfinished.txt ]; then cat .build/tests-unfinished.txt; fi; exit $$status

test-install: ## install into a temporary prefix and serve the demo from an empty folder through the installed binary
	tests/install/run.sh

test-replica: deps ## a node over a PostgreSQL primary and a streaming standby (pg_basebackup): readers' pages from the standby only while it has caught up
	swift build --product shpalta
	pg_virtualenv tests/replica/run.sh

test-deploy: deps ## docs/DEPLOYMENT.md tried: two installed nodes over a throw-away PostgreSQL behind nginx with TLS, configured from the guide
	pg_virtualenv tests/deploy/run.sh

.venv/api-tools:
	python3 -m venv .venv
	.venv/bin/pip install -q schemathesis==4.32.5 openapi-spec-validator==0.9.0 axe-core-python==0.1.0
	touch $@

test-e2e: build .venv/api-tools ## browser tests (Selenium + Debian chromium) and the API's contract (schemathesis) against a real server
	/usr/bin/python3 tests/e2e/run.py

bench: deps ## wrk benchmarks: pages of a 20,000-article corpus over SQLite and PostgreSQL (page cache on and off) vs nginx, search on 100,000 articles over SQLite and PostgreSQL, and the targets
	/usr/bin/python3 bench/bench.py

soak: release corpus ## the server for 30 minutes at 80% of its measured capacity: errors (target 0) and RSS growth (target under 10%); SOAK_MINUTES, SOAK_LOAD
	/usr/bin/python3 bench/soak.py

bench-postgres: deps ## the 20,000-article benchmarks, search and pages over PostgreSQL in a throw-away cluster, no 100k corpus
	pg_virtualenv sh -c 'BENCH_POSTGRES="postgres://$$PGUSER:$$PGPASSWORD@$$PGHOST:$$PGPORT/$$PGDATABASE" BENCH_SEARCH_N=0 /usr/bin/python3 bench/bench.py'

clean: ## remove build output and local data
	rm -rf .build $(DATA) .venv
