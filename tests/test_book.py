"""The book builds strictly, offline, and shows no solution code and no hidden test."""

import re
from html import unescape

import pytest
from notebooks import ROOT, assignments, secret_lines

from rnnkit import WHEEL

EXERCISE_LINK = re.compile(r"\{download\}`[^`]*<\.\./exercises/(\w+)/\1\.ipynb>`")
CHAPTERS_WITH_EXERCISES = {
    page.stem: EXERCISE_LINK.findall(page.read_text())
    for page in sorted((ROOT / "book").glob("*.md"))
    if EXERCISE_LINK.search(page.read_text())
}
RESOURCE = re.compile(r'<(script|link|img|iframe|source)\b[^>]*?\b(src|href)="([^"]*)"', re.I)


@pytest.fixture
def html(built_book):
    """The HTML of the book, built once per test run (tests/conftest.py)."""
    return built_book


def pages(html):
    return sorted(html.rglob("*.html"))


@pytest.mark.slow
def test_every_chapter_of_the_toc_is_built(html):
    toc = (ROOT / "_toc.yml").read_text()
    for entry in re.findall(r"(?:root|file): (\S+)", toc):
        assert (html / f"{entry}.html").is_file(), entry


@pytest.mark.slow
def test_no_page_loads_anything_from_another_host(html):
    for page in pages(html):
        for tag, _, url in RESOURCE.findall(page.read_text()):
            assert not re.match(r"(https?:)?//", url), f"{page.name}: <{tag}> loads {url}"


@pytest.mark.slow
def test_math_is_typeset_by_the_mathjax_served_with_the_book(html):
    page = (html / "book" / "bptt.html").read_text()
    scripts = [url for tag, _, url in RESOURCE.findall(page) if "mathjax" in url.lower()]
    assert scripts and all(url.startswith("../_static/mathjax/") for url in scripts), scripts
    assert (html / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert (html / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").is_dir()


@pytest.mark.slow
def test_each_chapter_links_its_exercise_notebook(html):
    assert {"rnn", "bptt"} <= set(CHAPTERS_WITH_EXERCISES)
    linked = set().union(*CHAPTERS_WITH_EXERCISES.values())
    assert linked == set(assignments()), "every assignment is linked from a chapter"
    for chapter, linked_here in CHAPTERS_WITH_EXERCISES.items():
        page = (html / "book" / f"{chapter}.html").read_text()
        for assignment in linked_here:
            links = re.findall(rf'href="([^"]*{assignment}\.ipynb)"', page)
            assert links, f"{chapter} does not link exercises/{assignment}"
            for link in links:
                assert (html / "book" / link).resolve().is_file(), link


@pytest.mark.slow
def test_no_solution_code_or_hidden_test_reaches_the_book(html):
    secrets = set().union(*(secret_lines(a) for a in assignments()))
    assert secrets
    for path in html.rglob("*"):
        if path.suffix not in (".html", ".ipynb", ".txt", ".md", ".js") or "mathjax" in path.parts:
            continue
        text = path.read_text(errors="replace")
        text = re.sub(r"<[^>]+>", "", text).replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, path
        assert "autograder.hidden" not in text, path
        leaked = [line for line in secrets if line in text]
        assert not leaked, f"{path}: {leaked[:3]}"


@pytest.mark.slow
def test_figures_are_drawn_at_build_time(html):
    assert len(list((html / "_images").glob("*.png"))) >= 5
    assert "execute_notebooks: force" in (ROOT / "_config.yml").read_text()


@pytest.mark.fast
def test_chapters_are_markdown_notebooks_without_outputs():
    for source in (ROOT / "book").glob("*.md"):
        text = source.read_text()
        if "```{code-cell}" in text:
            assert text.startswith("---\njupytext:"), f"{source.name}: code cells need the jupytext header to run"
    assert not list((ROOT / "book").glob("*.ipynb"))


@pytest.mark.slow
def test_the_site_holds_the_student_wheel_and_the_setup_page_links_it(html):
    assert (html / WHEEL).is_file(), "book/wheel_links.py builds rnnkit's wheel into every build"
    assert f'href="../{WHEEL}"' in (html / "book" / "setup.html").read_text()


# What MyST or reStructuredText leaves in a page's text when it did not render: a directive's fence, a role
# before its backquoted text, a directive's option line.
UNRENDERED = re.compile(
    r"(?:```|:::)\{[\w-]+\}|\{[a-z][\w:-]*\}`|^\s*:(?:header-rows|name|label|tags|widths|align|class):",
    re.M,
)


def page_text(page):
    """The text a reader sees on a page: the HTML without its tags, scripts, styles and code blocks."""
    html = re.sub(r"<(script|style|pre|code)\b.*?</\1>", " ", page.read_text(), flags=re.S | re.I)
    return unescape(re.sub(r"<[^>]+>", "\n", html))


@pytest.mark.slow
def test_no_page_shows_myst_or_rst_that_did_not_render(html):
    raw = {p.name: UNRENDERED.findall(page_text(p))[:3] for p in pages(html)}
    assert not {name: found for name, found in raw.items() if found}
