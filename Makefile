# The two commands of the README: `make demo` and `make test`. Both run `make setup` first.
.PHONY: setup demo test lint bench stop

export PATH := $(HOME)/.local/bin:$(PATH)

setup:
	@bash scripts/setup.sh

demo: setup
	uv run --frozen wangge demo

test: setup
	uv run --frozen pytest -n 2 --dist loadfile

lint:
	uv run --frozen ruff check . && uv run --frozen ruff format --check .

bench: setup
	uv run --frozen python -m bench.run_all

stop:
	uv run --frozen wangge db down
