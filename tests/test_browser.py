"""The built book in a real browser, as readers get it: from file:// and from a static server, offline.

Headless Chromium (Debian's package, installed by scripts/setup.sh) opens every page of the book that
tests/conftest.py builds. Every page must load without a console error or a failed request, with its
math typeset by the MathJax served with the book, every image loaded and every internal link resolved.
No request may leave the machine: the test's own server listens on 127.0.0.1, a route aborts and records
any page request to another host, and everything else Chromium sends goes to a recording proxy that
answers nothing. Screenshots of the chapters go to test-artifacts/screenshots/ for a person to look at.
"""

import functools
import http.server
import json
import re
import socketserver
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from notebooks import ROOT, assignments
from playwright.sync_api import sync_playwright

from rnnkit import WHEEL

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
LOOPBACK = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
# Run as root, Chromium needs --no-sandbox. The other flags keep it from calling Google's hosts.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Chromium 156 still checks for an update of a component (its on-device model manifest) and
    # lists Google accounts at start: send both to a closed port of the loopback (9, discard).
    "--component-updater=url-source=http://127.0.0.1:9/",
    "--gaia-url=http://127.0.0.1:9",
    # No name is resolved but the loopback's, so not even a DNS query leaves the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]
# MathJax leaves TeX it cannot parse as text, and shows an undefined macro as its name in red.
MATH = r"""() => {
    const math = Array.from(document.querySelectorAll("div.math, span.math"));
    const undefinedMacros = Array.from(document.querySelectorAll("mjx-assistive-mml mtext[mathcolor=red]"))
        .filter((text) => text.textContent.startsWith("\\"));
    return {
        math: math.length,
        typeset: math.filter((m) => m.querySelector("mjx-container")).length,
        errors: document.querySelectorAll("mjx-merror").length + undefinedMacros.length,
    };
}"""
IMAGES = """() => Promise.all(Array.from(document.images, async (img) => {
    try { await img.decode(); } catch (error) {}
    return [img.getAttribute("src"), img.complete && img.naturalWidth > 0];
}))"""
# At the window's width: how far the page scrolls sideways, and the display equations wider than their box that
# cannot be scrolled inside it (cut off).
OVERFLOW = """() => ({
    page: document.documentElement.scrollWidth - window.innerWidth,
    cut: Array.from(document.querySelectorAll('mjx-container[display="true"]'))
        .filter((m) => m.scrollWidth > m.clientWidth + 1 && !['auto', 'scroll'].includes(getComputedStyle(m).overflowX))
        .map((m) => m.getAttribute('aria-label') || m.textContent.slice(0, 60)),
})"""
WIDTHS = (1280, 390)  # a laptop's window, a phone's

STRUCTURE = """() => ({
    links: Array.from(document.querySelectorAll("a[href]"), (a) => a.href),
    sections: Array.from(document.querySelectorAll("article section > h2"), (h) => {
        const heading = h.cloneNode(true);
        heading.querySelectorAll(".headerlink").forEach((link) => link.remove());
        return heading.textContent.trim();
    }),
    equations: Array.from(document.querySelectorAll("article div.math"), (m) => m.id),
    figures: Array.from(document.querySelectorAll("article figure"),
        (f) => [f.id, f.querySelector(".caption-number") !== null]),
})"""


@dataclass
class Visit:
    """What the browser saw on one page."""

    url: str
    console_errors: list = field(default_factory=list)
    failed_requests: list = field(default_factory=list)
    math: dict = field(default_factory=dict)
    images: list = field(default_factory=list)
    links: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    equations: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    downloads: dict = field(default_factory=dict)  # file name -> notebook its button gave
    overflow: dict = field(default_factory=dict)  # window width -> what is wider than the window or cut off


@dataclass
class Browsing:
    """Every page of the site, opened from one base URL (file:// or the static server)."""

    base: str
    visits: dict  # page (Path of the built site) -> Visit
    outside: list  # URLs of page requests to other hosts, aborted


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Recorder(socketserver.BaseRequestHandler):
    """A proxy that answers nothing: it records the first line of each request and hangs up."""

    def handle(self):
        line = self.request.makefile("rb").readline(2048).decode("latin-1").strip()
        if line:
            self.server.requests.append(line)


class RecordingProxy(socketserver.ThreadingTCPServer):
    daemon_threads = True
    block_on_close = False


def serve(server):
    """Start a server on a thread; the caller shuts it down."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="module")
def site(built_book):
    """The book served by a plain static server on 127.0.0.1 (a free port); its base URL."""
    handler = functools.partial(QuietHandler, directory=str(built_book))
    server = serve(http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler))
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def proxy():
    """The recording proxy, which gets every request Chromium sends to a host but the loopback."""
    server = serve(RecordingProxy(("127.0.0.1", 0), Recorder))
    server.requests = []
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(proxy):
    assert CHROMIUM.is_file(), f"{CHROMIUM} is missing: run scripts/setup.sh (it installs Debian's chromium)"
    # Chromium sends the loopback directly and everything else to the proxy; Playwright's launch
    # starts it with a new, empty profile (--user-data-dir in a temporary folder).
    flags = [*CHROMIUM_FLAGS, f"--proxy-server=http://127.0.0.1:{proxy.server_address[1]}"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=flags)
        yield browser
        browser.close()


def pages(html):
    """Every page of the built site: the HTML files but the theme's templates in _static/."""
    return sorted(p for p in html.rglob("*.html") if "_static" not in p.relative_to(html).parts)


def chapters(html):
    """The pages of the table of contents."""
    return sorted((html / "book").glob("*.html"))


def redirect_target(page):
    """Where a page that only redirects (index.html) sends the reader, or None."""
    found = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"', page.read_text(), re.I)
    return found and found.group(1)


def open_page(context, url, visit):
    """A new tab that records the console errors and failed requests of its page into visit."""
    tab = context.new_page()
    tab.on("console", lambda message: message.type == "error" and visit.console_errors.append(message.text))
    tab.on("pageerror", lambda error: visit.console_errors.append(f"uncaught: {error}"))
    tab.on("requestfailed", lambda request: visit.failed_requests.append(f"{request.url}: {request.failure}"))
    tab.on(
        "response",
        lambda response: response.status >= 400 and visit.failed_requests.append(f"{response.url}: {response.status}"),
    )
    tab.goto(url, wait_until="load")
    return tab


def press_download_buttons(tab):
    """file name -> the notebook (parsed) that each download button of the page gives the reader.

    From a server the button downloads the file. From file:// Chromium ignores the link's download
    attribute (each file is an origin of its own) and opens the notebook instead, for the reader to save.
    """
    found = {}
    buttons = tab.locator("a.reference.download:not(.wheel)")  # the wheel's button: test_the_wheel_button_...
    count = buttons.count()
    for n in range(count):
        if urlsplit(tab.url).scheme == "file":
            with tab.expect_navigation():
                buttons.nth(n).click()
            found[Path(urlsplit(tab.url).path).name] = json.loads(tab.evaluate("() => document.body.innerText"))
            if n + 1 < count:
                tab.go_back()
        else:
            with tab.expect_download() as started:
                buttons.nth(n).click()
            found[started.value.suggested_filename] = json.loads(Path(started.value.path()).read_text())
    return found


def visit_page(context, html, base, page, screenshot=None):
    """What the browser sees on one page of the site; a full-page screenshot to the path screenshot."""
    url = base + page.relative_to(html).as_posix()
    visit = Visit(url)
    tab = open_page(context, url, visit)
    target = redirect_target(page)
    if target:
        tab.wait_for_url(re.compile(re.escape(target) + "$"))
        tab.wait_for_load_state("load")
    tab.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise")  # typeset
    visit.math = tab.evaluate(MATH)
    visit.images = tab.evaluate(IMAGES)
    structure = tab.evaluate(STRUCTURE)
    visit.links, visit.sections = structure["links"], structure["sections"]
    visit.equations, visit.figures = structure["equations"], structure["figures"]
    if screenshot:
        tab.screenshot(path=screenshot, full_page=True)
    for width in WIDTHS:
        tab.set_viewport_size({"width": width, "height": 900})
        visit.overflow[width] = tab.evaluate(OVERFLOW)
    tab.set_viewport_size({"width": WIDTHS[0], "height": 900})
    visit.downloads = press_download_buttons(tab)
    tab.close()
    return visit


def new_context(browser, outside_requests):
    """A browser context that aborts, and lists in outside_requests, every page request to another host."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(20_000)

    def guard(route):
        parts = urlsplit(route.request.url)
        if parts.scheme in LOCAL_SCHEMES or parts.hostname in LOOPBACK:
            route.continue_()
        else:
            outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return context


@pytest.fixture(scope="module")
def browsings(built_book, site, browser):
    """mode -> Browsing: every page of the site opened from file:// and from the static server.

    The full-page screenshots of the chapters, in test-artifacts/screenshots/, are taken from the server.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    found = {}
    for mode, base in (("file", built_book.as_uri() + "/"), ("http", site)):
        outside = []
        context = new_context(browser, outside)
        visits = {}
        for page in pages(built_book):
            shot = SCREENSHOTS / f"{page.stem}.png" if mode == "http" and page in chapters(built_book) else None
            visits[page] = visit_page(context, built_book, base, page, shot)
        context.close()
        found[mode] = Browsing(base, visits, outside)
    return found


@pytest.fixture(params=["file", "http"])
def browsing(request, browsings):
    """Every page of the site, opened from file:// or from the static server."""
    return browsings[request.param]


def local_path(url, html, base):
    """The file of the built site that a URL of the site points to, or None for another site."""
    parts = urlsplit(url)
    if base.startswith("http"):
        if f"{parts.scheme}://{parts.netloc}/" != base:
            return None
        path = html / unquote(parts.path).lstrip("/")
    elif parts.scheme == "file":
        path = Path(unquote(parts.path))
    else:
        return None
    return path / "index.html" if path.is_dir() else path


@functools.cache
def ids_of(path):
    return set(re.findall(r'\bid="([^"]+)"', path.read_text()))


def test_every_page_of_the_table_of_contents_is_visited(browsing, built_book):
    toc = (ROOT / "_toc.yml").read_text()
    for entry in re.findall(r"(?:root|file): (\S+)", toc):
        assert built_book / f"{entry}.html" in browsing.visits, entry
    assert built_book / "search.html" in browsing.visits and built_book / "index.html" in browsing.visits


def test_no_page_logs_a_console_error(browsing):
    errors = {visit.url: visit.console_errors for visit in browsing.visits.values() if visit.console_errors}
    assert not errors, errors


def test_no_request_fails(browsing):
    failed = {visit.url: visit.failed_requests for visit in browsing.visits.values() if visit.failed_requests}
    assert not failed, failed


def test_no_request_leaves_the_machine(browsing, proxy):
    assert not browsing.outside, f"pages asked other hosts for {browsing.outside}"
    assert not proxy.requests, f"Chromium sent requests off the machine: {proxy.requests}"


def test_math_is_typeset_on_every_page_with_math(browsing):
    with_math = [(page, visit) for page, visit in browsing.visits.items() if 'class="math' in page.read_text()]
    assert len(with_math) >= 3
    for _, visit in with_math:
        counts = visit.math
        assert counts["math"] > 0, f"{visit.url}: no math in the browser"
        assert counts["typeset"] == counts["math"], f"{visit.url}: math left untypeset, {counts}"
        assert counts["errors"] == 0, f"{visit.url}: MathJax could not typeset {counts['errors']} formulas"


def test_every_image_loads(browsing):
    assert sum(len(visit.images) for visit in browsing.visits.values()) >= 5, "the chapters' figures"
    broken = {visit.url: [src for src, ok in visit.images if not ok] for visit in browsing.visits.values()}
    assert not any(broken.values()), broken


def test_every_internal_link_resolves(browsing, built_book):
    broken = []
    for visit in browsing.visits.values():
        for link in visit.links:
            target = local_path(link, built_book, browsing.base)
            if target is None:
                continue
            fragment = unquote(urlsplit(link).fragment)
            if built_book not in target.parents or not target.is_file():
                broken.append(f"{visit.url} -> {link}: no such file in the site")
            elif fragment and target.suffix == ".html" and fragment not in ids_of(target):
                broken.append(f"{visit.url} -> {link}: no #{fragment} there")
    assert not broken, "\n".join(broken)


def test_each_download_button_gives_the_exercise_notebook(browsing):
    given = {}
    for visit in browsing.visits.values():
        given.update(visit.downloads)
    assert set(given) == {f"{a}.ipynb" for a in assignments()}, "every exercise notebook has a download button"
    for name, notebook in given.items():
        exercise = ROOT / "exercises" / Path(name).stem / name
        assert notebook == json.loads(exercise.read_text()), f"{name} is not {exercise}"


def test_each_chapter_with_an_exercise_has_the_sections_of_a_chapter(browsing):
    with_exercises = [visit for visit in browsing.visits.values() if visit.downloads]
    assert with_exercises
    for visit in with_exercises:
        sections = visit.sections
        assert sections[:1] == ["What you will learn"], f"{visit.url} starts with {sections[:1]}"
        assert sections[-3:] == ["Summary", "Exercises", "References"], f"{visit.url} ends with {sections[-3:]}"


def test_every_equation_and_figure_is_numbered_and_referred_to(browsing):
    visits = browsing.visits.values()
    referred = {urlsplit(link).fragment for visit in visits for link in visit.links}
    for visit in visits:
        unlabelled = [n for n, label in enumerate(visit.equations, 1) if not label]
        assert not unlabelled, f"{visit.url}: displayed equations without a label (the {unlabelled}th)"
        never = [label for label in visit.equations if label not in referred]
        assert not never, f"{visit.url}: equations never referred to: {never}"
        for label, numbered in visit.figures:
            assert label and numbered, f"{visit.url}: a figure without a label or a number ({label})"
            assert label in referred, f"{visit.url}: figure {label} is never referred to"


@pytest.mark.parametrize("mode", ["file", "http"])
def test_search_finds_the_chapters(mode, browser, built_book, site, proxy):
    base = built_book.as_uri() + "/" if mode == "file" else site
    visit = Visit(f"{base}search.html?q=gradient")
    outside = []
    context = new_context(browser, outside)
    tab = open_page(context, visit.url, visit)
    tab.wait_for_selector("#search-results p.search-summary")
    tab.wait_for_load_state("networkidle")
    found = tab.evaluate("() => Array.from(document.querySelectorAll('#search-results li a'), (a) => a.href)")
    context.close()
    assert any(urlsplit(url).path.endswith("book/bptt.html") for url in found), found
    assert not visit.console_errors and not visit.failed_requests, visit
    assert not outside and not proxy.requests, (outside, proxy.requests)


def test_screenshots_of_every_chapter_are_saved(browsings, built_book):
    shots = sorted(SCREENSHOTS.glob("*.png"))
    assert [shot.stem for shot in shots] == [chapter.stem for chapter in chapters(built_book)]
    for shot in shots:
        assert shot.stat().st_size > 10_000, f"{shot} looks empty"


def test_the_setup_page_and_every_notebook_button_link_the_wheel(browsing, built_book):
    wheel, setup = built_book / WHEEL, built_book / "book" / "setup.html"
    assert wheel.is_file(), "the book's build puts the wheel at the site's root"
    assert wheel in {local_path(link, built_book, browsing.base) for link in browsing.visits[setup].links}
    with_buttons = [visit for visit in browsing.visits.values() if visit.downloads]
    assert with_buttons
    for visit in with_buttons:
        targets = {local_path(link, built_book, browsing.base) for link in visit.links}
        assert {wheel, setup} <= targets, f"{visit.url}: a notebook's button without the wheel and the setup page"


@pytest.mark.parametrize("mode", ["file", "http"])
def test_the_wheel_button_of_the_setup_page_downloads_the_wheel(mode, browser, built_book, site, proxy):
    base = built_book.as_uri() + "/" if mode == "file" else site
    visit = Visit(f"{base}book/setup.html")
    outside = []
    context = new_context(browser, outside)
    tab = open_page(context, visit.url, visit)
    with tab.expect_download() as started:
        tab.locator("a.reference.download.wheel").first.click()
    given = Path(started.value.path()).read_bytes()
    name = started.value.suggested_filename
    context.close()
    assert name == WHEEL and given == (built_book / WHEEL).read_bytes()
    with zipfile.ZipFile(built_book / WHEEL) as archive:
        assert "rnnkit/gradcheck.py" in archive.namelist()
    # A link without a download attribute starts as a navigation, which the download then aborts.
    failed = [f for f in visit.failed_requests if not f.endswith(f"{WHEEL}: net::ERR_ABORTED")]
    assert not visit.console_errors and not failed, visit
    assert not outside and not proxy.requests, (outside, proxy.requests)


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways_and_no_equation_is_cut_off(browsing, width):
    wide = {str(page.name): v.overflow[width] for page, v in browsing.visits.items()}
    assert not {name: o for name, o in wide.items() if o["page"] > 1 or o["cut"]}, width
