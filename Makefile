# santa-videos: `make demo` renders three sample orders offline; `make test` runs the suite; `make dev` opens the UI.
SHELL := /bin/bash
VENV ?= .venv
PYTHON ?= python3.11
BIN := $(VENV)/bin

export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export SANTA_DATA_DIR ?= $(DAGSTER_HOME)/santa
export SANTA_MAX_CONCURRENT_RUNS ?= 2
export MAX_JOB_ATTEMPTS ?= 3

# The Noto fonts draw every script a name may be written in (and emoji); libfribidi0 orders right-to-left text.
APT_PACKAGES := ffmpeg espeak-ng fonts-dejavu-core fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji libfribidi0 \
	chromium
# More than one machine (`make cluster-demo`, the cluster drills): the broker and the database server.
CLUSTER_APT_PACKAGES := redis-server postgresql

.PHONY: demo cluster-demo dev test test-fast bench system-deps cluster-deps venv instance clean

demo: system-deps venv instance
	$(BIN)/santa-videos demo --workspace workspace.yaml

# Two worker hosts on this machine (own data and temp folders, shared PostgreSQL, Redis and S3 server) render nine
# orders; prints each order's host, seconds to delivery and video key; stops everything it started.
cluster-demo: system-deps cluster-deps venv
	$(BIN)/python -m santa_videos.cluster.demo

# USE_JSON_LOGGING=true: the daemon and webserver log JSON lines too (run workers follow it on their own).
DAGSTER_LOG_ARGS = --log-format $(if $(filter true TRUE True 1 yes,$(USE_JSON_LOGGING)),json,colored) \
	--log-level $(shell echo $(or $(LOG_LEVEL),info) | tr A-Z a-z)

dev: system-deps venv instance
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000 $(DAGSTER_LOG_ARGS)

# The tests run side by side (pytest-xdist): most of a test's time is spent waiting on a daemon, a server or a
# browser, so there are more workers than cores. Tests sharing a module's fixture stay on one worker (conftest.py);
# each test has its own ports, folders and databases. TEST_WORKERS=0 runs them one after another in this process.
TEST_WORKERS ?= 4
TEST_FAST_WORKERS ?= 2
test: system-deps cluster-deps venv
	$(BIN)/pytest santa_videos_tests -n $(TEST_WORKERS) --dist loadgroup

# The edit-test loop: the unit tier and one end-to-end render on SQLite through a real daemon (pytest.ini, -m fast).
test-fast: system-deps venv
	$(BIN)/pytest santa_videos_tests -m fast -n $(TEST_FAST_WORKERS) --dist loadgroup

# Media floor vs the full Dagster path, intake at scale, idle cost, memory; prints a table, writes
# bench/results/latest.json. `make bench BENCH_N=4 BENCH_QUICK=1` takes a few minutes; BENCH_STORAGE=postgres runs
# it all on fresh PostgreSQL databases (127.0.0.1:5432).
BENCH_N ?= 12
BENCH_STORAGE ?= sqlite
bench: system-deps venv
	$(BIN)/python -m bench.run --n $(BENCH_N) --storage $(BENCH_STORAGE) $(if $(BENCH_QUICK),--quick)

# Debian packages, installed only when one is missing: the media steps need the first list, the cluster the second.
define apt_install
	@missing=""; \
	for pkg in $(1); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
endef

system-deps:
	$(call apt_install,$(APT_PACKAGES))

cluster-deps:
	$(call apt_install,$(CLUSTER_APT_PACKAGES))

venv: $(VENV)/.installed

$(VENV)/.installed: setup.py
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required (python 3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# The instance the santa-videos command finds from this folder. `dagster instance migrate` draws a progress bar
# on stderr: its output is shown only when it fails.
instance:
	mkdir -p $(DAGSTER_HOME)
	ln -sf $(CURDIR)/dagster.yaml $(DAGSTER_HOME)/dagster.yaml
	@out=$$($(BIN)/dagster instance migrate 2>&1) || { echo "$$out" >&2; exit 1; }

clean:
	rm -rf $(DAGSTER_HOME)
