# Taksi developer entry points. Every target is unattended (no prompts).
#   make run        set up everything that is missing and serve on http://127.0.0.1:8000
#   make test       the same set-up (plus chromium), then pytest
#   make lint       ruff check .
#   make stop-db    stop the embedded PostGIS cluster (data kept)
#   make clean-db   stop and DELETE the embedded PostGIS cluster
#   make bench      benchmark against tipg and a floor server (docs/performance.md)
#   make lock       re-resolve dependencies into constraints.txt (Python 3.12)
# Environment: see .env.example (PORT, HOST, TAKSI_PG_PORT, DATABASE_URL, PYTHON...).

SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help run test bench lint venv start-db stop-db clean-db psql createsuperuser lock

help:
	@sed -n '2,9p' Makefile | sed 's/^# \{0,1\}//'

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

bench:
	@bash scripts/bench.sh

lint: venv
	.venv/bin/ruff check .

venv:
	@bash -c '. scripts/lib.sh && ensure_venv'

start-db:
	@bash scripts/db.sh start

stop-db:
	@bash scripts/db.sh stop

clean-db:
	@bash scripts/db.sh clean

psql:
	@bash scripts/db.sh psql

createsuperuser:
	@bash scripts/manage.sh createsuperuser

lock:
	@bash scripts/lock.sh
