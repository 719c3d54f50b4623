"""Drawing primitives of the chapters' result figures (the cell diagrams live in book/figures)."""

import numpy as np

from lab.tables import smooth


def plot_runs(ax, curves, colors, labels=None, width=25):
    """Training curves of many runs: a thin line per run and a thick line for their mean, smoothed.

    Inputs:
    - ax: a matplotlib Axes
    - curves: dict key -> array (updates, runs) of batch scores in [0, 1]
    - colors: dict key -> matplotlib color; labels: dict key -> legend text (default: the key)
    - width: the moving average's window, in updates
    Returns:
    - ax, with the y axis in percent
    """
    for key, curve in curves.items():
        smoothed = 100 * smooth(curve, width)
        ax.plot(smoothed, color=colors[key], linewidth=0.6, alpha=0.45)
        ax.plot(smoothed.mean(axis=1), color=colors[key], linewidth=2.2, label=(labels or {}).get(key, key))
    ax.set_xlabel("update")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def plot_rates(ax, x, rates, runs, **style):
    """Success rates with a 90% interval for each: a binomial rate of `runs` runs is not known exactly.

    Inputs:
    - ax: a matplotlib Axes; x: positions (K,); rates: fractions of runs that succeed (K,)
    - runs: the number of runs behind each rate; style: passed to ax.errorbar
    Returns:
    - ax
    """
    rates = np.asarray(rates, float)
    half = 1.645 * np.sqrt(np.maximum(rates * (1 - rates), 0.25 / runs) / runs)  # normal approximation
    low, high = np.clip(rates - half, 0, 1), np.clip(rates + half, 0, 1)
    ax.errorbar(x, 100 * rates, yerr=100 * np.array([rates - low, high - rates]), capsize=3, **style)
    return ax
