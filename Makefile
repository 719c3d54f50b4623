# The two commands of the README. Each sets up .venv and MathJax first (skipped when up to date).
.PHONY: setup book test

setup:
	bash scripts/setup.sh

book: setup
	.venv/bin/jupyter-book build . --all -W -n --keep-going

test: setup
	bash scripts/test.sh
