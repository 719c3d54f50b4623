"""A Sphinx extension of the book (_config.yml): the student package's wheel in the site, and links to it.

- At the start of an HTML build, rnnkit's wheel is built (scripts/build_wheel.py) into the site's root,
  so every build of the book, and so every published course, holds the wheel of its own sources.
- The role {wheel}`rnnkit-<version>-py3-none-any.whl` links that file as a download button; the build
  fails when the name in the text is not the wheel of this version (the commands beside it name it too).
- After each download button of an exercise notebook, a note links the wheel and the setup page; the button
  must read the notebook's file name (rnn_bptt.ipynb, the name a student saves it under), or the build fails.
"""

import subprocess
import sys
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ExtensionError
from sphinx.util import logging

from rnnkit import WHEEL

ROOT = Path(__file__).resolve().parent.parent
SETUP_PAGE = "book/setup"
LOGGER = logging.getLogger(__name__)


def build_into_site(app):
    """Build the wheel into the root of the HTML output."""
    if app.builder.format != "html":
        return
    build = [sys.executable, str(ROOT / "scripts" / "build_wheel.py"), str(app.outdir)]
    done = subprocess.run(build, capture_output=True, text=True)
    if done.returncode != 0:
        raise ExtensionError(f"could not build {WHEEL}:\n{done.stdout}\n{done.stderr}")


def wheel_link(docname, classes=()):
    """A link from the page docname to the wheel at the site's root, its file name as code."""
    to_root = "../" * docname.count("/")
    return nodes.reference("", "", nodes.literal(text=WHEEL), refuri=to_root + WHEEL, classes=list(classes))


def wheel_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """{wheel}`rnnkit-<version>-py3-none-any.whl`: a download button of the wheel, named as it must be."""
    if text != WHEEL:
        error = inliner.reporter.error(f"the wheel of this version is {WHEEL}, not {text}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, error)], [error]
    docname = inliner.document.settings.env.docname
    return [wheel_link(docname, classes=["download", "wheel"])], []


def link_the_wheel(app, doctree, docname):
    """After each download button of a notebook: (it imports rnnkit: the wheel, setting up your laptop); a warning
    for a button that does not read the notebook's file name."""
    if app.builder.format != "html":
        return
    for button in list(doctree.findall(addnodes.download_reference)):
        if not button["reftarget"].endswith(".ipynb"):
            continue
        name = Path(button["reftarget"]).name
        if button.astext() != name:
            LOGGER.warning(f"the download button of {name} reads {button.astext()!r}: label it {name}", location=button)
        setup = nodes.reference("", "setting up your laptop", refuri=app.builder.get_relative_uri(docname, SETUP_PAGE))
        note = [nodes.Text(" (it imports the course's package: "), wheel_link(docname), nodes.Text("; "), setup]
        parent, at = button.parent, button.parent.index(button) + 1
        for offset, node in enumerate([*note, nodes.Text(")")]):
            parent.insert(at + offset, node)


def setup(app):
    """Register the build step, the role and the notes."""
    app.connect("builder-inited", build_into_site)
    app.add_role("wheel", wheel_role)
    app.connect("doctree-resolved", link_the_wheel)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
