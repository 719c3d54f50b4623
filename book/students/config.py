"""The students' build's table of contents and configuration, derived from the instructors' (_toc.yml, _config.yml).

The table of contents leaves out INSTRUCTOR_PAGES; the configuration is the book's with nothing executed (the
cells' outputs are those of the instructors' build) and the static folders taken from the checkout.
"""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
INSTRUCTOR_PAGES = ("book/instructors",)


def students_toc(toc):
    """The table of contents (a dict of _toc.yml) without the instructors' pages."""
    chapters = [entry for entry in toc["chapters"] if entry["file"] not in INSTRUCTOR_PAGES]
    return {**toc, "chapters": chapters}


def students_config(config):
    """The configuration (a dict of _config.yml) of a build that executes nothing, with static files from ROOT."""
    sphinx = config["sphinx"]["config"]
    static = [str(ROOT / folder) for folder in sphinx["html_static_path"]]
    return {
        **config,
        "execute": {**config["execute"], "execute_notebooks": "off"},
        "sphinx": {**config["sphinx"], "config": {**sphinx, "html_static_path": static}},
    }


def write_config(stage):
    """Write the students' _toc.yml and _config.yml into the folder stage; return the documents of the toc."""
    toc = students_toc(yaml.safe_load((ROOT / "_toc.yml").read_text()))
    config = students_config(yaml.safe_load((ROOT / "_config.yml").read_text()))
    (Path(stage) / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
    (Path(stage) / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return [toc["root"], *(entry["file"] for entry in toc["chapters"])]
