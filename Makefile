# The commands of the README. Each sets up .venv and MathJax first (skipped when up to date).
.PHONY: setup book test test-fast wheel publish

setup:
	bash scripts/setup.sh

book: setup
	.venv/bin/jupyter-book build . --all -W -n --keep-going
	.venv/bin/python scripts/publish.py --stamp _build/html

# Every tier (tests/conftest.py: fast, plumbing, slow), the slow one in parallel with the others.
test: setup
	bash scripts/test.sh

# The fast tier alone: every in-process test (hidden checks on every mutant, derivations, library, layout, style).
test-fast: setup
	bash scripts/test.sh -m fast

# The student package's wheel, dist/rnnkit-<version>-py3-none-any.whl (every book build also puts it in the site).
wheel: setup
	.venv/bin/python scripts/build_wheel.py dist

# The course as students get it, public/: the site, the student notebooks and the wheel; upload it as it is.
# A site that make book built from the sources as they are now is reused, not built again.
publish: setup
	.venv/bin/python scripts/publish.py --fresh _build/html || $(MAKE) book
	.venv/bin/python scripts/publish.py _build/html public
